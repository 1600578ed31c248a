import { randomBytes } from 'node:crypto';
import { constants, lstatSync, realpathSync, unlinkSync } from 'node:fs';
import { lstat, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of cookie files; such files are never tracked or reported as changes. */
export const COOKIE_PREFIX = '.gohot-cookie-';

// Every name gohot has used: `<pid>-<hex>-<n>` before, `<32 hex>` now. Stale-file removal
// matches only these, not everything with the prefix.
const COOKIE_NAME = /^\.gohot-cookie-[0-9a-f-]+$/;

// Created exclusively: a planted file or symlink of that name makes the open fail instead of
// being followed or truncated.
const CREATE_EXCLUSIVE =
  constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_WRONLY;

/** True for a file name written by a {@link CookieJar} (of any gohot process). */
export function isCookieName(name: string): boolean {
  return name.startsWith(COOKIE_PREFIX);
}

/**
 * How far a cookie's event must have got: `arrived` = the native listener saw it (so every
 * earlier event was read too, inotify delivers in order); `delivered` = the event queue
 * processed it (so every earlier change went to onChanges).
 */
export type CookieStage = 'arrived' | 'delivered';

/**
 * Result of one round trip. `foreign`: the directory is not owned by our effective uid, so no
 * file was written there; `unwritable`: creating the file failed (missing, read-only, or the
 * name was taken).
 */
export type CookieOutcome = 'seen' | 'timeout' | 'unwritable' | 'foreign' | 'closed';

/** Options of {@link CookieJar}; the injectable part exists for tests. */
export interface CookieJarOptions {
  /** The unpredictable part of each name. @default 16 random bytes, hex */
  readonly randomPart?: () => string;
}

interface Waiter {
  readonly arrived: (outcome: CookieOutcome) => void;
  readonly delivered: (outcome: CookieOutcome) => void;
}

/**
 * Writes uniquely named cookie files and waits for the native backend to report them
 * (watchman's cookies). Used by `sync()` and as the start-up canary that proves inotify
 * events arrive for a root at all. Cookies are only written in directories we own (see
 * {@link ownedDir}), exclusively, under names nobody can guess.
 */
export class CookieJar {
  readonly #randomPart: () => string;
  readonly #waiters = new Map<string, Waiter>();
  /** Cookie files created and not removed yet: close() removes them. */
  readonly #files = new Set<string>();
  #closed = false;

  constructor(options: CookieJarOptions = {}) {
    this.#randomPart = options.randomPart ?? (() => randomBytes(16).toString('hex'));
  }

  /** True while a round trip waits for this cookie name. */
  isPending(name: string): boolean {
    return this.#waiters.has(name);
  }

  /** Called by the native backend when a cookie's event reached `stage`. */
  observe(name: string, stage: CookieStage): void {
    const waiter = this.#waiters.get(name);
    if (waiter === undefined) return;
    if (stage === 'arrived') waiter.arrived('seen');
    else {
      waiter.arrived('seen');
      waiter.delivered('seen');
    }
  }

  /**
   * Creates a cookie in `dir` and waits up to `timeoutMs` for its event to arrive; for stage
   * 'delivered' then also until the queue has processed it (however long the work before it
   * takes: the timeout only tests whether events come at all). Removes the file; never rejects.
   */
  async roundTrip(dir: string, timeoutMs: number, stage: CookieStage): Promise<CookieOutcome> {
    if (this.#closed) return 'closed';
    const owned = ownedDir(dir);
    if (owned === 'missing') return 'unwritable';
    if (owned === 'foreign') return 'foreign';
    const name = `${COOKIE_PREFIX}${this.#randomPart()}`;
    const path = join(owned.realPath, name);
    let arrived!: (outcome: CookieOutcome) => void;
    let delivered!: (outcome: CookieOutcome) => void;
    const arrival = new Promise<CookieOutcome>((resolve) => {
      arrived = resolve;
    });
    const delivery = new Promise<CookieOutcome>((resolve) => {
      delivered = resolve;
    });
    this.#waiters.set(name, { arrived, delivered });
    // Known to close() before it exists: a close() while it is being created removes it then.
    this.#files.add(path);
    let created = false;
    try {
      const handle = await open(path, CREATE_EXCLUSIVE, 0o600);
      created = true;
      await handle.close();
    } catch {
      this.#waiters.delete(name);
      if (created) this.#remove(path);
      else this.#files.delete(path);
      return 'unwritable';
    }
    // close() ran while the file was being written: it could not remove it, so do it here.
    if (this.#closed) {
      this.#remove(path);
      return 'closed';
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CookieOutcome>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    let outcome = await Promise.race([arrival, timedOut]);
    clearTimeout(timer);
    if (outcome === 'seen' && stage === 'delivered') outcome = await delivery;
    this.#waiters.delete(name);
    if (this.#files.delete(path)) await unlink(path).catch(() => undefined);
    return outcome;
  }

  /**
   * Ends every pending round trip with 'closed' and removes their files at once (a process
   * that exits right after close() must not leave cookies in the user's project); later round
   * trips return 'closed' at once.
   */
  close(): void {
    this.#closed = true;
    for (const path of [...this.#files]) this.#remove(path);
    for (const waiter of this.#waiters.values()) {
      waiter.arrived('closed');
      waiter.delivered('closed');
    }
    this.#waiters.clear();
  }

  #remove(path: string): void {
    this.#files.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // a directory that went away took the cookie with it
    }
  }
}

/**
 * Whether gohot may create files in `dir`: its real path (symlinks resolved) must be a
 * directory owned by our effective uid. In anyone else's directory the owner could plant
 * files or swap the directory under us, so nothing is written there.
 */
export function ownedDir(dir: string): { readonly realPath: string } | 'foreign' | 'missing' {
  try {
    const realPath = realpathSync.native(dir);
    const st = lstatSync(realPath);
    if (!st.isDirectory()) return 'missing';
    // No effective uid (Windows): there is no owner to compare with.
    const euid = process.geteuid?.();
    return euid === undefined || st.uid === euid ? { realPath } : 'foreign';
  } catch {
    return 'missing';
  }
}

/**
 * Removes cookie files left in `dir` by a gohot that could not clean up (SIGKILL, a crash):
 * only in a directory we own, only empty regular files we own with a cookie name; symlinks
 * are never followed. Returns how many were removed; never rejects.
 */
export async function removeStaleCookies(dir: string): Promise<number> {
  const owned = ownedDir(dir);
  if (typeof owned === 'string') return 0;
  const euid = process.geteuid?.();
  let names: string[];
  try {
    names = (await readdir(owned.realPath)).filter((name) => COOKIE_NAME.test(name));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(owned.realPath, name);
    try {
      const st = await lstat(path);
      if (!st.isFile() || st.size !== 0 || (euid !== undefined && st.uid !== euid)) continue;
      await unlink(path);
      removed++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
