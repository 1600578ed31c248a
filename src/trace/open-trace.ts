import path from 'node:path';
import type { Reporter } from '../report/events.js';
import type { ClosableReporter } from '../report/fan-out.js';
import type { JsonHeader } from '../report/json-events.js';
import { createJsonReporter } from '../report/json-reporter.js';
import { createBufferedSink } from './buffered-sink.js';
import { createChromeTraceReporter } from './chrome-trace.js';
import { openTraceFile } from './trace-file.js';

/** How a trace file is written: NDJSON of the published events, or a Chrome trace. */
export type TraceFormat = 'ndjson' | 'chrome';

/** What `--trace <file> [--trace-format f]` asks for. */
export interface TraceOptions {
  /** The file, as the user named it. */
  readonly file: string;
  /** @default 'ndjson' */
  readonly format: TraceFormat;
}

/**
 * Opens the trace file (safely: see openTraceFile) and returns the reporter that writes it.
 * Throws TRACE_FILE_UNSAFE or TRACE_FILE_UNUSABLE; a later write error goes to `onError`
 * once and ends the trace, never gohot.
 */
export function openTrace(
  options: TraceOptions,
  header: JsonHeader,
  cwd: string,
  onError: (err: unknown) => void,
): ClosableReporter {
  const sink = createBufferedSink(openTraceFile(options.file), { onError });
  if (options.format === 'chrome') return createChromeTraceReporter(sink, header);
  return createJsonReporter({
    header,
    cwd,
    write: (text) => sink.append(text),
    close: () => sink.close(),
  });
}

/**
 * `reporter` without the events about `file` itself: a trace written inside a watched tree
 * would otherwise log its own writes ("not tracked"), which are written again, forever.
 */
export function ignoringOwnFile(reporter: Reporter, file: string): Reporter {
  const own = path.resolve(file);
  return {
    report(event) {
      if (event.type === 'decision' && event.subject === own) return;
      if (event.type === 'changes-observed' && event.changes.every((c) => c.path === own)) return;
      reporter.report(event);
    },
  };
}
