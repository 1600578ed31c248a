import { isProcessAlive, listGroupMembers, readProcStat } from '../../src/run/proc-linux.js';

export {
  isZombieState,
  listGroupProcesses,
  readProcStat,
} from '../../src/run/proc-linux.js';

/** Live (non-zombie) pids in process group `pgid`, read from /proc. */
export function processesInGroup(pgid: number): number[] {
  return listGroupMembers(pgid);
}

/**
 * True while `pid` exists in /proc and is not a zombie. An orphan's zombie waits for init to
 * reap it (seconds here, never in some containers) but holds nothing: it counts as gone.
 */
export function isAlive(pid: number): boolean {
  return isProcessAlive(pid);
}

/** The process group of `pid`, or undefined when it does not exist. */
export function processGroupOf(pid: number): number | undefined {
  return readProcStat(pid)?.pgrp;
}
