// Vitest global setup: marks every process of this run, and after the last test file fails
// the run if any marked process is still alive (an app left behind by a killed gohot, a
// build that was never stopped ...), after killing it.
import { randomUUID } from 'node:crypto';
import {
  describeMarked,
  killMarked,
  type MarkedProcess,
  RUN_MARKER,
  survivorsOf,
} from './marked-processes.js';

/** How long processes stopped by the last tests may take to be gone. */
const SETTLE_MS = 5_000;

export function setup(): void {
  // The workers are forked after this and inherit it, and so does everything they start.
  process.env[RUN_MARKER] = randomUUID();
}

export async function teardown(): Promise<void> {
  const marker = process.env[RUN_MARKER];
  if (marker === undefined) return;
  // Vitest's own workers (children of this process) carry the marker too.
  const isWorker = (p: MarkedProcess) => p.ppid === process.pid;
  const survivors = await survivorsOf(RUN_MARKER, marker, SETTLE_MS, isWorker);
  if (survivors.length === 0) return;
  killMarked(survivors);
  console.error(
    `\nFAIL: ${survivors.length} process(es) started by the tests outlived them ` +
      `(killed now; ${RUN_MARKER}=${marker}):\n${describeMarked(survivors)}\n`,
  );
  // An error thrown here is printed but does not change vitest's exit code.
  process.exitCode = 1;
}
