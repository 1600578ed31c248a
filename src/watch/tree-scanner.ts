import { type Dirent, lstatSync, readdirSync, Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { isCookieName } from './cookie.js';
import type { LinkBoundary } from './link-boundary.js';
import { type Snapshot, sameStat, type Verdict } from './snapshot.js';
import type { WatchFilter, WatchObservation } from './types.js';

// Directory reads and stats are synchronous: through fs/promises each one is a libuv
// thread-pool round trip that costs ~10x the CPU (bench/poll-sweep.mjs). Walks hand the event
// loop back at least every YIELD_EVERY_MS so signals, keys and events are never held up long.
const YIELD_EVERY_MS = 10;

async function stat(path: string): Promise<Stats> {
  return statSync(path);
}

async function readdir(dir: string, _options: { withFileTypes: true }): Promise<Dirent[]> {
  return readdirSync(dir, { withFileTypes: true });
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** What a backend wants to know while a directory tree is read. */
export interface ScanHooks {
  /** Before a directory's entries are read (new or known): the native backend watches it. */
  enterDir?(dir: string): void;
  /** For each known directory that no longer exists: the native backend releases its watch. */
  leaveDir?(dir: string): void;
  /** True for a directory this scan leaves alone because something else covers it. */
  skipDir?(dir: string): boolean;
}

/**
 * Reads directory trees against the snapshot (readdir withFileTypes + one stat per tracked
 * file, a hash only when the stat differs or is racily clean). Used for the initial walk, for
 * walking new directories, for native reconciliation and for poll sweeps.
 */
export class TreeScanner {
  readonly #snapshot: Snapshot;
  readonly #filter: WatchFilter;
  readonly #observe: (observation: WatchObservation) => void;
  readonly #boundary: LinkBoundary | undefined;
  /** Unreadable directories already warned about (one warning each). */
  readonly #warned = new Set<string>();
  #stopped = false;
  #lastYieldMs = performance.now();

  /** `boundary`: symlinks leading outside every watch root are not followed (none when absent). */
  constructor(
    snapshot: Snapshot,
    filter: WatchFilter,
    observe: (observation: WatchObservation) => void,
    boundary?: LinkBoundary,
  ) {
    this.#snapshot = snapshot;
    this.#filter = filter;
    this.#observe = observe;
    this.#boundary = boundary;
  }

  /**
   * Scans `dir`: new directories are always walked whole, known ones only when `recursive`.
   * Verified changes are appended to `out`.
   */
  async scan(dir: string, recursive: boolean, hooks: ScanHooks, out: Verdict[]): Promise<void> {
    await this.#yieldIfDue();
    if (this.#stopped || hooks.skipDir?.(dir)) return;
    const st = await stat(dir).catch((err: unknown) => err);
    if (this.#stopped) return;
    // A path over PATH_MAX (ENAMETOOLONG), a loop (ELOOP) ...: said once, never skipped silently.
    if (!(st instanceof Stats) && !isGoneError(st)) return this.#unreadable(dir, st, hooks, out);
    if (!(st instanceof Stats) || !st.isDirectory() || this.#dirLeavesRoots(dir)) {
      return this.removeTree(dir, hooks, out);
    }
    const key = `${st.dev}:${st.ino}`;
    const knownKey = this.#snapshot.dirKey(dir);
    // Same path, other inode: the directory was replaced (mv over it, rm -r + mkdir).
    if (knownKey !== undefined && knownKey !== key) await this.removeTree(dir, hooks, out);
    if (this.#isDuplicate(dir, key) || this.#stopped) return;
    hooks.enterDir?.(dir);
    this.#snapshot.addDir(dir, key);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      return this.#unreadable(dir, err, hooks, out);
    }
    const seenFiles = new Set<string>();
    const seenDirs = new Set<string>();
    await Promise.all(
      entries.map(async (entry) => {
        if (isCookieName(entry.name)) return;
        const abs = join(dir, entry.name);
        const kind = entryKind(entry, abs);
        if (kind === 'dir' && this.#watchesDir(abs) && !this.#leavesRoots(entry, abs, kind)) {
          seenDirs.add(abs);
          if (recursive || !this.#snapshot.hasDir(abs)) await this.scan(abs, recursive, hooks, out);
        } else if (kind === 'file' && this.#tracks(entry, abs)) {
          seenFiles.add(abs);
          await this.#verify(abs, out);
        }
      }),
    );
    // Known entries missing from the listing (or of another type now) are gone.
    for (const child of this.#snapshot.childrenOf(dir)) {
      if (this.#snapshot.hasDir(child) && !seenDirs.has(child)) {
        await this.removeTree(child, hooks, out);
      }
      if (this.#snapshot.hasFile(child) && !seenFiles.has(child)) await this.#verify(child, out);
    }
  }

  /**
   * The first walk of a root: watch (via `hooks.enterDir`) and record every directory and
   * tracked file, reporting nothing. Synchronous reads and hashes in one loop, yielding every
   * few ms: ~3x less CPU than `scan` on 10,000 files (bench/watcher-startup.mjs).
   */
  async baseline(root: string, hooks: ScanHooks): Promise<void> {
    const stack = [root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      await this.#yieldIfDue();
      if (this.#stopped) return;
      if (hooks.skipDir?.(dir)) continue;
      let st: Stats;
      try {
        st = statSync(dir);
      } catch (err) {
        if (!isGoneError(err)) await this.#unreadable(dir, err, hooks, []);
        continue;
      }
      if (!st.isDirectory()) continue;
      const key = `${st.dev}:${st.ino}`;
      if (this.#isDuplicate(dir, key)) continue;
      hooks.enterDir?.(dir);
      this.#snapshot.addDir(dir, key);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        await this.#unreadable(dir, err, hooks, []);
        continue;
      }
      for (const entry of entries) {
        if (isCookieName(entry.name)) continue;
        const abs = join(dir, entry.name);
        const kind = entryKind(entry, abs);
        if (kind === 'dir' && this.#watchesDir(abs)) {
          if (!this.#leavesRoots(entry, abs, kind)) stack.push(abs);
        } else if (kind === 'file' && this.#tracks(entry, abs)) {
          this.#snapshot.recordSync(abs, entry.isSymbolicLink());
        }
      }
    }
  }

  /**
   * A poll sweep of the tree at `root`: the cheap path for the common case where nothing
   * changed. One readdir per known directory and one stat per tracked file, compared with the
   * snapshot in place; only directories whose listing differs are handed to `scan` and only
   * files whose stat differs (or is racily clean) are verified by content.
   */
  async sweep(root: string, out: Verdict[]): Promise<void> {
    const suspectDirs: string[] = [];
    // Files to verify by content: the stat differs, or it is too recent to trust (racy).
    const suspectFiles: { path: string; statChanged: boolean }[] = [];
    const stack = [root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      await this.#yieldIfDue();
      if (this.#stopped) return;
      if (!this.#sweepDir(dir, stack, suspectFiles)) suspectDirs.push(dir);
    }
    for (const dir of suspectDirs) await this.scan(dir, false, {}, out);
    for (const { path, statChanged } of suspectFiles) {
      const before = out.length;
      await this.#verify(path, out);
      if (statChanged && out.length === before) {
        this.#observe({ type: 'content-unchanged', path, via: 'poll' });
      }
    }
  }

  /** Sweeps one directory; false when its listing or identity changed (scan it instead). */
  #sweepDir(
    dir: string,
    stack: string[],
    suspectFiles: { path: string; statChanged: boolean }[],
  ): boolean {
    const snapshot = this.#snapshot;
    const st = statOrUndefined(dir);
    if (st === undefined || !st.isDirectory() || snapshot.dirKey(dir) !== `${st.dev}:${st.ino}`) {
      return false;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let known = 0;
    let listingChanged = false;
    for (const entry of entries) {
      if (isCookieName(entry.name)) continue;
      const abs = join(dir, entry.name);
      if (snapshot.hasDir(abs)) {
        // A known directory that is a file now (rm -r d && echo > d): scan works it out.
        if (!entry.isDirectory() && !entry.isSymbolicLink()) listingChanged = true;
        else if (this.#leavesRoots(entry, abs, 'dir')) listingChanged = true;
        else {
          known++;
          stack.push(abs);
        }
        continue;
      }
      const recorded = snapshot.entry(abs);
      if (recorded === undefined) {
        // Untracked files and ignored directories are expected; anything else is new. Keep
        // going: the known subdirectories after it in the listing still need their sweep.
        // Symlinks are resolved: a link to a directory is a directory to walk.
        const kind = entryKind(entry, abs);
        if (
          kind === 'dir'
            ? this.#filter.dir(abs).watched && !this.#leavesRoots(entry, abs, kind)
            : kind === 'file' && this.#tracks(entry, abs)
        ) {
          listingChanged = true;
        }
        continue;
      }
      if (entry.isDirectory()) {
        listingChanged = true; // a known file that is a directory now
        continue;
      }
      known++;
      const fst = statOrUndefined(abs);
      const statChanged = fst === undefined || !sameStat(recorded, fst);
      if (statChanged || snapshot.isRacilyClean(recorded))
        suspectFiles.push({ path: abs, statChanged });
    }
    // Something known is missing from the listing: scan works out what went away.
    return !listingChanged && known === snapshot.childCount(dir);
  }

  /** A tracked file of a listing; a symlinked one only when it stays inside the roots. */
  #tracks(entry: Dirent, abs: string): boolean {
    return this.#filter.file(abs).tracked && !this.#leavesRoots(entry, abs, 'file');
  }

  /** True for a symlinked entry whose target lies outside every watch root (said once). */
  #leavesRoots(entry: Dirent, abs: string, kind: 'dir' | 'file'): boolean {
    if (!entry.isSymbolicLink() || this.#boundary === undefined) return false;
    return this.#boundary.excludes(abs, kind === 'dir' ? 'directory' : 'file');
  }

  /** The same for a directory scanned by path (an event named it, or it was replaced). */
  #dirLeavesRoots(dir: string): boolean {
    if (this.#boundary === undefined) return false;
    const lst = lstatOrUndefined(dir);
    return lst?.isSymbolicLink() === true && this.#boundary.excludes(dir, 'directory');
  }

  async #yieldIfDue(): Promise<void> {
    if (performance.now() - this.#lastYieldMs < YIELD_EVERY_MS) return;
    await nextTurn();
    this.#lastYieldMs = performance.now();
  }

  /** Makes every running and later scan return early (the watcher is closing). */
  stop(): void {
    this.#stopped = true;
  }

  /** A known directory vanished: forget it and everything below, verify the files it held. */
  async removeTree(dir: string, hooks: ScanHooks, out: Verdict[]): Promise<void> {
    const files = this.#snapshot.filesUnder(dir);
    for (const d of this.#snapshot.dirsUnder(dir)) {
      hooks.leaveDir?.(d);
      this.#snapshot.forgetDir(d);
    }
    await Promise.all(files.map((file) => this.#verify(file, out)));
  }

  async #verify(path: string, out: Verdict[]): Promise<void> {
    const kind = await this.#snapshot.verify(path);
    if (kind !== undefined) out.push({ path, kind });
  }

  /** The filter's verdict for a directory found by a walk; a skipped one is observed. */
  #watchesDir(abs: string): boolean {
    const verdict = this.#filter.dir(abs);
    if (!verdict.watched) this.#observe({ type: 'dir-skipped', path: abs, reason: verdict.reason });
    return verdict.watched;
  }

  // A symlinked directory is followed once: a second path to the same (dev, ino) is a loop or
  // an alias of a directory already walked.
  #isDuplicate(dir: string, key: string): boolean {
    const owner = this.#snapshot.dirWithKey(key);
    if (owner === undefined || owner === dir) return false;
    const ownerSt = statOrUndefined(owner);
    if (ownerSt === undefined || `${ownerSt.dev}:${ownerSt.ino}` !== key) return false;
    this.#observe({ type: 'dir-alias', path: dir, sameAs: owner });
    return true;
  }

  async #unreadable(dir: string, err: unknown, hooks: ScanHooks, out: Verdict[]): Promise<void> {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return this.removeTree(dir, hooks, out);
    if (this.#warned.has(dir)) return;
    this.#warned.add(dir);
    this.#observe({ type: 'dir-unreadable', path: dir, code: code ?? String(err) });
  }
}

/** The path is simply not there (any more): not worth a warning. */
function isGoneError(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function entryKind(entry: Dirent, abs: string): 'dir' | 'file' | 'other' {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  const target = statOrUndefined(abs);
  if (target?.isDirectory()) return 'dir';
  return target?.isFile() ? 'file' : 'other';
}
