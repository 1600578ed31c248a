import type { JsonHeader } from './json-events.js';
import type { TestReporter, TestSessionEvent } from './test-events.js';
import { toTestJsonEvent } from './test-json-events.js';

/** A test reporter that also finishes its output (a trace file). */
export interface ClosableTestReporter extends TestReporter {
  /** Writes what is pending and closes the output. Idempotent. */
  close(): void;
}

/** Options of {@link createTestJsonReporter}. */
export interface TestJsonReporterOptions {
  /** Receives each line, newline included: the header first, then one event per line. */
  readonly write: (text: string) => void;
  readonly header: JsonHeader;
  /** Directory the `text` fields name paths relative to (paths in fields are absolute). */
  readonly cwd: string;
  /** Finishes the output. @default nothing to do */
  readonly close?: () => void;
}

/**
 * NDJSON of the published events of `gohot test` (docs/events.md#gohot-test): the
 * `--reporter json` stream on stdout and the `--trace` file, the same header as `gohot run`.
 */
export function createTestJsonReporter(options: TestJsonReporterOptions): ClosableTestReporter {
  const { write, cwd } = options;
  write(`${JSON.stringify(options.header)}\n`);
  let closed = false;
  return {
    report(event: TestSessionEvent) {
      if (!closed) write(`${JSON.stringify(toTestJsonEvent(event, { cwd }))}\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      options.close?.();
    },
  };
}
