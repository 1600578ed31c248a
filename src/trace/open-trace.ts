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
 * True for an event about one of gohot's own output files (the trace, a redirected stdout):
 * such a file written inside a watched tree would otherwise log its own writes ("not
 * tracked"), which are written again, forever.
 */
export function isAboutOwnFiles(
  event: { readonly type: string; readonly subject?: unknown; readonly changes?: unknown },
  own: ReadonlySet<string>,
): boolean {
  if (own.size === 0) return false;
  if (event.type === 'decision') return typeof event.subject === 'string' && own.has(event.subject);
  if (event.type === 'changes-observed') {
    const changes = event.changes as readonly { readonly path: string }[];
    return changes.every((c) => own.has(c.path));
  }
  return false;
}

/** `reporter` without the events about `files` themselves (see {@link isAboutOwnFiles}). */
export function ignoringOwnFiles(reporter: Reporter, files: readonly string[]): Reporter {
  const own = new Set(files.map((f) => path.resolve(f)));
  if (own.size === 0) return reporter;
  return {
    report(event) {
      if (!isAboutOwnFiles(event, own)) reporter.report(event);
    },
  };
}
