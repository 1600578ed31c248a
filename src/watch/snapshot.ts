import { lstatSync, type Stats, statSync } from 'node:fs';
import { sep } from 'node:path';
import { errnoCode } from '../errors.js';
import {
  type DirListing,
  type FileEntry,
  FileIndex,
  type FileRecords,
  type FileRef,
  PENDING,
  type StatFields,
} from './file-index.js';
import { HASH_CHUNK_BYTES, type HashFn, hashFileSync } from './hash.js';
import type { FileChange, FileTier } from './types.js';

/** What the snapshot concluded about one file. */
export type ChangeKind = 'created' | 'modified' | 'deleted';

/** One verified change, before the caller says how it was found. */
export interface Verdict {
  readonly path: string;
  readonly kind: ChangeKind;
}

/** The stat fields the snapshot compares. */
export type FileStat = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'mode' | 'isFile'>;

export type { DirListing, FileEntry, FileRef, ListingStamp } from './file-index.js';

/** Options of {@link Snapshot}; the injectable parts exist for tests. */
export interface SnapshotOptions {
  /** Timestamp granularity for the racy-clean rule. @default 2000 */
  readonly racyGranularityMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Follows symlinks, like the default. @default a synchronous stat (see hash.ts for why) */
  readonly stat?: (path: string) => Promise<FileStat>;
  /** @default hashFile (synchronous reads into one buffer) */
  readonly hash?: HashFn;
  /**
   * True for an existing file that must not be tracked (it resolves outside every watch root);
   * asked before a file is hashed, and such a file counts as gone. @default none is
   */
  readonly excludes?: (path: string) => boolean;
}

/**
 * The watcher's memory of the tree: every tracked file with its tier, stat and (hot files)
 * content hash, and every known directory with its (dev:ino) key. `verify` re-stats one file
 * and says whether it really changed; calls for the same path (and `rebaseline`, `complete`)
 * are serialized, so an event and a sweep racing on one file cannot both report it.
 */
export class Snapshot {
  readonly #index = new FileIndex();
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Tracked files that are symlinks: an edit of their target raises no event for them. */
  readonly #links = new Set<string>();
  readonly #granularityMs: number;
  readonly #clock: () => number;
  readonly #stat: (path: string) => Promise<FileStat>;
  readonly #hash: HashFn;
  readonly #excludes: (path: string) => boolean;
  /** One read buffer for every hash (they are synchronous): no 64 KiB allocation per file. */
  readonly #buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);

  constructor(options: SnapshotOptions = {}) {
    this.#granularityMs = options.racyGranularityMs ?? 2000;
    this.#clock = options.clock ?? Date.now;
    this.#stat = options.stat ?? statNow;
    this.#hash = options.hash ?? (async (path) => hashFileSync(path, this.#buffer));
    this.#excludes = options.excludes ?? (() => false);
  }

  get fileCount(): number {
    return this.#index.fileCount;
  }

  get hotCount(): number {
    return this.#index.hotCount;
  }

  get coldCount(): number {
    return this.#index.fileCount - this.#index.hotCount;
  }

  /** Hot files whose content hash is not recorded yet. */
  get unhashedCount(): number {
    return this.#index.unhashedCount;
  }

  get dirCount(): number {
    return this.#index.dirCount;
  }

  /** Hot files whose stat is not recorded yet (see `recordWalk` and `fillIn`). */
  get pendingCount(): number {
    return this.#index.pendingCount;
  }

  /** The directories that hold a hot file whose stat is not recorded yet. */
  dirsWithPending(): string[] {
    return this.#index.dirsWithPending();
  }

