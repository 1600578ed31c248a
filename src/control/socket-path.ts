import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GohotError } from '../errors.js';
import { privateDirProblem, stateDirCandidates } from '../run/state-dir.js';

/** The directory below the private state directory that holds the control sockets. */
export const CONTROL_DIR = 'ctl';

/**
 * The longest socket path Linux takes: `sun_path` is 108 bytes with its terminating NUL
 * (docs/facts.md#unix-socket-path-length).
 */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The name prefix of the sockets of one project: a hash of its module root. */
export function projectSocketPrefix(moduleRoot: string): string {
  return createHash('sha256').update(moduleRoot).digest('hex').slice(0, 16);
}

/**
 * The socket of the gohot with `pid` for the project at `moduleRoot`: one per running gohot
 * (two gohots may run the same project), short enough for `sun_path`.
 */
export function socketPathFor(controlDir: string, moduleRoot: string, pid: number): string {
  const socket = path.join(controlDir, `${projectSocketPrefix(moduleRoot)}-${pid}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
    throw new GohotError(
      'CONTROL_SOCKET_UNUSABLE',
      `The control socket path ${socket} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket path can have.`,
      'Point XDG_RUNTIME_DIR at a shorter directory (such as /run/user/<uid>).',
    );
  }
  return socket;
}

/** A socket of a gohot session found on disk. */
export interface FoundSocket {
  readonly path: string;
  /** The pid in its name: the gohot that created it. */
  readonly pid: number;
  /** When it was created (mtime), ms since the epoch. */
  readonly createdMs: number;
}

/**
 * The control sockets of the project at `moduleRoot` that this user's gohots created, newest
 * first. Looks only in control directories that are private to `uid` (never created here);
 * only sockets owned by `uid` count. Does not connect: a socket may be stale.
 */
export function findProjectSockets(
  moduleRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.geteuid?.() ?? 0,
): FoundSocket[] {
  const prefix = projectSocketPrefix(moduleRoot);
  const found: FoundSocket[] = [];
  for (const stateDir of stateDirCandidates(env, uid)) {
    const dir = path.join(stateDir, CONTROL_DIR);
    if (privateDirProblem(stateDir, uid) !== undefined) continue;
    if (privateDirProblem(dir, uid) !== undefined) continue;
    found.push(...socketsIn(dir, prefix, uid));
  }
  return found.sort((a, b) => b.createdMs - a.createdMs);
}

/** The other sockets of the same project beside `socket` (live or stale). */
export function findProjectSocketsIn(socket: string, uid: number): string[] {
  const prefix = path.basename(socket).split('-')[0] ?? '';
  return socketsIn(path.dirname(socket), prefix, uid)
    .map((f) => f.path)
    .filter((p) => p !== socket);
}

function socketsIn(dir: string, prefix: string, uid: number): FoundSocket[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: FoundSocket[] = [];
  for (const name of names) {
    const m = /^([0-9a-f]{16})-(\d+)\.sock$/.exec(name);
    if (m === null || m[1] !== prefix) continue;
    const socket = path.join(dir, name);
    const st = lstatSync(socket, { throwIfNoEntry: false });
    if (st === undefined || !st.isSocket() || st.uid !== uid) continue;
    found.push({ path: socket, pid: Number(m[2]), createdMs: st.mtimeMs });
  }
  return found;
}

/**
 * What is wrong with an existing file at a path gohot wants its socket at, or undefined when
 * it is a socket of this user (live or stale: the caller connects to tell).
 */
export function existingSocketProblem(socket: string, uid: number): string | undefined {
  const st = lstatSync(socket, { throwIfNoEntry: false });
  if (st === undefined) return undefined;
  if (!st.isSocket()) return 'it exists and is not a socket';
  if (st.uid !== uid) return `it belongs to uid ${st.uid}, not to uid ${uid}`;
  return undefined;
}
