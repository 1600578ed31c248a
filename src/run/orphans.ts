import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../errors.js';
import { readProcStat } from './proc-linux.js';
import { sendGroupSignal } from './process-group.js';

/** Name of the record a gohot keeps in its output directory. */
const RECORD_FILE = 'owner.json';

/** What a running gohot writes down about itself and the app it started. */
interface OwnerRecord {
  readonly gohotPid: number;
  readonly appPid?: number;
  /** /proc start time of the app: a recycled pid is never mistaken for it. */
  readonly appStartTime?: number;
}

/**
 * Marks `outDir` as this gohot's, right after creating it: if gohot dies before it can
 * clean up (even during start-up), the next gohot removes the directory.
 */
export function recordOwner(outDir: string): void {
  const record: OwnerRecord = { gohotPid: process.pid };
  writeFileSync(path.join(outDir, RECORD_FILE), JSON.stringify(record));
}

/** An app of a dead gohot that was found and stopped. */
export interface ReapedOrphan {
  readonly appPid: number;
  readonly gohotPid: number;
}

/**
 * Records the app gohot just started in its output directory. If gohot is killed with
 * SIGKILL it cannot stop its app (which runs in its own process group and would keep the
 * port); the next gohot finds this record and stops it. Linux: needs /proc for the start time.
 */
export function recordApp(outDir: string, appPid: number): void {
  const appStartTime = readProcStat(appPid)?.startTime;
  if (appStartTime === undefined) return;
  const record: OwnerRecord = { gohotPid: process.pid, appPid, appStartTime };
  writeFileSync(path.join(outDir, RECORD_FILE), JSON.stringify(record));
}

/**
 * Stops the apps of gohot processes that died without cleaning up (SIGKILL, OOM, a closed
 * terminal) and removes their output directories. Only directories named `gohot-*` under
 * `tmpRoot` that hold an owner record are touched; an app is killed only when its pid still
 * belongs to the same process (same start time) and the gohot that recorded it is gone.
 */
export function reapOrphans(tmpRoot: string): ReapedOrphan[] {
  const reaped: ReapedOrphan[] = [];
  let names: string[];
  try {
    names = readdirSync(tmpRoot);
  } catch {
    return reaped;
  }
  for (const name of names) {
    if (!name.startsWith('gohot-')) continue;
    const dir = path.join(tmpRoot, name);
    const record = readRecord(path.join(dir, RECORD_FILE));
    if (record === undefined || isAlive(record.gohotPid)) continue;
    if (
      record.appPid !== undefined &&
      readProcStat(record.appPid)?.startTime === record.appStartTime
    ) {
      const sent = sendGroupSignal(record.appPid, 'SIGKILL');
      // Another user's process: not ours to stop, and its record stays.
      if (sent === 'not-permitted') continue;
      if (sent === 'sent') reaped.push({ appPid: record.appPid, gohotPid: record.gohotPid });
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return reaped;
}

function readRecord(file: string): OwnerRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<OwnerRecord>;
    const ok =
      Number.isInteger(r.gohotPid) &&
      (r.appPid === undefined || (Number.isInteger(r.appPid) && Number.isInteger(r.appStartTime)));
    return ok ? (r as OwnerRecord) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}
