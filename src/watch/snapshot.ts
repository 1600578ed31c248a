import { lstatSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from '../errors.js';
import { type HashFn, hashFile, hashFileSync } from './hash.js';
import type { FileChange } from './types.js';

/** What the snapshot concluded about one file. */
export type ChangeKind = 'created' | 'modified' | 'deleted';

/** One verified change, before the caller says how it was found. */
export interface Verdict {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before?: string | undefined;
}

/** The stat fields the snapshot compares. */
export type FileStat = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'mode' | 'isFile'>;

/** What the snapshot remembers about one tracked file. */
export interface FileEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly mode: number;
  /** Content hash, or `!<errno>` when the file could not be read. */
  readonly hash: string;
  /** Wall clock just before the stat this entry was made from. */
  readonly recordedAtMs: number;
}

/** Options of {@link Snapshot}; the injectable parts exist for tests. */
export interface SnapshotOptions {
  /** Timestamp granularity for the racy-clean rule. @default 2000 */
  readonly racyGranularityMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Follows symlinks, like the default. @default a synchronous stat (see hash.ts for why) */
  readonly stat?: (path: string) => Promise<FileStat>;
  /** @default hashFile */
  readonly hash?: HashFn;
  /**
   * True for an existing file that must not be tracked (it resolves outside every watch root);
   * asked before a file is hashed, and such a file counts as gone. @default none is
   */
  readonly excludes?: (path: string) => boolean;
}

/**
 * The watcher's memory of the tree: every tracked file with its stat and content hash, and
 * every known directory with its (dev:ino) key. `verify` re-stats one file and says whether it
 * really changed; calls for the same path are serialized, so an event and a sweep racing on
 * one file cannot both report it.
 */
export class Snapshot {
  readonly #files = new Map<string, FileEntry>();
  /** Known directory -> `dev:ino` of what it resolves to. */
  readonly #dirs = new Map<string, string>();
  readonly #dirByKey = new Map<string, string>();
  /** dirname -> known files and directories in it. */
  readonly #children = new Map<string, Set<string>>();
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Tracked files that are symlinks: an edit of their target raises no event for them. */
  readonly #links = new Set<string>();
  readonly #granularityMs: number;
  readonly #clock: () => number;
  readonly #stat: (path: string) => Promise<FileStat>;
  readonly #hash: HashFn;
  readonly #excludes: (path: string) => boolean;

  constructor(options: SnapshotOptions = {}) {
    this.#granularityMs = options.racyGranularityMs ?? 2000;
    this.#clock = options.clock ?? Date.now;
    this.#stat = options.stat ?? statNow;
    this.#hash = options.hash ?? hashFile;
    this.#excludes = options.excludes ?? (() => false);
  }

  get fileCount(): number {
    return this.#files.size;
  }

  get dirCount(): number {
    return this.#dirs.size;
  }

  entry(path: string): FileEntry | undefined {
    return this.#files.get(path);
  }

