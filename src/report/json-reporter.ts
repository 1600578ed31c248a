import type { SessionEvent } from './events.js';
import type { ClosableReporter } from './fan-out.js';
import { type JsonHeader, toJsonEvent } from './json-events.js';

/** Options of {@link createJsonReporter}. */
export interface JsonReporterOptions {
  /** Receives each line, newline included: the header first, then one event per line. */
  readonly write: (text: string) => void;
  readonly header: JsonHeader;
  /** Directory the `text` fields name paths relative to (paths in fields are absolute). */
  readonly cwd: string;
  /** Finishes the output. @default nothing to do */
  readonly close?: () => void;
}

/**
 * NDJSON of the published events (docs/events.md, schema/events.schema.json): the
 * `--reporter json` stream on stdout and the `--trace` file.
 */
export function createJsonReporter(options: JsonReporterOptions): ClosableReporter {
  const { write, cwd } = options;
  write(`${JSON.stringify(options.header)}\n`);
  let closed = false;
  return {
    report(event: SessionEvent) {
      if (!closed) write(`${JSON.stringify(toJsonEvent(event, { cwd }))}\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      options.close?.();
    },
  };
}
