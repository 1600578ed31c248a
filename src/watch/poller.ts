import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { errnoCode } from '../errors.js';
import { isCookieName } from './cookie.js';
import type { Snapshot, Verdict } from './snapshot.js';
import type { WatchFilter, WatchLog } from './types.js';

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
  readonly #log: (log: WatchLog) => void;
  /** Unreadable directories already warned about (one warning each). */
  readonly #warned = new Set<string>();
  #stopped = false;

  constructor(snapshot: Snapshot, filter: WatchFilter, log: (log: WatchLog) => void) {
    this.#snapshot = snapshot;
    this.#filter = filter;
    this.#log = log;
  }

  /**
   * Scans `dir`: new directories are always walked whole, known ones only when `recursive`.
   * Verified changes are appended to `out`.
   */
  async scan(dir: string, recursive: boolean, hooks: ScanHooks, out: Verdict[]): Promise<void> {
    if (this.#stopped || hooks.skipDir?.(dir)) return;
    const st = await stat(dir).catch(() => undefined);
    if (this.#stopped) return;
    if (st === undefined || !st.isDirectory()) return this.removeTree(dir, hooks, out);
    const key = `${st.dev}:${st.ino}`;
    const knownKey = this.#snapshot.dirKey(dir);
    // Same path, other inode: the directory was replaced (mv over it, rm -r + mkdir).
    if (knownKey !== undefined && knownKey !== key) await this.removeTree(dir, hooks, out);
    if ((await this.#isDuplicate(dir, key)) || this.#stopped) return;
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
        const kind = await entryKind(entry, abs);
        if (kind === 'dir' && !this.#filter.ignoreDir(abs)) {
          seenDirs.add(abs);
          if (recursive || !this.#snapshot.hasDir(abs)) await this.scan(abs, recursive, hooks, out);
        } else if (kind === 'file' && this.#filter.trackFile(abs)) {
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

  // A symlinked directory is followed once: a second path to the same (dev, ino) is a loop or
  // an alias of a directory already walked.
  async #isDuplicate(dir: string, key: string): Promise<boolean> {
    const owner = this.#snapshot.dirWithKey(key);
    if (owner === undefined || owner === dir) return false;
    const ownerSt = await stat(owner).catch(() => undefined);
    if (ownerSt === undefined || `${ownerSt.dev}:${ownerSt.ino}` !== key) return false;
    this.#log({ level: 'debug', message: `not following ${dir}: same directory as ${owner}` });
    return true;
  }

  async #unreadable(dir: string, err: unknown, hooks: ScanHooks, out: Verdict[]): Promise<void> {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return this.removeTree(dir, hooks, out);
    if (this.#warned.has(dir)) return;
    this.#warned.add(dir);
    this.#log({ level: 'warn', message: `skipping unreadable directory ${dir} (${code ?? err})` });
  }
}

async function entryKind(entry: Dirent, abs: string): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  const target = await stat(abs).catch(() => undefined);
  if (target?.isDirectory()) return 'dir';
  return target?.isFile() ? 'file' : 'other';
}

/** Options of {@link Poller}. */
export interface PollerOptions {
  readonly scanner: TreeScanner;
  /** Pause between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
  readonly onVerdicts: (verdicts: readonly Verdict[]) => void;
}

/**
 * The poll backend: sweeps a set of directory trees (poll roots, and native subtrees that
 * fell back to polling) with the scanner. One sweep at a time; the timer is unref'd and only
 * runs after `start()`.
 */
export class Poller {
  readonly #options: PollerOptions;
  readonly #trees = new Set<string>();
  #chain: Promise<void> = Promise.resolve();
  /** A sweep queued behind the running one; callers of sweep() share it. */
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  get treeCount(): number {
    return this.#trees.size;
  }

  /** True when `dir` is one of the polled trees or below one (O(depth), asked per directory). */
  covers(dir: string): boolean {
    for (let p = dir; ; p = dirname(p)) {
      if (this.#trees.has(p)) return true;
      if (dirname(p) === p) return false;
    }
  }

  /** Polls the tree at `dir` from now on (trees below it are merged into it). */
  add(dir: string): void {
    if (this.covers(dir)) return;
    for (const tree of this.#trees) if (tree.startsWith(dir + sep)) this.#trees.delete(tree);
    this.#trees.add(dir);
  }

  /** Starts the periodic sweeps (after the initial walk, so start-up files are not reported). */
  start(): void {
    this.#started = true;
    this.#arm();
  }

  /** Resolves after a sweep that started after this call has finished. */
  sweep(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#queued !== undefined) return this.#queued;
    const run = this.#chain.then(async () => {
      this.#queued = undefined;
      await this.#sweepOnce();
    });
    this.#queued = run;
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#chain;
  }

  async #sweepOnce(): Promise<void> {
    if (this.#closed) return;
    const out: Verdict[] = [];
    await Promise.all(
      [...this.#trees].map((tree) => this.#options.scanner.scan(tree, true, {}, out)),
    );
    if (!this.#closed && out.length > 0) this.#options.onVerdicts(out);
  }

  #arm(): void {
    if (this.#closed || !this.#started) return;
    this.#timer = setTimeout(() => {
      this.sweep().then(
        () => this.#arm(),
        () => this.#arm(),
      );
    }, this.#options.intervalMs);
    this.#timer.unref();
  }
}