  /**
   * Records the stat of each hot file of `dir` that a walk left without one (see
   * `recordWalk`), as the start-up walk would have (racily clean: hashed at once), without a
   * verdict; returns how many it recorded. A file being verified meanwhile is left to that, and
   * one `skip` names to its event; a file that is gone, or not a file now, is left without a
   * stat: its removal came after the walk listed it, and the event of that is what reports it.
   */
  fillIn(dir: string, skip: (path: string) => boolean = () => false): number {
    const listing = this.#index.listing(dir);
    if (listing === undefined) return 0;
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    let filled = 0;
    for (const [name, ref] of listing.files) {
      if (ref !== PENDING) continue;
      const path = prefix + name;
      if (this.#locks.has(path) || skip(path)) continue;
      if (this.#recordHotSync(dir, name, path)) filled++;
    }
    return filled;
  }

  /**
   * Marks changed (`unfill`) each file of `dir` with a recorded stat whose ctime is not safely
   * before the listing of `dir` was read, but those `skip` names: for stats taken after a walk
   * with no event to vouch for them (the root turned out to get none, or its events may have
   * been lost meanwhile), a write between the listing and the stat would be taken in. A cold
   * one is a hot file stat'ed after the walk that refilter made cold. Returns how many it
   * marked.
   */
  unfillChangedSinceListing(dir: string, skip: (path: string) => boolean = () => false): number {
    const listing = this.#index.listing(dir);
    const stamp = listing?.stamp;
    if (listing === undefined || stamp === undefined) return 0;
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const records = this.#index.records;
    const changed: string[] = [];
    for (const [name, ref] of listing.files) {
      if (ref < 0) continue;
      if (records.entry(ref).ctimeMs >= stamp.recordedAtMs - this.#granularityMs) {
        const path = prefix + name;
        if (!skip(path)) changed.push(path);
      }
    }
    for (const path of changed) this.unfill(path);
    return changed.length;
  }

  /**
   * Forgets the recorded stat and hash of a file (see `fillIn`): the next look at it is a
   * change, whatever its stat. For a file whose stat was taken while a change of it may have
   * been on its way; a cold one (refilter made it cold since, keeping that stat) becomes
   * known from its listing only.
   */
  unfill(path: string): void {
    const ref = this.#index.ref(path);
    if (ref === undefined || ref < 0) return;
    this.#index.setFile(path, this.#index.records.tier(ref), undefined, undefined, 0);
  }

  /**
   * Calls `fn` with every tracked file and its tier, live: a file changed or dropped meanwhile
   * is seen as it is then (what `rebaseline` does is safe).
   */
  forEachFile(fn: (path: string, tier: FileTier) => void): void {
    this.#index.forEachFile(fn);
  }

  /** Hot files whose content hash is not recorded yet. */
  unhashed(): string[] {
    return this.#index.unhashed();
  }

  /** What the handles of {@link DirListing.files} stand for (tier, stat, hash). */
  get records(): FileRecords {
    return this.#index.records;
  }

  /** Changes whenever the known directories, or which of them are cold-only, change. */
  get shape(): number {
    return this.#index.shape;
  }

  /** The tracked files and known subdirectories directly in `dir`, by name (live). */
  listing(dir: string): DirListing | undefined {
    return this.#index.listing(dir);
  }

  /** The record of `path` as a plain value. */
  entry(path: string): FileEntry | undefined {
    return this.#index.file(path);
  }

  /** The tier of a tracked file. */
  tierOf(path: string): FileTier | undefined {
    const ref = this.#index.ref(path);
    return ref === undefined ? undefined : this.#index.records.tier(ref);
  }

  /** Tracked files that are symbolic links (their targets may be anywhere). */
  links(): string[] {
    return [...this.#links];
  }

  isLink(path: string): boolean {
    return this.#links.has(path);
  }

  hasFile(path: string): boolean {
    return this.#index.ref(path) !== undefined;
  }

  hasDir(dir: string): boolean {
    return this.#index.hasDir(dir);
  }

  dirKey(dir: string): string | undefined {
    return this.#index.dirKey(dir);
  }

  /** The known directory that resolves to `key` (dev:ino), if any. */
  dirWithKey(key: string): string | undefined {
    return this.#index.dirWithKey(key);
  }

  addDir(dir: string, key: string): void {
    this.#index.addDir(dir, key);
  }

  /** Forgets a directory's own record; files below are left to `verify`. */
  forgetDir(dir: string): void {
    this.#index.forgetDir(dir);
  }

  /** How many known files and directories are directly in `dir`. */
  childCount(dir: string): number {
    return this.#index.childCount(dir);
  }

  /** The snapshot's clock (wall time), for stamps taken outside it. */
  now(): number {
    return this.#clock();
  }

  /**
   * Records that the listing of `dir` (stat'ed as `st` at `recordedAtMs`, then read) is in
   * the snapshot, with the names it ignored and, when told apart, those of them that were not
   * plain files (ListingStamp.others). See {@link isListingCurrent}.
   */
  stampListing(
    dir: string,
    st: Pick<Stats, 'mtimeMs' | 'ctimeMs'>,
    recordedAtMs: number,
    ignored: readonly string[] | undefined,
    hasLinks: boolean,
    others?: readonly string[],
  ): void {
    this.#index.stampListing(dir, st.mtimeMs, st.ctimeMs, recordedAtMs, ignored, hasLinks, others);
  }

  /**
   * True when a directory's listing cannot have changed since it was stamped: its mtime and ctime
   * are the stamped ones (creating, removing or renaming an entry updates both
   * [docs/facts.md#directory-timestamps]), the stamp is not racily clean, and the listing
   * held no symbolic link.
   */
  isListingCurrent(listing: DirListing, st: Pick<Stats, 'mtimeMs' | 'ctimeMs'>): boolean {
    const stamp = listing.stamp;
    return (
      stamp !== undefined &&
      !stamp.hasLinks &&
      stamp.mtimeMs === st.mtimeMs &&
      stamp.ctimeMs === st.ctimeMs &&
      !this.#isRacy(stamp.mtimeMs, stamp.recordedAtMs)
    );
  }

  /**
   * Notes an existing entry that is not tracked (an event named it), for a later refilter;
   * `plainFile`: it is a file, not a directory or a link to one.
   */
  ignore(path: string, plainFile = false): void {
    const i = path.lastIndexOf(sep);
    this.#index.ignore(i === 0 ? sep : path.slice(0, i), path.slice(i + 1), plainFile);
  }

  /** Drops ignored names of `dir` that `keep` rejects. */
  unignore(dir: string, keep: (name: string) => boolean): void {
    this.#index.unignore(dir, keep);
  }

  /** Known files and directories directly in `dir`. */
  childrenOf(dir: string): string[] {
    return this.#index.childrenOf(dir);
  }

  /** `dir` (when known) and every known directory below it, parents first. */
  dirsUnder(dir: string): string[] {
    return this.#index.dirsUnder(dir);
  }

  /** Every tracked file below `dir`, through known directories. */
  filesUnder(dir: string): string[] {
    return this.#index.filesUnder(dir);
  }

  /**
   * Git's racy-clean rule: a hot file stamped too close to when it was recorded to trust the
   * stat. `file`: its record, or the handle of it.
   */
  isRacilyClean(file: FileEntry | FileRef): boolean {
    if (typeof file !== 'number') {
      return file.tier === 'hot' && this.#isRacy(file.mtimeMs, file.recordedAtMs);
    }
    const records = this.#index.records;
    return (
      records.tier(file) === 'hot' &&
      this.#isRacy(records.mtimeMs(file), records.recordedAtMs(file))
    );
  }

  /**
   * Re-stats `path` (a missing or non-regular file counts as gone) and updates the entry. A
   * known file keeps its tier; a new one gets `tierIfNew`.
   *
   * Hot: equal stat and not racily clean is unchanged without reading. Otherwise the content
   * hash decides, so `touch`, a no-op save or a rename of identical content report nothing;
   * without a recorded hash (deferred) any other stat is `modified`.
   * Cold: never read; any other stat than the recorded one (or none recorded) is `modified`.
   */
  verify(path: string, tierIfNew: FileTier = 'hot'): Promise<ChangeKind | undefined> {
    return this.#serially(path, () => this.#verifyNow(path, tierIfNew, false));
  }

  /**
   * Records the hash of a hot file whose hash was deferred, without a verdict when its stat is
   * still the recorded one (its content is then the content it had when recorded: the entry
   * was not racily clean, so any write since would have changed mtime or ctime). A changed
   * stat, or a write during the read, is `modified`; a vanished file `deleted`.
   */
  complete(path: string): Promise<ChangeKind | undefined> {
    return this.#serially(path, () => {
      const old = this.#index.file(path);
      if (old === undefined || old.tier !== 'hot' || old.hash !== undefined) return undefined;
      return this.#verifyNow(path, 'hot', true);
    });
  }

  /**
   * Only whether the file is still there: `deleted` when it is gone, nothing otherwise (a
   * cold symlink, whose target's edits raise no event and do not matter).
   */
  verifyExistence(path: string): Promise<ChangeKind | undefined> {
    return this.#serially(path, async () => {
      const st = await this.#stat(path).catch(() => undefined);
      if (st?.isFile()) return undefined;
      return this.#drop(path, this.#index.file(path));
    });
  }

  /**
   * Gives a known file a new verdict without reporting anything (the filter changed):
   * `undefined` forgets it; hot -> cold drops the hash; cold -> hot records the stat taken
   * now (the baseline a later change is measured against) and defers the hash unless the
   * stat is racily clean (then it is hashed now). Applied at once unless a verification of
   * the path is running; then right after it.
   */
  rebaseline(path: string, tier: FileTier | undefined): Promise<void> | undefined {
    const was = this.tierOf(path);
    if (was === undefined || was === tier) return undefined;
    const recordedAtMs = this.#clock();
    const st = tier === 'hot' ? statOrUndefined(path) : undefined;
    const apply = () => this.#rebaselineNow(path, tier, st, recordedAtMs);
    if (!this.#locks.has(path)) {
      apply();
      return undefined;
    }
    return this.#serially(path, async () => apply());
  }

  #rebaselineNow(
    path: string,
    tier: FileTier | undefined,
    st: Stats | undefined,
    recordedAtMs: number,
  ): void {
    const was = this.tierOf(path);
    if (was === undefined || was === tier) return;
    if (tier === undefined) {
      const link = this.#links.has(path);
      this.#drop(path, this.#index.file(path));
      this.ignore(path, !link); // a later refilter may let it in again, silently
      return;
    }
    if (tier === 'cold') {
      this.#index.makeCold(path);
      return;
    }
    // Gone or not a file now: left cold, the next look at it reports it.
    if (st === undefined || !st.isFile()) return;
    if (this.#isRacy(st.mtimeMs, recordedAtMs)) this.#recordHashedSync(path);
    else this.#index.setFile(path, 'hot', st, undefined, recordedAtMs);
  }

  /** Runs `fn` after every earlier call for `path` has finished. */
  #serially<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
    const previous = this.#locks.get(path) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(path, tail);
    void tail.then(() => {
      if (this.#locks.get(path) === tail) this.#locks.delete(path);
    });
    return result;
  }

  async #verifyNow(
    path: string,
    tierIfNew: FileTier,
    complete: boolean,
  ): Promise<ChangeKind | undefined> {
    const recordedAtMs = this.#clock();
    let st = await this.#stat(path).catch(() => undefined);
    const old = this.#index.file(path);
    if (st === undefined || !st.isFile()) return this.#drop(path, old);
    if ((old?.tier ?? tierIfNew) === 'cold') {
      if (old !== undefined && sameStat(old, st)) return undefined;
      if (this.#excludes(path)) return this.#drop(path, old);
      this.#index.setFile(path, 'cold', st, undefined, recordedAtMs);
      if (old !== undefined) return 'modified';
      this.#noteLink(path);
      return 'created';
    }
    const unhashed = old !== undefined && old.hash === undefined;
    if (
      old !== undefined &&
      sameStat(old, st) &&
      !this.isRacilyClean(old) &&
      !(complete && unhashed)
    ) {
      return undefined;
    }
    // A file recorded inside the roots whose stat is the same is the same file.
    const admitted = complete && old !== undefined && sameStat(old, st);
    if (!admitted && this.#excludes(path)) return this.#drop(path, old);
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
    this.#index.setFile(path, 'hot', st, hash, recordedAtMs);
    if (old === undefined) {
      this.#noteLink(path);
      return 'created';
    }
    // No hash to compare with: only an unchanged stat vouches for the content.
    if (unhashed) return sameStat(old, st) ? undefined : 'modified';
    if (old.hash === hash) return undefined;
    this.#noteBefore(path, old);
    return 'modified';
  }

  /** path -> content hash before its last reported change, until the change is delivered. */
  readonly #before = new Map<string, string>();

  #noteBefore(path: string, old: FileEntry): void {
    if (old.hash !== undefined && !this.#before.has(path)) this.#before.set(path, old.hash);
  }

  /**
   * The content hash `path` had before the changes reported since the last call (undefined
   * when it was new or never hashed); the watcher hands it on with the change.
   */
  takeBefore(path: string): string | undefined {
    const hash = this.#before.get(path);
    this.#before.delete(path);
    return hash;
  }

  /**
   * Records a file seen by a baseline walk (`name` in directory `dir`), synchronously and
   * without a verdict (it is the starting point, not a change). Cold: the listing is all, no
   * stat. Hot: stat and hash, with the same stat-hash-stat check as `verify`, so a write during
   * the read never pairs one version's stat with the other's hash; with `hashNow` false the
   * hash is deferred (see `complete`) unless the stat is racily clean. With `statLater` too (not
   * for a link), a hot file is recorded without a stat, like a cold one: `fillIn` takes it, and
   * until then any look at it is a change. Uses the real file system (not the injected
   * stat/hash): it exists for speed on big trees. `prefix` is `dir` with its separator: the
   * path is built only for a file that is read.
   */
  recordWalk(
    dir: string,
    name: string,
    prefix: string,
    tier: FileTier,
    isLink: boolean,
    hashNow: boolean,
    statLater = false,
  ): void {
    if (tier === 'cold' || (statLater && !hashNow && !isLink)) {
      this.#index.setFileIn(dir, name, tier, undefined, undefined, 0);
      if (isLink) this.#links.add(prefix + name);
      return;
    }
    const path = prefix + name;
    if (hashNow) {
      if (!this.#recordHashedSync(path)) return;
    } else if (!this.#recordHotSync(dir, name, path)) return;
    if (isLink) this.#links.add(path);
  }

  /**
   * Records hot file `name` of `dir` by its stat, hashed too when the stat is racy (the file
   * may change again within the timestamp granularity); false when it is gone or not a file.
   */
  #recordHotSync(dir: string, name: string, path: string): boolean {
    const recordedAtMs = this.#clock();
    const st = statOrUndefined(path);
    if (st === undefined || !st.isFile()) return false;
    if (this.#isRacy(st.mtimeMs, recordedAtMs)) return this.#recordHashedSync(path);
    this.#index.setFileIn(dir, name, 'hot', st, undefined, recordedAtMs);
    return true;
  }

  /** stat-hash-stat and record a hot entry; false when the file is gone or not a file. */
  #recordHashedSync(path: string): boolean {
    const recordedAtMs = this.#clock();
    let st = statOrUndefined(path);
    if (st === undefined || !st.isFile()) return false;
    let hash: string;
    for (let attempt = 1; ; attempt++) {
      try {
        hash = hashFileSync(path, this.#buffer);
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return false;
        hash = `!${code ?? 'unreadable'}`;
      }
      const after = statOrUndefined(path);
      if (after === undefined || !after.isFile()) return false;
      if (attempt === 3 || sameStat(statFields(st), after)) break;
      st = after;
    }
    this.#index.setFile(path, 'hot', st, hash, recordedAtMs);
    return true;
  }

  #isRacy(mtimeMs: number, recordedAtMs: number): boolean {
    return mtimeMs >= recordedAtMs - this.#granularityMs;
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
    this.#noteBefore(path, old);
    this.#index.deleteFile(path);
    this.#links.delete(path);
    return 'deleted';
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** stat(2) without a libuv thread-pool round trip; rejects like fs/promises.stat. */
async function statNow(path: string): Promise<FileStat> {
  return statSync(path);
}

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
