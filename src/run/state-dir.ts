import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errnoCode, GohotError } from '../errors.js';

/**
 * Where gohot keeps its state: owner records, build outputs and the go command's work files
 * (GOTMPDIR). Private to the user: `$XDG_RUNTIME_DIR/gohot`, else `$XDG_CACHE_HOME/gohot`
 * (`~/.cache/gohot`), else `<tmpdir>/gohot-<uid>`. Never a name in a shared /tmp that
 * another user could create first, and verified on every use.
 */
export function stateDirCandidates(env: NodeJS.ProcessEnv, uid: number): string[] {
  const out: string[] = [];
  const abs = (v: string | undefined) => (v && path.isAbsolute(v) ? v : undefined);
  const runtime = abs(env.XDG_RUNTIME_DIR);
  if (runtime) out.push(path.join(runtime, 'gohot'));
  const cache = abs(env.XDG_CACHE_HOME) ?? (abs(env.HOME) && path.join(env.HOME!, '.cache'));
  if (cache) out.push(path.join(cache, 'gohot'));
  out.push(path.join(os.tmpdir(), `gohot-${uid}`));
  return out;
}

/** What is wrong with a directory gohot would keep private state in, or undefined. */
export function privateDirProblem(dir: string, uid: number): string | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch (err) {
    return `it cannot be read (${errnoCode(err) ?? String(err)})`;
  }
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is not a directory';
  if (st.uid !== uid) return `it belongs to uid ${st.uid}, not to uid ${uid}`;
  if ((st.mode & 0o077) !== 0) {
    return `other users have access to it (mode ${(st.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

/**
 * What is wrong with the directories above `dir`, or undefined. Each must belong to root or
 * `uid` and, when others can write to it, have the sticky bit (as /tmp does): otherwise their
 * owner could rename gohot's directory away and put one of theirs in its place after every
 * check (`su` without `-` and `sudo -E` keep another user's HOME or XDG_RUNTIME_DIR).
 */
export function ancestorsProblem(dir: string, uid: number): string | undefined {
  let current: string;
  try {
    current = realpathSync(path.dirname(dir));
  } catch (err) {
    return `${path.dirname(dir)} cannot be resolved (${errnoCode(err) ?? String(err)})`;
  }
  for (;;) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(current);
    } catch (err) {
      return `${current} cannot be read (${errnoCode(err) ?? String(err)})`;
    }
    if (st.uid !== 0 && st.uid !== uid) return `${current} belongs to uid ${st.uid}`;
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
      return `others can write to ${current} and it has no sticky bit`;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Makes `dir` exist as a private directory of `uid` (mode 0700, created without following a
 * symlink at its own name) and checks it. Throws STATE_DIR_UNSAFE when it exists but is not
 * private: gohot never works in a directory someone else controls.
 */
export function ensurePrivateDir(dir: string, uid: number): string {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') {
      throw new GohotError(
        'STATE_DIR_UNUSABLE',
        `gohot cannot create its private directory ${dir} (${errnoCode(err) ?? String(err)}).`,
        'Point XDG_RUNTIME_DIR (or XDG_CACHE_HOME, or TMPDIR) at a writable directory you own.',
        { cause: err },
      );
    }
  }
  const problem = privateDirProblem(dir, uid);
  if (problem !== undefined) {
    throw new GohotError(
      'STATE_DIR_UNSAFE',
      `gohot will not use ${dir} for its state: ${problem}.`,
      `Remove it (if it is not yours, ask who made it) or make it yours with mode 0700; or point XDG_RUNTIME_DIR at a private directory.`,
    );
  }
  return dir;
}

/**
 * The first usable state directory: created and verified. A candidate whose parent is
 * missing or unwritable is skipped; an existing but unsafe one is an error, never skipped
 * silently (it may be an attack).
 */
export function openStateDir(
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.geteuid?.() ?? 0,
): string {
  const candidates = stateDirCandidates(env, uid);
  let lastError: unknown;
  const skipped: string[] = [];
  for (const dir of candidates) {
    try {
      mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
    } catch (err) {
      lastError = err;
      continue;
    }
    // A place below a directory someone else controls is skipped, never used.
    const above = ancestorsProblem(dir, uid);
    if (above !== undefined) {
      skipped.push(`${dir} (${above})`);
      continue;
    }
    try {
      return ensurePrivateDir(dir, uid);
    } catch (err) {
      if (err instanceof GohotError && err.code === 'STATE_DIR_UNSAFE') throw err;
      lastError = err;
    }
  }
  if (skipped.length > 0) {
    throw new GohotError(
      'STATE_DIR_UNSAFE',
      `gohot found no safe place for its private directory: ${skipped.join('; ')}.`,
      'Point XDG_RUNTIME_DIR at a directory only you (or root) can change, e.g. run gohot with your own HOME (`su -`, `sudo -i`).',
    );
  }
  if (lastError instanceof GohotError) throw lastError;
  throw new GohotError(
    'STATE_DIR_UNUSABLE',
    `gohot found no place for its private directory (tried ${candidates.join(', ')}).`,
    'Point XDG_RUNTIME_DIR (or XDG_CACHE_HOME, or TMPDIR) at a writable directory you own.',
    { cause: lastError },
  );
}

/**
 * The stable per-project directory below the state directory: the same module root gets
 * the same directory in every session (so go's early cutoff can skip relinking an
 * up-to-date binary, and data an app keeps beside its executable survives).
 */
export function projectDirName(moduleRoot: string): string {
  const hash = createHash('sha256').update(moduleRoot).digest('hex').slice(0, 16);
  const base =
    path
      .basename(moduleRoot)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'root';
  return `${base}-${hash}`;
}
