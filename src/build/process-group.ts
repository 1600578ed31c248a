import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode } from '../errors.js';

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
    if (process.platform === 'linux' && !(await hasLiveMember(pgid))) return true;
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

/** True when /proc shows a non-zombie process whose process group is `pgid`. */
async function hasLiveMember(pgid: number): Promise<boolean> {
  const names = await readdir('/proc');
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 0x30 || c > 0x39) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}