  /** Tracked files that are symbolic links (their targets may be anywhere). */
  links(): string[] {
    return [...this.#links];
  }

  isLink(path: string): boolean {
    return this.#links.has(path);
  }

  hasFile(path: string): boolean {
    return this.#files.has(path);
  }

  hasDir(dir: string): boolean {
    return this.#dirs.has(dir);
  }

  dirKey(dir: string): string | undefined {
    return this.#dirs.get(dir);
  }

  /** The known directory that resolves to `key` (dev:ino), if any. */
  dirWithKey(key: string): string | undefined {
    return this.#dirByKey.get(key);
  }

  addDir(dir: string, key: string): void {
    const old = this.#dirs.get(dir);
    if (old !== undefined && this.#dirByKey.get(old) === dir) this.#dirByKey.delete(old);
    this.#dirs.set(dir, key);
    this.#dirByKey.set(key, dir);
    this.#link(dir);
  }

  /** Forgets a directory's own record; files below are left to `verify`. */
  forgetDir(dir: string): void {
    const key = this.#dirs.get(dir);
    if (key === undefined) return;
    this.#dirs.delete(dir);
    if (this.#dirByKey.get(key) === dir) this.#dirByKey.delete(key);
    this.#unlink(dir);
  }

  /** How many known files and directories are directly in `dir`. */
  childCount(dir: string): number {
    return this.#children.get(dir)?.size ?? 0;
  }

  /** Known files and directories directly in `dir`. */
  childrenOf(dir: string): string[] {
    return [...(this.#children.get(dir) ?? [])];
  }

  /** `dir` (when known) and every known directory below it, parents first. */
  dirsUnder(dir: string): string[] {
    const out: string[] = this.#dirs.has(dir) ? [dir] : [];
    for (let i = 0; i < out.length; i++) {
      for (const child of this.#children.get(out[i]!) ?? []) {
        if (this.#dirs.has(child)) out.push(child);
      }
    }
    return out;
  }

  /** Every tracked file below `dir`, through known directories. */
  filesUnder(dir: string): string[] {
    const files: string[] = [];
    const dirs = [dir];
    for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
      for (const child of this.#children.get(d) ?? []) {
        if (this.#files.has(child)) files.push(child);
        if (this.#dirs.has(child)) dirs.push(child);
      }
    }
    return files;
  }

  /** Git's racy-clean rule: stamped too close to when it was recorded to trust the stat. */
  isRacilyClean(entry: FileEntry): boolean {
    return entry.mtimeMs >= entry.recordedAtMs - this.#granularityMs;
  }

  /**
   * Re-stats `path` (a missing or non-regular file counts as gone) and updates the entry.
   * Equal stat and not racily clean: unchanged without reading. Otherwise the content hash
   * decides, so `touch`, a no-op save or a rename of identical content report nothing.
   */
  verify(path: string): Promise<ChangeKind | undefined> {
    const previous = this.#locks.get(path) ?? Promise.resolve();
    const result = previous.then(() => this.#verifyNow(path));
    const tail = result.catch(() => undefined);
    this.#locks.set(path, tail);
    void tail.then(() => {
      if (this.#locks.get(path) === tail) this.#locks.delete(path);
    });
    return result;
  }

  async #verifyNow(path: string): Promise<ChangeKind | undefined> {
    const recordedAtMs = this.#clock();
    let st = await this.#stat(path).catch(() => undefined);
    const old = this.#files.get(path);
    if (st === undefined || !st.isFile()) return this.#drop(path, old);
    if (old !== undefined && sameStat(old, st) && !this.isRacilyClean(old)) return undefined;
    if (this.#excludes(path)) return this.#drop(path, old);
    let hash: string;
    // A write that lands while we read makes the hash describe neither version: read again
    // until the stat before and after the read agree (a few tries; the next event re-checks).
    for (let attempt = 1; ; attempt++) {
      try {
        hash = await this.#hash(path);
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
          return this.#drop(path, old);
        }
        hash = `!${code ?? 'unreadable'}`;
      }
      const after = await this.#stat(path).catch(() => undefined);
      if (after === undefined || !after.isFile()) return this.#drop(path, old);
      if (attempt === 3 || sameStat(statFields(st), after)) break;
      st = after;
    }
    const { size, mtimeMs, ctimeMs, ino, mode } = st;
    this.#files.set(path, { size, mtimeMs, ctimeMs, ino, mode, hash, recordedAtMs });
    this.#link(path);
    if (old === undefined) {
      this.#noteLink(path);
      return 'created';
    }
    if (old.hash === hash) return undefined;
    this.#before.set(path, old.hash);
    return 'modified';
  }

  readonly #before = new Map<string, string>();
  /** The hash a file had before its last reported change (taken once). */
  takeBefore(path: string): string | undefined {
    const b = this.#before.get(path);
    this.#before.delete(path);
    return b;
  }

  /**
   * Records a file seen by a baseline walk, synchronously and without a verdict (it is the
   * starting point, not a change). Same stat-hash-stat check as `verify`, so a write during
   * the read never pairs one version's stat with the other's hash. Uses the real file system
   * (not the injected stat/hash): it exists for speed on big trees.
   */
  recordSync(path: string, isLink = false): void {
    const recordedAtMs = this.#clock();
    let st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) return;
    let hash: string;
    for (let attempt = 1; ; attempt++) {
      try {
        hash = hashFileSync(path);
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return;
        hash = `!${code ?? 'unreadable'}`;
      }
      const after = statSync(path, { throwIfNoEntry: false });
      if (after === undefined || !after.isFile()) return;
      if (attempt === 3 || sameStat(statFields(st), after)) break;
      st = after;
    }
    const { size, mtimeMs, ctimeMs, ino, mode } = st;
    this.#files.set(path, { size, mtimeMs, ctimeMs, ino, mode, hash, recordedAtMs });
    this.#link(path);
    if (isLink) this.#links.add(path);
  }

  #noteLink(path: string): void {
    try {
      if (lstatSync(path).isSymbolicLink()) this.#links.add(path);
    } catch {
      // gone again: #drop forgets it
    }
  }

  #drop(path: string, old: FileEntry | undefined): ChangeKind | undefined {
    if (old === undefined) return undefined;
    this.#before.set(path, old.hash);
    this.#files.delete(path);
    this.#links.delete(path);
    this.#unlink(path);
    return 'deleted';
  }

  #link(path: string): void {
    const parent = dirname(path);
    let set = this.#children.get(parent);
    if (set === undefined) {
      set = new Set();
      this.#children.set(parent, set);
    }
    set.add(path);
  }

  #unlink(path: string): void {
    if (this.#files.has(path) || this.#dirs.has(path)) return;
    const parent = dirname(path);
    const set = this.#children.get(parent);
    if (set === undefined) return;
    set.delete(path);
    if (set.size === 0) this.#children.delete(parent);
  }
}

/** stat(2) without a libuv thread-pool round trip; rejects like fs/promises.stat. */
async function statNow(path: string): Promise<FileStat> {
  return statSync(path);
}

type StatFields = Omit<FileEntry, 'hash' | 'recordedAtMs'>;

function statFields(st: FileStat): StatFields {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, mode: st.mode };
}

/** True when a fresh stat matches what the snapshot recorded (size, times, inode, mode). */
export function sameStat(entry: StatFields, st: FileStat): boolean {
  return (
    entry.size === st.size &&
    entry.mtimeMs === st.mtimeMs &&
    entry.ctimeMs === st.ctimeMs &&
    entry.ino === st.ino &&
    entry.mode === st.mode
  );
}

/**
 * Turns verdicts into one batch of changes that never names a path twice: the verdicts of a
 * path are folded in order (created+modified = created, created+deleted = nothing,
 * deleted+created = modified, anything+deleted = deleted).
 */
export function toChanges(
  verdicts: readonly Verdict[],
  via: (path: string) => FileChange['via'],
): FileChange[] {
  const batch = new Map<string, ChangeKind>();
  for (const { path, kind } of verdicts) {
    const prev = batch.get(path);
    if (prev === undefined) batch.set(path, kind);
    else if (prev === 'created' && kind === 'deleted') batch.delete(path);
    else if (prev === 'created') batch.set(path, 'created');
    else if (prev === 'deleted' && kind === 'created') batch.set(path, 'modified');
    else batch.set(path, kind);
  }
  return [...batch].map(([path, kind]) => ({ path, kind, via: via(path) }));
}
