import type { Reporter, SessionEvent } from './events.js';

/** A reporter that also finishes its output (a trace file). */
export interface ClosableReporter extends Reporter {
  /** Writes what is pending and closes the output. Idempotent. */
  close(): void;
}

/**
 * One reporter that hands every event to each of `reporters`, in order, and closes those
 * that can be closed. With one reporter, it is that reporter's own work and nothing more.
 */
export function fanOut(reporters: readonly (Reporter | ClosableReporter)[]): ClosableReporter {
  const closable = reporters.filter((r): r is ClosableReporter => 'close' in r);
  return {
    report(event: SessionEvent) {
      for (const r of reporters) r.report(event);
    },
    close() {
      for (const r of closable) r.close();
    },
  };
}
