import path from 'node:path';
import { escapeControl } from '../report/describe.js';
import { jsonHeader } from '../report/json-events.js';
import type { TestReporter, TestSessionEvent } from '../report/test-events.js';
import { type ClosableTestReporter, createTestJsonReporter } from '../report/test-json-reporter.js';
import { createTestTextReporter, type TestTextOptions } from '../report/test-text.js';
import { createBufferedSink } from '../trace/buffered-sink.js';
import { isAboutOwnFiles } from '../trace/open-trace.js';
import { openTraceFile } from '../trace/trace-file.js';
import type { TestCommand } from './args.js';
import { stdoutFile } from './stdout-file-linux.js';

/** The reporters of `gohot test`, and how to finish their output. */
export interface OpenedTestReporters {
  readonly reporter: TestReporter;
  /** Ends the trace file (idempotent, synchronous: safe in an 'exit' handler). */
  close(): void;
}

/**
 * The test text reporter (stderr) or the JSON stream (stdout), plus the NDJSON trace file when
 * asked for: the same fan-out as `gohot run` (open-reporters.ts). Throws TRACE_FILE_UNSAFE /
 * TRACE_FILE_UNUSABLE when the trace file cannot be opened safely.
 */
export function openTestReporters(
  command: TestCommand,
  options: {
    readonly version: string;
    readonly isGone: () => boolean;
    /** The text reporter's options (`--reporter terminal`). */
    readonly text: TestTextOptions;
  },
): OpenedTestReporters {
  const cwd = process.cwd();
  const header = jsonHeader(options.version);
  const main: TestReporter =
    command.reporter === 'json'
      ? createTestJsonReporter({
          header,
          cwd,
          write: (text) => {
            if (!options.isGone()) process.stdout.write(text);
          },
        })
      : createTestTextReporter(options.text);
  // A stream redirected into a watched tree (`> events.ndjson`) must not report itself.
  const redirected = command.reporter === 'json' ? stdoutFile() : undefined;
  const own = new Set(
    [redirected, command.trace?.file]
      .filter((f): f is string => f !== undefined)
      .map((f) => path.resolve(f)),
  );
  const isOwn = (event: TestSessionEvent) => isAboutOwnFiles(event, own);
  if (command.trace === undefined) {
    return {
      reporter: {
        report(event) {
          if (!isOwn(event)) main.report(event);
        },
      },
      close() {},
    };
  }
  const sink = createBufferedSink(openTraceFile(command.trace.file), {
    onError: (err) => {
      if (!options.isGone()) {
        process.stderr.write(`gohot: warning: the trace stopped: ${escapeControl(String(err))}\n`);
      }
    },
  });
  const trace: ClosableTestReporter = createTestJsonReporter({
    header,
    cwd,
    write: (text) => sink.append(text),
    close: () => sink.close(),
  });
  return {
    reporter: {
      report(event) {
        if (isOwn(event)) return;
        main.report(event);
        trace.report(event);
      },
    },
    close: () => trace.close(),
  };
}
