import { type Dirent, lstatSync, readdirSync, Stats, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { isCookieName } from './cookie.js';
import type { LinkBoundary } from './link-boundary.js';
import type { FileRef, Snapshot, Verdict } from './snapshot.js';
import type { FileTier, WatchFilter, WatchObservation } from './types.js';

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

export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export function lstatOrUndefined(path: string): Stats | undefined {
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
  /**
   * True when a baseline walk that defers hashes may record the hot files of `dir` (entered
   * already) without a stat too (Snapshot.recordWalk): the native backend, for a directory it
   * watches, takes them after the walk in its event queue (NativeTree).
   */
  statLater?(dir: string): boolean;
}

/**
 * Reads directory trees against the snapshot (readdir withFileTypes + one stat per hot file,
 * a hash only when the stat differs or is racily clean; cold files are checked by the listing
 * alone). Used for the initial walk, for walking new directories, for native reconciliation,
 * for poll sweeps and (refilter.ts) for re-applying a changed filter.
 */
export class TreeScanner {
  readonly #snapshot: Snapshot;
  readonly #filter: WatchFilter;
  readonly #observe: (observation: WatchObservation) => void;
  readonly #boundary: LinkBoundary | undefined;
  /** Unreadable directories already warned about (one warning each). */
  readonly #warned = new Set<string>();
  /** Per swept tree, the directories a hot sweep lists, and the snapshot shape they are for. */
  readonly #hotDirs = new Map<
    string,
    { readonly shape: number; readonly dirs: string[]; readonly set: ReadonlySet<string> }
  >();
  /**
   * Warm directories: a sweep found their listing changed, or found them new; hot sweeps list
   * them too until the time (performance.now()) they map to. See {@link sweep}.
   */
  readonly #warm = new Map<string, number>();
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
    await this.yieldIfDue();
    if (this.#stopped || hooks.skipDir?.(dir)) return;
    const recordedAtMs = this.#snapshot.now();
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
    const ignored: string[] = [];
    let hasLinks = false;
    await Promise.all(
      entries.map(async (entry) => {
        const name = entry.name;
        if (isCookieName(name)) return;
        if (entry.isSymbolicLink()) hasLinks = true;
        const abs = childPath(dir, name);
        const kind = entryKind(entry, abs);
        if (kind === 'dir' && this.#watchesDir(abs) && !this.#leavesRoots(entry, abs, kind)) {
          seenDirs.add(abs);
          if (recursive || !this.#snapshot.hasDir(abs)) await this.scan(abs, recursive, hooks, out);
          return;
        }
        if (kind === 'file') {
          // A known file keeps its tier until refilter; a cold one is there, and that is all.
          const known = this.#snapshot.tierOf(abs);
          const tier = known ?? this.#tierOf(entry, abs);
          if (tier !== undefined && (known === undefined || !this.#leavesRoots(entry, abs, kind))) {
            seenFiles.add(abs);
            if (known === undefined) await this.#verify(abs, out, tier);
            else if (known === 'hot') await this.#verify(abs, out);
            return;
          }
        }
        ignored.push(name);
      }),
    );
    // Known entries missing from the listing (or of another type now) are gone.
    for (const child of this.#snapshot.childrenOf(dir)) {
      if (this.#snapshot.hasDir(child) && !seenDirs.has(child)) {
        await this.removeTree(child, hooks, out);
      }
      if (this.#snapshot.hasFile(child) && !seenFiles.has(child)) await this.#verify(child, out);
    }
    if (!this.#stopped) this.#snapshot.stampListing(dir, st, recordedAtMs, ignored, hasLinks);
  }

  /**
   * The first walk of a root (or of a directory the filter lets in now): watch (via
   * `hooks.enterDir`) and record every directory and tracked file, reporting nothing.
   * Synchronous reads in one loop, yielding every few ms: ~3x less CPU than `scan` on 10,000
   * files (bench/watcher-startup.mjs). A cold file costs its listing entry only; a hot one a
   * stat, and its hash unless `hashNow` is false (see Snapshot.recordWalk).
   */
  async baseline(root: string, hooks: ScanHooks, hashNow = true): Promise<void> {
    const snapshot = this.#snapshot;
    const filter = this.#filter;
    const stack = [root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      await this.yieldIfDue();
      if (this.#stopped) return;
      if (hooks.skipDir?.(dir)) continue;
      const recordedAtMs = snapshot.now();
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
      snapshot.addDir(dir, key);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        await this.#unreadable(dir, err, hooks, []);
        continue;
      }
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      // Read once per directory, used within this synchronous pass over its listing.
      const fileIn = filter.filesIn?.(dir);
      const statLater = !hashNow && hooks.statLater?.(dir) === true;
      let ignored: string[] | undefined;
      // The ignored names that are not plain files (ListingStamp.others).
      let others: string[] | undefined;
      let hasLinks = false;
      for (const entry of entries) {
        const name = entry.name;
        if (isCookieName(name)) continue;
        // Plain files first: the common case asks the filter once and nothing else.
        if (entry.isFile()) {
          const verdict = fileIn === undefined ? filter.file(prefix + name) : fileIn(name);
          if (verdict.tracked) {
            const tier = verdict.tier ?? 'hot';
            snapshot.recordWalk(dir, name, prefix, tier, false, hashNow, statLater);
          } else ignored = withName(ignored, name);
          continue;
        }
        const abs = prefix + name;
        if (entry.isSymbolicLink()) hasLinks = true;
        const kind = entryKind(entry, abs);
        const tier = kind === 'file' ? this.#tierOf(entry, abs) : undefined;
        if (kind === 'dir' && this.#watchesDir(abs) && !this.#leavesRoots(entry, abs, kind)) {
          stack.push(abs);
        } else if (tier !== undefined) {
          snapshot.recordWalk(dir, name, prefix, tier, true, hashNow);
        } else {
          ignored = withName(ignored, name);
          others = withName(others, name);
        }
      }
      snapshot.stampListing(dir, st, recordedAtMs, ignored, hasLinks, others ?? NO_NAMES);
    }
  }

  /**
   * A poll sweep of the tree at `root`: the cheap path for the common case where nothing
   * changed. One stat per listed directory (its listing is read only when that stat differs
   * from the stamped one) and one stat per hot file, compared with the snapshot in place; only
   * directories whose listing differs are handed to `scan` and only files whose stat differs
   * (or is racily clean) are verified by content. `full`: every known directory is listed
   * (cold files' existence, new entries anywhere); otherwise only the hot ones
   * ({@link #hotDirsOf}: the root, the directories with a hot file and their ancestors) and
   * the warm ones. `warmForMs`: a directory this sweep finds changed or new is warm, listed by
   * hot sweeps as well, until it has been left alone that long (0: not made warm; native
   * reconciliation). `hooks` are those of `scan` (native reconciliation watches what it finds,
   * skips polled subtrees).
   */
  async sweep(
    root: string,
    out: Verdict[],
    full = true,
    hooks: ScanHooks = {},
    warmForMs = 0,
  ): Promise<void> {
    const suspectDirs: string[] = [];
    // Files to verify by content: the stat differs, or it is too recent to trust (racy).
    const suspectFiles: { path: string; statChanged: boolean }[] = [];
    if (full) {
      const stack = [root];
      for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
        if (this.#yieldDue()) await this.#yieldNow();
        if (this.#stopped) return;
        if (hooks.skipDir?.(dir)) continue;
        if (!this.#sweepDir(dir, stack, suspectFiles)) suspectDirs.push(dir);
      }
    } else {
      const hot = this.#hotDirsOf(root);
      for (const dir of hot.dirs) {
        if (this.#yieldDue()) await this.#yieldNow();
        if (this.#stopped) return;
        if (this.#snapshot.hasDir(dir) && !this.#sweepDir(dir, undefined, suspectFiles)) {
          suspectDirs.push(dir);
        }
      }
      for (const dir of this.#warmDirsOf(root, hot.set)) {
        if (this.#yieldDue()) await this.#yieldNow();
        if (this.#stopped) return;
        if (!this.#sweepDir(dir, undefined, suspectFiles)) suspectDirs.push(dir);
      }
    }
    let scanHooks = hooks;
    if (warmForMs > 0 && suspectDirs.length > 0) {
      const until = performance.now() + warmForMs;
      // scan enters the suspect directory and every new one below it.
      scanHooks = {
        ...hooks,
        enterDir: (dir) => {
          hooks.enterDir?.(dir);
          this.#warm.set(dir, until);
        },
      };
    }
    for (const dir of suspectDirs) await this.scan(dir, false, scanHooks, out);
    for (const { path, statChanged } of suspectFiles) {
      const before = out.length;
      await this.#verify(path, out);
      if (statChanged && out.length === before) {
        this.#observe({ type: 'content-unchanged', path, via: 'poll' });
      }
    }
  }

  /**
   * The warm directories of the tree at `root` that `hot` does not hold; drops those that
   * cooled down (left alone for the sweep's `warmForMs`) or are no longer known.
   */
  #warmDirsOf(root: string, hot: ReadonlySet<string>): string[] {
    if (this.#warm.size === 0) return [];
    const now = performance.now();
    const prefix = root.endsWith(sep) ? root : root + sep;
    const dirs: string[] = [];
    for (const [dir, until] of this.#warm) {
      if (until <= now || !this.#snapshot.hasDir(dir)) this.#warm.delete(dir);
      else if ((dir === root || dir.startsWith(prefix)) && !hot.has(dir)) dirs.push(dir);
    }
    return dirs;
  }

  /** How many directories are warm (listed by hot sweeps because they changed lately). */
  get warmCount(): number {
    return this.#warm.size;
  }

  /**
   * The directories a hot sweep of `root` lists: the root, every known directory with a hot
   * file, and their ancestors (where a new package next to a hot one appears). A directory
   * with only cold files, only untracked ones or none, and no hot directory below it, is
   * listed by full sweeps (and by hot ones while it is warm). Parents first; cached until the
   * snapshot's shape changes.
   */
  #hotDirsOf(root: string): {
    readonly dirs: readonly string[];
    readonly set: ReadonlySet<string>;
  } {
    const snapshot = this.#snapshot;
    const cached = this.#hotDirs.get(root);
    if (cached?.shape === snapshot.shape) return cached;
    const all = snapshot.dirsUnder(root);
    const set = new Set<string>();
    if (snapshot.hasDir(root)) set.add(root);
    for (const dir of all) {
      if ((snapshot.listing(dir)?.hot ?? 0) === 0) continue;
      for (let p = dir; !set.has(p); p = dirname(p)) {
        set.add(p);
        if (p === root || dirname(p) === p) break;
      }
    }
    const entry = { shape: snapshot.shape, dirs: all.filter((dir) => set.has(dir)), set };
    this.#hotDirs.set(root, entry);
    return entry;
  }

  /**
   * Sweeps one directory; false when its listing or identity changed (scan it instead).
   * Known subdirectories are pushed on `stack` (a full sweep) or left to their own turn. The
   * listing is read only when the directory's stat says it may have changed
   * (Snapshot.isListingCurrent); the hot files are stat'ed either way.
   */
  #sweepDir(
    dir: string,
    stack: string[] | undefined,
    suspectFiles: { path: string; statChanged: boolean }[],
  ): boolean {
    const snapshot = this.#snapshot;
    const recordedAtMs = snapshot.now();
    const st = statOrUndefined(dir);
    const listing = snapshot.listing(dir);
    if (
      st === undefined ||
      !st.isDirectory() ||
      listing === undefined ||
      listing.key !== `${st.dev}:${st.ino}`
    ) {
      return false;
    }
    if (snapshot.isListingCurrent(listing, st)) {
      if (listing.subdirs.size === 0 && listing.hot === 0) return true;
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      if (stack !== undefined) for (const name of listing.subdirs) stack.push(prefix + name);
      if (listing.hot === 0) return true;
      const records = snapshot.records;
      for (const [name, recorded] of listing.files) {
        if (records.tier(recorded) === 'hot') this.#checkHot(prefix + name, recorded, suspectFiles);
      }
      return true;
    }
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let known = 0;
    let listingChanged = false;
    let hasLinks = false;
    let ignored: string[] | undefined;
    // Names are looked up in the directory's own listing: a path is only built for an entry
    // that needs one (a hot file to stat, something new to judge).
    for (const entry of entries) {
      const name = entry.name;
      if (isCookieName(name)) continue;
      const isLink = entry.isSymbolicLink();
      if (isLink) hasLinks = true;
      if (listing.subdirs.has(name)) {
        const abs = prefix + name;
        // A known directory that is a file now (rm -r d && echo > d): scan works it out.
        if (!entry.isDirectory() && !isLink) listingChanged = true;
        else if (this.#leavesRoots(entry, abs, 'dir')) listingChanged = true;
        else {
          known++;
          stack?.push(abs);
        }
        continue;
      }
      const recorded = listing.files.get(name);
      if (recorded === undefined) {
        const abs = prefix + name;
        // Untracked files and ignored directories are expected; anything else is new. Keep
        // going: the known subdirectories after it in the listing still need their sweep.
        // Symlinks are resolved: a link to a directory is a directory to walk.
        const kind = entryKind(entry, abs);
        if (
          kind === 'dir'
            ? this.#filter.dir(abs).watched && !this.#leavesRoots(entry, abs, kind)
            : kind === 'file' && this.#tierOf(entry, abs) !== undefined
        ) {
          listingChanged = true;
        } else ignored = withName(ignored, name);
        continue;
      }
      if (entry.isDirectory()) {
        listingChanged = true; // a known file that is a directory now
        continue;
      }
      known++;
      const abs = prefix + name;
      if (snapshot.records.tier(recorded) === 'hot') this.#checkHot(abs, recorded, suspectFiles);
      // A cold file is in the listing: that is all a poller asks of it, unless it is a link
      // (its target may be gone, or a directory now).
      else if (isLink && statOrUndefined(abs)?.isFile() !== true) listingChanged = true;
    }
    // Something known is missing from the listing: scan works out what went away.
    if (listingChanged || known !== snapshot.childCount(dir)) return false;
    snapshot.stampListing(dir, st, recordedAtMs, ignored, hasLinks);
    return true;
  }

  /** A hot file is a suspect when its stat differs, or is too recent to trust (racy). */
  #checkHot(
    path: string,
    recorded: FileRef,
    suspectFiles: { path: string; statChanged: boolean }[],
  ): void {
    const fst = statOrUndefined(path);
    const statChanged = fst === undefined || !this.#snapshot.records.sameStat(recorded, fst);
    if (statChanged || this.#snapshot.isRacilyClean(recorded)) {
      suspectFiles.push({ path, statChanged });
    }
  }

  /**
   * The tier of a file of a listing, undefined when it is not tracked (a symlinked one only
   * when it stays inside the roots).
   */
  #tierOf(entry: Dirent, abs: string): FileTier | undefined {
    const verdict = this.#filter.file(abs);
    if (!verdict.tracked || this.#leavesRoots(entry, abs, 'file')) return undefined;
    return verdict.tier ?? 'hot';
  }

  /** True for a symlinked entry whose target lies outside every watch root (said once). */
  #leavesRoots(entry: Dirent, abs: string, kind: 'dir' | 'file'): boolean {
    if (!entry.isSymbolicLink() || this.#boundary === undefined) return false;
    return this.#boundary.excludes(abs, kind === 'dir' ? 'directory' : 'file');
  }

  /** The same for a directory scanned by path (an event named it, or it was replaced). */
  #dirLeavesRoots(dir: string): boolean {
    return this.leavesRoots(dir, 'directory');
  }

  /** True for a path that is a symlink leading outside every watch root (said once). */
  leavesRoots(path: string, kind: 'directory' | 'file'): boolean {
    if (this.#boundary === undefined) return false;
    const lst = lstatOrUndefined(path);
    return lst?.isSymbolicLink() === true && this.#boundary.excludes(path, kind);
  }

  /** Hands the event loop its turn when one is due (walks call it between directories). */
  async yieldIfDue(): Promise<void> {
    if (this.#yieldDue()) await this.#yieldNow();
  }

  /** True when the event loop is due its turn (checked without a promise per directory). */
  #yieldDue(): boolean {
    return performance.now() - this.#lastYieldMs >= YIELD_EVERY_MS;
  }

  async #yieldNow(): Promise<void> {
    await nextTurn();
    this.#lastYieldMs = performance.now();
  }

  /** True once `stop()` was called. */
  get stopped(): boolean {
    return this.#stopped;
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

  async #verify(path: string, out: Verdict[], tierIfNew?: FileTier): Promise<void> {
    const kind = await this.#snapshot.verify(path, tierIfNew);
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

const NO_NAMES: readonly string[] = [];

/** `names` with `name` added (created on first use: most listings ignore nothing). */
function withName(names: string[] | undefined, name: string): string[] {
  const out = names ?? [];
  out.push(name);
  return out;
}

/** `name` in directory `dir` (absolute and normalized): cheaper than path.join per entry. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
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
