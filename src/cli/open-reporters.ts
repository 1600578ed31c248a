import { escapeControl } from '../report/describe.js';
import type { Reporter } from '../report/events.js';
import { fanOut } from '../report/fan-out.js';
import { jsonHeader } from '../report/json-events.js';
import { createJsonReporter } from '../report/json-reporter.js';
import { createTerminalReporter, shouldUseColor } from '../report/terminal.js';
import { ignoringOwnFiles, openTrace } from '../trace/open-trace.js';
import type { RunCommand } from './args.js';
import { stdoutFile } from './stdout-file-linux.js';

/** The reporters of `gohot run`, and how to finish their output. */
export interface OpenedReporters {
  readonly reporter: Reporter;
  /** Ends the trace file (idempotent, synchronous: safe in an 'exit' handler). */
  close(): void;
}

/**
 * The terminal reporter (stderr) or the JSON stream (stdout), plus the trace file when asked
 * for. The trace and the JSON stream exist only when asked for: without them, events go
 * straight to the terminal reporter (bench/trace-cost.mjs measures what they cost). Throws
 * TRACE_FILE_UNSAFE / TRACE_FILE_UNUSABLE when the trace file cannot be opened safely.
 */
export function openReporters(
  command: RunCommand,
  options: {
    readonly version: string;
    readonly keys: boolean;
    readonly isGone: () => boolean;
    /** Rewrites the terminal's current line (build progress); only on a TTY. */
    readonly writeInPlace: ((text: string) => void) | undefined;
    /** How long a build runs before its progress shows. */
    readonly progressAfterMs: number | undefined;
  },
): OpenedReporters {
  // Paths print relative to the shell's directory, also with -C, so terminals and editors
  // can open them; config errors do the same.
  const cwd = process.cwd();
  const header = jsonHeader(options.version);
  const main: Reporter =
    command.reporter === 'json'
      ? createJsonReporter({
          header,
          cwd,
          write: (text) => {
            if (!options.isGone()) process.stdout.write(text);
          },
        })
      : createTerminalReporter({
          verbose: command.verbose,
          color: command.color ?? shouldUseColor(process.stderr, process.env),
          cwd,
          keys: options.keys,
          write: (line) => {
            if (!options.isGone()) process.stderr.write(`${line}\n`);
          },
          writeInPlace: options.writeInPlace,
          progressAfterMs: options.progressAfterMs,
        });
  // A stream redirected into a watched tree (`> events.ndjson`) must not report itself.
  const redirected = command.reporter === 'json' ? stdoutFile() : undefined;
  const own = [redirected, command.trace?.file].filter((f): f is string => f !== undefined);
  if (command.trace === undefined) return { reporter: ignoringOwnFiles(main, own), close() {} };
  const trace = openTrace(command.trace, header, cwd, (err) => {
    if (!options.isGone()) {
      process.stderr.write(`gohot: warning: the trace stopped: ${escapeControl(String(err))}\n`);
    }
  });
  const both = fanOut([main, trace]);
  return { reporter: ignoringOwnFiles(both, own), close: () => both.close() };
}
