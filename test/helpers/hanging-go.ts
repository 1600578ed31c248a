import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listGroupMembers } from '../../src/run/proc-linux.js';
import { waitUntil } from './wait-for.js';

/** A stand-in for `go` that never finishes, with a child of its own (as go has compile). */
export interface HangingGo {
  /** Path of the script, for goBin or GOHOT_GO. */
  readonly path: string;
  /** Waits until it runs with its child and returns its process group. */
  started(): Promise<number>;
}

/** Writes a hanging go into `dir`: a shell that records its pid and waits on `sleep 300`. */
export async function hangingGo(dir: string): Promise<HangingGo> {
  const path = join(dir, 'go');
  const pidFile = join(dir, 'go.pid');
  await writeFile(
    path,
    `#!/bin/sh\necho $$ > '${pidFile}.tmp' && mv '${pidFile}.tmp' '${pidFile}'\nsleep 300\n`,
    { mode: 0o755 },
  );
  return {
    path,
    started: () =>
      waitUntil('the hanging go and its child', async () => {
        const pgid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
        return pgid > 0 && listGroupMembers(pgid).length === 2 ? pgid : undefined;
      }),
  };
}
