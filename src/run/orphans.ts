import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
 * terminal) and removes their output directories. Trusts nothing another user could plant:
 * only `gohot-*` directories under `tmpRoot` that are real directories of this user with no
 * group or other access (as gohot creates them) are read; an app is killed only when its pid
 * is above 1, still the same process (same /proc start time), runs as this user and runs a
 * binary from that directory, and the gohot that recorded it is gone. A directory that
 * cannot be read or removed is skipped, never fatal.
 */
export function reapOrphans(
  tmpRoot: string,
  uid: number = process.geteuid?.() ?? 0,
): ReapedOrphan[] {
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
    if (!isOwnPrivateDir(dir, uid)) continue;
    const record = readRecord(path.join(dir, RECORD_FILE), uid);
    if (record === undefined || isAlive(record.gohotPid)) continue;
    if (record.appPid !== undefined && isOurApp(dir, record, uid)) {
      const sent = sendGroupSignal(record.appPid, 'SIGKILL');
      if (sent === 'not-permitted') continue;
      if (sent === 'sent') reaped.push({ appPid: record.appPid, gohotPid: record.gohotPid });
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left for the next start; it is ours and private, so nothing else can use it.
    }
  }
  return reaped;
}

/** A real directory (not a symlink) of `uid` with no group or other access. */
function isOwnPrivateDir(dir: string, uid: number): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** The recorded app is still the process gohot started: same start time, user and binary. */
export function isOurApp(dir: string, record: OwnerRecord, uid: number): boolean {
  const pid = record.appPid;
  if (pid === undefined || pid <= 1) return false;
  if (readProcStat(pid)?.startTime !== record.appStartTime) return false;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const realUid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    if (realUid !== uid) return false;
    // The kernel appends " (deleted)" once the binary is removed; the path still tells.
    return readlinkSync(`/proc/${pid}/exe`).startsWith(`${dir}${path.sep}`);
  } catch {
    return false;
  }
}

/** At most this much of an owner record is read. */
const MAX_RECORD_BYTES = 4096;

function readRecord(file: string, uid: number): OwnerRecord | undefined {
  let fd: number | undefined;
  try {
    // No symlinks, no FIFOs (O_NONBLOCK), only a small regular file of this user.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || st.size > MAX_RECORD_BYTES) return undefined;
    const buf = Buffer.alloc(MAX_RECORD_BYTES);
    const n = readSync(fd, buf, 0, MAX_RECORD_BYTES, 0);
    const r = JSON.parse(buf.subarray(0, n).toString('utf8')) as Partial<OwnerRecord>;
    const ok =
      Number.isInteger(r.gohotPid) &&
      (r.gohotPid ?? 0) > 1 &&
      (r.appPid === undefined || (Number.isInteger(r.appPid) && Number.isInteger(r.appStartTime)));
    return ok ? (r as OwnerRecord) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
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
