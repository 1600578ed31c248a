import { readdirSync, readFileSync } from 'node:fs';
import { isZombieState, readProcStat } from './processes-linux.js';
import { waitUntil } from './wait-for.js';

/**
 * Marks every process of one test run: the global setup puts a fresh value in the
 * environment before the workers start, and every process a test starts inherits it (an app
 * inherits gohot's environment, a build the go command's).
 */
export const RUN_MARKER = 'GOHOT_TEST_RUN';
/** Marks one started gohot and everything it starts (see test/helpers/gohot-cli.ts). */
export const OWNER_MARKER = 'GOHOT_TEST_OWNER';
/** The test that was running when a process started, for the leak report. */
export const TEST_NAME = 'GOHOT_TEST_NAME';

/** A live process whose environment carries a marker. */
export interface MarkedProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** With the pid, identifies the process (a recycled pid has another start time). */
  readonly startTime: number;
  readonly command: string;
  /** The test that started it, when the setup file had named one. */
  readonly test: string | undefined;
}

/** The environment a process was started with, or undefined (gone, or not ours to read). */
function environOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '?';
  }
}

/**
 * Live (non-zombie) processes, other than this one, whose environment holds `name=value`.
 * Reads /proc (Linux): /proc/<pid>/environ is the environment the process was started with.
 */
export function findMarked(name: string, value: string): MarkedProcess[] {
  const entry = `${name}=${value}`;
  const found: MarkedProcess[] = [];
  for (const dir of readdirSync('/proc')) {
    const pid = Number(dir);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const env = environOf(pid);
    if (env === undefined || !env.includes(entry)) continue;
    const stat = readProcStat(pid);
    if (stat === undefined || isZombieState(stat.state)) continue;
    const test = env.find((e) => e.startsWith(`${TEST_NAME}=`))?.slice(TEST_NAME.length + 1);
    const { ppid, pgrp, startTime } = stat;
    found.push({ pid, ppid, pgrp, startTime, command: commandOf(pid), test });
  }
  return found;
}

/**
 * SIGKILLs each process, and the whole group of each one that leads its group (an app and
 * a build run in groups of their own). A pid whose start time changed was recycled by
 * another process: it is left alone.
 */
export function killMarked(processes: readonly MarkedProcess[]): void {
  for (const p of processes) {
    if (readProcStat(p.pid)?.startTime !== p.startTime) continue;
    for (const target of p.pgrp === p.pid ? [-p.pid, p.pid] : [p.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}

/**
 * Waits up to `timeoutMs` for every process marked `name=value` to exit and returns those
 * still alive then (none: an empty list). A process killed a moment ago may need a few ms
 * to go, so this polls rather than looking once.
 */
export async function survivorsOf(
  name: string,
  value: string,
  timeoutMs: number,
  ignore: (p: MarkedProcess) => boolean = () => false,
): Promise<MarkedProcess[]> {
  let left: MarkedProcess[] = [];
  try {
    await waitUntil(
      `the processes marked ${name}=${value} to exit`,
      () => {
        left = findMarked(name, value).filter((p) => !ignore(p));
        return left.length === 0;
      },
      { timeoutMs, intervalMs: 25 },
    );
    return [];
  } catch {
    return left;
  }
}

/** One line per process, for an error message. */
export function describeMarked(processes: readonly MarkedProcess[]): string {
  return processes
    .map(
      (p) =>
        `  pid ${p.pid} (parent ${p.ppid}, group ${p.pgrp}): ${p.command}` +
        (p.test === undefined ? '' : `\n    started during: ${p.test}`),
    )
    .join('\n');
}
