import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { listGroupMembers } from '../run/proc-linux.js';

/** SIGKILLs every process in group `pgid`; a group that is already gone is fine. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') throw err;
  }
}

/**
 * Waits until no live process is left in group `pgid`: either the group is gone
 * (`kill(-pgid, 0)` fails with ESRCH) or, on Linux, every member left is a zombie.
 * Zombies count because orphans are reaped by PID 1 on its own schedule (over a second
 * with some container inits, measured here), and a zombie runs no code. Returns false
 * if members are still alive after `timeoutMs`.
 */
export async function waitForGroupExit(pgid: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (!groupExists(pgid)) return true;
    if (process.platform === 'linux' && listGroupMembers(pgid).length === 0) return true;
    if (performance.now() > deadline) return false;
    await delay(5);
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) !== 'ESRCH';
  }
}
