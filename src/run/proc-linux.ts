import { readdirSync, readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` that gohot needs. */
export interface ProcStat {
  readonly pid: number;
  /** Executable name as the kernel reports it (at most 15 bytes, may contain spaces and parens). */
  readonly comm: string;
  /** One-letter state: R running, S sleeping, D disk wait, Z zombie, T stopped, X dead ... */
  readonly state: string;
  readonly ppid: number;
  /** Process group id. */
  readonly pgrp: number;
  /** Start time in clock ticks after boot (field 22): with the pid, identifies one process. */
  readonly startTime: number;
}

/**
 * Parses one `/proc/<pid>/stat` line, or returns undefined when it is malformed.
 * `comm` may contain spaces and `)` (a binary can be named `a) (b`), so the fixed fields are
 * read after the LAST `)` (proc(5)).
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  const rest = text
    .slice(close + 1)
    .trim()
    .split(' ');
  const [state, ppid, pgrp] = [rest[0], Number(rest[1]), Number(rest[2])];
  // Field 22 overall; `rest` starts at field 3 (state).
  const startTime = Number(rest[19] ?? Number.NaN);
  if (!Number.isInteger(pid) || !state || !Number.isInteger(ppid) || !Number.isInteger(pgrp)) {
    return undefined;
  }
  return { pid, comm: text.slice(open + 2, close), state, ppid, pgrp, startTime };
}

/** Reads `/proc/<pid>/stat`; undefined when the process does not exist (or /proc is missing). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True for a process that has exited but was not reaped yet. A zombie holds no memory, ports or
 * files; it lingers only until its parent (often init, for orphans) calls wait.
 */
export function isZombieState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** Every process whose process group is `pgid`, zombies included, by scanning /proc. */
export function listGroupProcesses(pgid: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: ProcStat[] = [];
  for (const name of entries) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readProcStat(Number(name));
    if (stat?.pgrp === pgid) found.push(stat);
  }
  return found;
}

/**
 * Pids of the live (non-zombie) members of process group `pgid`. Zombies are left out because
 * `kill(-pgid, 0)` still counts them, and an init that reaps lazily (or not at all, as in many
 * containers) would otherwise make a dead group look alive.
 */
export function listGroupMembers(pgid: number): number[] {
  return listGroupProcesses(pgid)
    .filter((p) => !isZombieState(p.state))
    .map((p) => p.pid);
}

/** True when `/proc/<pid>` exists and the process is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && !isZombieState(stat.state);
}
