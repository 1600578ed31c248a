// Vitest global setup: marks every process of this run, and after the last test file fails
// the run if any marked process is still alive (an app left behind by a killed gohot, a
// build that was never stopped ...), after killing it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  describeMarked,
  killMarked,
  type MarkedProcess,
  RUN_MARKER,
  survivorsOf,
} from './marked-processes.js';

/** How long processes stopped by the last tests may take to be gone. */
const SETTLE_MS = 5_000;

let stateRoot: string | undefined;

export function setup(): void {
  // The workers are forked after this and inherit it, and so does everything they start.
  process.env[RUN_MARKER] = randomUUID();
  // gohot's private state of every gohot a test starts without its own: never the real home.
  stateRoot = mkdtempSync(path.join(os.tmpdir(), 'gohot-test-state-'));
  // (Only XDG_RUNTIME_DIR, gohot's first choice: XDG_CACHE_HOME would also move go's build
  // cache and make every build of the run cold.)
  process.env.XDG_RUNTIME_DIR = stateRoot;
}

export async function teardown(): Promise<void> {
  if (stateRoot !== undefined) rmSync(stateRoot, { recursive: true, force: true });
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
