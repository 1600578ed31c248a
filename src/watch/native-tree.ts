import { stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { type CookieJar, type CookieOutcome, isCookieName } from './cookie.js';
import { describeWatchLimitError } from './limits.js';
import type { FilterChange } from './refilter.js';
import { Backoff, lookAtRoot } from './root-presence.js';
import { type Snapshot, toChanges, type Verdict } from './snapshot.js';
import type { ScanHooks, TreeScanner } from './tree-scanner.js';
import type {
  DirWatchHandle,
  FileChange,
  FileTier,
  WatchFilter,
  WatchFn,
  WatchObservation,
} from './types.js';

/** Options of {@link NativeTree}; the watcher passes its shared parts in. */
export interface NativeTreeOptions {
  readonly root: string;
  readonly snapshot: Snapshot;
  readonly scanner: TreeScanner;
  readonly filter: WatchFilter;
  readonly cookies: CookieJar;
  readonly watchFn: WatchFn;
  readonly cookieTimeoutMs: number;
  /** Hash hot files in the start-up walk (else their hashes are deferred). */
  readonly hashOnReady: boolean;
  /** Full reconciliation of the root on a slow timer. */
  readonly reconcileIntervalMs: number;
  readonly observe: (observation: WatchObservation) => void;
  readonly onChanges: (changes: readonly FileChange[]) => void;
  /** `dir` could not be watched (watch or descriptor limit): poll its subtree instead. */
  readonly onFallback: (dir: string) => void;
  /** True for a directory inside a subtree that is polled instead of watched. */
  readonly isPolled: (dir: string) => boolean;
  /** Reconciliation found `count` changes that no event announced. */
  readonly onMisses: (count: number) => void;
}

type QueueItem =
  | { readonly type: 'path'; readonly path: string; readonly renamed: boolean }
  | { readonly type: 'cookie'; readonly name: string }
  | { readonly type: 'reconcile'; readonly dir: string }
  | { readonly type: 'root' };

// More events than this within the window may have overflowed the inotify queue, which
// libuv drops silently [docs/facts.md#inotify-queue-overflow]: reconcile once the burst settles.
const BURST_EVENTS = 200;
const BURST_WINDOW_MS = 100;
const BURST_SETTLE_MS = 150;
const VERIFY_CONCURRENCY = 64;
const COALESCE_MS = 2;
// A root that disappeared is looked for again after 20 ms, then at doubling intervals up to
// once a second, until it is back.
const ROOT_RETRY_FIRST_MS = 20;
const ROOT_RETRY_MAX_MS = 1000;

/**
 * The native backend for one root: one non-recursive fs.watch per directory. Events are only
 * hints: each names a path that is re-stat'ed and verified against the snapshot, in one
 * serial queue, so batches, cookies and reconciliations are delivered in event order.
 */
export class NativeTree {
  readonly #o: NativeTreeOptions;
  readonly #watchers = new Map<string, DirWatchHandle>();
  readonly #walkHooks: ScanHooks;
  readonly #reconcileHooks: ScanHooks;
  readonly #reconcileQueued = new Set<string>();
  #queue: QueueItem[] = [];
  #processing: Promise<void> = Promise.resolve();
  #drainScheduled = false;
  /** The COALESCE_MS timer of a scheduled drain (none when it runs on the next turn). */
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  /** Paths announced by events while a reconciliation runs. */
  #announced: Set<string> | undefined;
  /**
   * Paths named by events from the start-up walk on (each after its directory was listed: a
   * directory is watched right before the walk lists it) until the stats the walk left are
   * taken (#fillIn): path -> whether an event of it was handled since.
   */
  #sinceWalk: Map<string, boolean> | undefined;
  /** Resolves once the stats the start-up walk left are taken (#fillIn). */
  #filled: Promise<void> = Promise.resolve();
  /**
   * Directories (each with its subtree) whose events may have been lost (a burst, maybe an
   * overflow; an event without a name; a watch error) while #sinceWalk was kept: no event then
   * vouches that the stats #fillIn took missed no write.
   */
  #lostSinceWalk: Set<string> | undefined;
  #misses = 0;
  #windowStartMs = 0;
  #windowEvents = 0;
  #burstTimer: NodeJS.Timeout | undefined;
  #periodicTimer: NodeJS.Timeout | undefined;
  #limitWarned = false;
  /** The root directory is gone (deleted or moved away): no watches, a timer looks for it. */
  #rootLost = false;
  readonly #rootRetry = new Backoff(ROOT_RETRY_FIRST_MS, ROOT_RETRY_MAX_MS, () =>
    this.#enqueueRootCheck('retry'),
  );
  #rootQueued = false;
  /** An event said the root itself was renamed or deleted (it may be back already). */
  #rootRenamed = false;
  #foreignNoted = false;
  /** The start-up canary's round trip, begun during the walk (see canary()). */
  #canary: Promise<CookieOutcome> | undefined;
  #closed = false;

  constructor(options: NativeTreeOptions) {
    this.#o = options;
    this.#walkHooks = {
      enterDir: (dir) => {
        if (!this.#watchers.has(dir) && !this.#o.isPolled(dir)) this.#watch(dir);
      },
      leaveDir: (dir) => this.#release(dir),
    };
    this.#reconcileHooks = { ...this.#walkHooks, skipDir: (dir) => this.#o.isPolled(dir) };
  }

  get watchedDirs(): number {
    return this.#watchers.size;
  }

  get misses(): number {
    return this.#misses;
  }

  /**
   * Watches and walks the whole root; what it finds is the baseline, not reported. Without
   * `hashOnReady`, the hot files of watched directories get their stats after the walk, while
   * events are handled (see #fillIn): on 100,000 files a third of the walk's CPU was those
   * stats (bench/footprint.mjs), and most of the files turn cold once go list has answered.
   * `canary`: begin the start-up canary once the root is watched (see canary()), so that its
   * round trip overlaps the walk instead of following it.
   */
  async start(canary = false): Promise<void> {
    const hooks: ScanHooks = {
      ...this.#walkHooks,
      enterDir: (dir) => {
        this.#walkHooks.enterDir?.(dir);
        // The canary goes in as soon as the root is watched: its event arrives while the walk
        // goes on (the walk yields every few ms) and is delivered right after it.
        if (canary && dir === this.#o.root && this.#watchers.has(dir)) {
          this.#canary ??= this.roundTrip();
        }
      },
      statLater: (dir) => this.#watchers.has(dir),
    };
    // From the walk on: it yields, and an event that arrives meanwhile is about a write made
    // after its directory was listed, maybe before the stat that #fillIn takes.
    if (!this.#o.hashOnReady) this.#sinceWalk = new Map();
    const walk = this.#o.scanner.baseline(this.#o.root, hooks, this.#o.hashOnReady);
    // Events that arrive during the walk wait until the baseline is complete.
    this.#processing = walk.catch(() => undefined);
    await walk.catch((err: unknown) => {
      this.#sinceWalk = undefined;
      throw err;
    });
    if (this.#closed) return;
    this.#filled = this.#fillIn().catch((err: unknown) => {
      this.#o.observe({
        type: 'internal-error',
        during: 'queue',
        subject: this.#o.root,
        error: String(err),
      });
    });
    this.#periodicTimer = setInterval(
      () => this.#enqueueReconcile(this.#o.root),
      this.#o.reconcileIntervalMs,
    );
    this.#periodicTimer.unref();
  }

  /**
   * The start-up canary: did our own write in the root produce an event? The round trip
   * start() began once the root was watched (or one now, when it began none).
   */
  canary(): Promise<CookieOutcome> {
    return this.#canary ?? this.roundTrip();
  }

  /**
   * One cookie round trip until the queue has processed it (sync, and the start-up canary).
   * A root of another user gets no cookie: that is observed once.
   */
  async roundTrip(): Promise<CookieOutcome> {
    const { cookies, root, cookieTimeoutMs } = this.#o;
    const outcome = await cookies.roundTrip(root, cookieTimeoutMs, 'delivered');
    if (outcome === 'foreign' && !this.#foreignNoted) {
      this.#foreignNoted = true;
      this.#o.observe({ type: 'root-not-owned', root });
    }
    return outcome;
  }

  /** Every change made before the call is delivered when this resolves. */
  async sync(): Promise<void> {
    // A root that came back is watched again before the cookie goes in.
    if (this.#rootLost) await this.#serially(() => this.#checkRoot(false));
    const outcome = await this.roundTrip();
    if (outcome === 'closed' || this.#closed) return;
    if (outcome === 'seen') {
      // Symlinked files' targets raise events elsewhere, or nowhere (outside the tree).
      const out: Verdict[] = [];
      await this.#verifyLinks(new Set(), out);
      this.#emit(toChanges(out, () => 'event'));
      return;
    }
    if (outcome !== 'foreign') this.#o.observe({ type: 'cookie-timeout', root: this.#o.root });
    await this.#serially(() => this.#reconcile(this.#o.root, []));
  }

  /**
   * Re-applies the filter to the root's directories (FilterChange.refilterTree), in the event
   * queue's order: events that arrive meanwhile are verified after it, against the new
   * baseline.
   */
  refilter(change: FilterChange): Promise<void> {
    return this.#serially(async () => {
      await this.#filled;
      if (this.#closed || this.#rootLost) return;
      await change.refilterTree(this.#o.root, this.#reconcileHooks);
    });
  }

  /**
   * Takes the stats the start-up walk left (Snapshot.recordWalk `statLater`), yielding as a
   * walk does; events are handled meanwhile (a file still without one is changed, whatever its
   * stat), while sweeps, root checks and refilters wait until it is done (#filled). A file
   * changed after its directory was listed but before its stat was taken would have that
   * change taken into its baseline: a file an event named since its directory was listed is
   * not stat'ed here (its event finds it changed), and one stat'ed here before an event named
   * it is marked changed (Snapshot.unfill) before its first event is handled: when that
   * happens before the last stat, at once (#flush); else once a cookie written after the last
   * stat has arrived (every such event has then), for its event queued behind. The walk yields,
   * so such an event may come before it ends; and an event's handling stats the path before
   * Snapshot.verify, time enough for this loop to take the file's stat after the change.
   */
  async #fillIn(): Promise<void> {
    const { snapshot, scanner, root, cookies, cookieTimeoutMs } = this.#o;
    const since = this.#sinceWalk;
    if (since === undefined || snapshot.pendingCount === 0 || this.#closed) {
      this.#sinceWalk = undefined;
      this.#lostSinceWalk = undefined;
      return;
    }
    const named = (path: string) => since.has(path);
    const dirs = this.#dirsWithPending();
    try {
      for (const dir of dirs) {
        await scanner.yieldIfDue();
        if (this.#closed) return;
        snapshot.fillIn(dir, named);
      }
      const barrier = await cookies.roundTrip(root, cookieTimeoutMs, 'arrived');
      // No cookie here: two turns of the event loop read every event already queued (#reconcile).
      if (barrier === 'foreign' || barrier === 'unwritable') {
        await nextTurn();
        await nextTurn();
      }
      // Events may have been lost on the way (a barrier lost with them, or none came): a file
      // stat'ed here after a write whose event was lost would keep that write in its baseline.
      if (barrier === 'timeout') this.#noteLoss(root);
    } finally {
      this.#sinceWalk = undefined;
    }
    for (const [path, handled] of since) if (!handled) snapshot.unfill(path);
    const lost = this.#lostSinceWalk;
    this.#lostSinceWalk = undefined;
    if (lost !== undefined && !this.#closed) this.#unfillLost(dirs, lost, named);
  }

  /**
   * Events of `dir`'s subtree may have been lost while the stats the walk left were being
   * taken: noted, for #fillIn's end (see #unfillLost).
   */
  #noteLoss(dir: string): void {
    if (this.#sinceWalk === undefined) return;
    this.#lostSinceWalk ??= new Set();
    this.#lostSinceWalk.add(dir);
  }

  /**
   * After events were lost (#noteLoss) during the stats the walk left: each file #fillIn
   * stat'ed in a directory under `lost`, whose ctime is not safely (racy granularity) before
   * its directory's listing, is marked changed (Snapshot.unfillChangedSinceListing, as for a
   * root without events), and those directories are swept: a write between the listing and
   * the stat is reported once. A file an event named (`named`) is left to its event.
   */
  #unfillLost(dirs: readonly string[], lost: ReadonlySet<string>, named: (p: string) => boolean) {
    const { snapshot } = this.#o;
    const under = (dir: string) => {
      for (let d = dir; ; d = dirname(d)) {
        if (lost.has(d)) return true;
        if (d === this.#o.root || dirname(d) === d) return false;
      }
    };
    for (const dir of dirs) if (under(dir)) snapshot.unfillChangedSinceListing(dir, named);
    for (const dir of lost) this.#enqueueReconcile(dir);
  }

  /**
   * Takes every stat the start-up walk left to the queue at once (the root is polled instead:
   * a sweep compares with them). `noEvents`: the root got no event (the canary's timed out),
   * so nothing vouches for the stats taken after the walk either: a file changed since its
   * directory was listed is marked changed (Snapshot.unfillChangedSinceListing).
   */
  fillNow(noEvents = false): void {
    const { snapshot } = this.#o;
    const since = this.#sinceWalk;
    // An event not handled yet is dropped with the queue: the sweep finds its file changed.
    for (const dir of this.#dirsWithPending())
      snapshot.fillIn(dir, (path) => since?.has(path) === true);
    for (const [path, handled] of since ?? []) if (!handled) snapshot.unfill(path);
    if (!noEvents || this.#o.hashOnReady) return;
    const { root } = this.#o;
    for (const dir of snapshot.dirsUnder(root)) {
      if (!this.#o.isPolled(dir)) snapshot.unfillChangedSinceListing(dir);
    }
  }

  #dirsWithPending(): string[] {
    const { root, snapshot } = this.#o;
    if (snapshot.pendingCount === 0) return [];
    const prefix = root.endsWith(sep) ? root : root + sep;
    return snapshot.dirsWithPending().filter((dir) => dir === root || dir.startsWith(prefix));
  }

  /** Runs `fn` after the work queued so far, in the same serial order as the event queue. */
  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const done = this.#processing.then(fn);
    this.#processing = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Closes every watch and timer; resolves when queued work has stopped. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#burstTimer);
    clearInterval(this.#periodicTimer);
    this.#rootRetry.reset();
    this.#releaseAll();
    // Nothing before a queued cookie will be delivered by this tree any more: release its sync.
    for (const item of this.#queue) {
      if (item.type === 'cookie') this.#o.cookies.observe(item.name, 'delivered');
    }
    this.#queue = [];
    await Promise.all([this.#processing, this.#filled]);
  }

  #watch(dir: string): void {
    if (this.#closed) return;
    let handle: DirWatchHandle;
    try {
      handle = this.#o.watchFn(dir, { persistent: true }, (event, name) =>
        this.#onEvent(dir, event, name),
      );
    } catch (err) {
      this.#watchFailed(dir, err);
      return;
    }
    handle.on('error', (err) => this.#onWatchError(dir, handle, err));
    this.#watchers.set(dir, handle);
  }

  #release(dir: string): void {
    this.#watchers.get(dir)?.close();
    this.#watchers.delete(dir);
  }

  #releaseAll(): void {
    for (const handle of this.#watchers.values()) handle.close();
    this.#watchers.clear();
  }

  #watchFailed(dir: string, err: unknown): void {
    const code = errnoCode(err);
    // Vanished or unreadable: the scan that is about to read it notices and says so.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return;
    const limit = describeWatchLimitError(err, dir);
    this.#o.observe({
      type: 'watch-fallback',
      dir,
      limit: limit && { message: limit.message, hint: limit.hint },
      error: String(err),
      repeated: limit !== undefined && this.#limitWarned,
    });
    if (limit) this.#limitWarned = true;
    this.#o.onFallback(dir);
  }

  #onWatchError(dir: string, handle: DirWatchHandle, err: Error): void {
    handle.close();
    if (this.#watchers.get(dir) === handle) this.#watchers.delete(dir);
    if (this.#closed) return;
    const parent = dir === this.#o.root ? dir : dirname(dir);
    this.#o.observe({ type: 'watch-error', dir, rescan: parent, error: err.message });
    this.#noteLoss(parent);
    this.#enqueueReconcile(parent);
  }

  #onEvent(dir: string, event: string, name: string | null): void {
    if (this.#closed) return;
    this.#countEvent();
    if (name === null) {
      this.#noteLoss(dir);
      this.#enqueueReconcile(dir);
    } else if (isCookieName(name)) {
      if (!this.#o.cookies.isPending(name)) return;
      this.#o.cookies.observe(name, 'arrived');
      this.#push({ type: 'cookie', name });
    } else {
      // libuv names an event about a watched directory itself (deleted, moved) after it.
      if (dir === this.#o.root && name === basename(dir)) this.#enqueueRootCheck(event);
      const path = join(dir, name);
      this.#announced?.add(path);
      if (this.#sinceWalk?.has(path) === false) this.#sinceWalk.set(path, false);
      this.#push({ type: 'path', path, renamed: event === 'rename' });
    }
  }

  #countEvent(): void {
    const now = performance.now();
    if (now - this.#windowStartMs > BURST_WINDOW_MS) {
      this.#windowStartMs = now;
      this.#windowEvents = 0;
    }
    const count = ++this.#windowEvents;
    // Maybe an overflow. The events the kernel queued before one are read before a barrier
    // written after it (#fillIn's): a loss before #fillIn's last stat is seen while it runs.
    if (count > BURST_EVENTS) this.#noteLoss(this.#o.root);
    if (count !== BURST_EVENTS + 1 || this.#burstTimer !== undefined) return;
    this.#burstTimer = setTimeout(() => {
      this.#burstTimer = undefined;
      this.#o.observe({ type: 'event-burst', root: this.#o.root });
      this.#enqueueReconcile(this.#o.root);
    }, BURST_SETTLE_MS);
    this.#burstTimer.unref();
  }

  #enqueueRootCheck(event: string): void {
    if (event === 'rename') this.#rootRenamed = true;
    if (this.#closed || this.#rootQueued) return;
    this.#rootQueued = true;
    this.#push({ type: 'root' });
  }

  #enqueueReconcile(dir: string): void {
    if (this.#closed || this.#reconcileQueued.has(dir)) return;
    this.#reconcileQueued.add(dir);
    this.#push({ type: 'reconcile', dir });
  }

  // Events arriving within COALESCE_MS are one batch: an in-place save's truncate and write
  // (two events) are then usually verified once, after the write. A cookie is drained on the
  // next turn instead: a sync waits for it, and whatever came before it is complete.
  #push(item: QueueItem): void {
    this.#queue.push(item);
    const now = item.type === 'cookie';
    if (this.#drainTimer !== undefined) {
      if (!now) return;
      clearTimeout(this.#drainTimer);
      this.#drainTimer = undefined;
    } else if (this.#drainScheduled) {
      return;
    }
    this.#drainScheduled = true;
    const run = () => {
      this.#drainTimer = undefined;
      this.#drainScheduled = false;
      this.#processing = this.#processing
        .then(() => this.#drain())
        .catch((err: unknown) => {
          this.#o.observe({
            type: 'internal-error',
            during: 'queue',
            subject: this.#o.root,
            error: String(err),
          });
        });
    };
    if (now) setImmediate(run);
    else this.#drainTimer = setTimeout(run, COALESCE_MS);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const items = this.#queue;
      this.#queue = [];
      // path -> whether any of its events was a 'rename' (created, deleted or moved).
      let paths = new Map<string, boolean>();
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        if (item.type === 'path') {
          paths.set(item.path, (paths.get(item.path) ?? false) || item.renamed);
          continue;
        }
        await this.#flush(paths);
        paths = new Map();
        if (item.type === 'cookie') this.#o.cookies.observe(item.name, 'delivered');
        else if (item.type === 'root') {
          this.#rootQueued = false;
          const renamed = this.#rootRenamed;
          this.#rootRenamed = false;
          await this.#checkRoot(renamed);
        } else await this.#reconcile(item.dir, items.slice(i + 1));
      }
      await this.#flush(paths);
    }
  }

  async #flush(paths: ReadonlyMap<string, boolean>): Promise<void> {
    if (paths.size === 0 || this.#closed) return;
    const since = this.#sinceWalk;
    if (since !== undefined) {
      // Its stat may have been taken after the change this event is about (#fillIn).
      for (const path of paths.keys()) {
        if (since.get(path) !== false) continue;
        since.set(path, true);
        this.#o.snapshot.unfill(path);
      }
    }
    const out: Verdict[] = [];
    await forEachLimit([...paths], VERIFY_CONCURRENCY, async ([path, renamed]) => {
      try {
        await this.#handlePath(path, renamed, out);
      } catch (err) {
        this.#o.observe({
          type: 'internal-error',
          during: 'check',
          subject: path,
          error: String(err),
        });
      }
    });
    await this.#verifyLinks(paths, out);
    this.#emit(toChanges(out, () => 'event'));
  }

  /**
   * Re-verifies the tracked symlinks: inotify reports an edit under the target's name only,
   * so any event may be an edit of a link's target (usually there are no links at all).
   */
  async #verifyLinks(handled: ReadonlyMap<string, boolean> | ReadonlySet<string>, out: Verdict[]) {
    const { snapshot } = this.#o;
    for (const link of snapshot.links()) {
      if (handled.has(link)) continue;
      // A cold link matters by existence only: its target's edits are no change of it.
      if (snapshot.entry(link)?.tier === 'cold') {
        const kind = await snapshot.verifyExistence(link);
        if (kind !== undefined) out.push({ path: link, kind });
      } else await verifyInto(snapshot, link, out);
    }
  }

  async #handlePath(path: string, renamed: boolean, out: Verdict[]): Promise<void> {
    const { snapshot, scanner, filter } = this.#o;
    const st = await stat(path).catch(() => undefined);
    if (st?.isDirectory()) {
      const dirVerdict = filter.dir(path);
      if (!dirVerdict.watched) {
        snapshot.ignore(path);
        this.#o.observe({ type: 'dir-skipped', path, reason: dirVerdict.reason });
        return;
      }
      if (snapshot.hasFile(path)) await verifyInto(snapshot, path, out);
      const same = snapshot.dirKey(path) === `${st.dev}:${st.ino}`;
      if (same && !renamed && (this.#watchers.has(path) || this.#o.isPolled(path))) return;
      if (same && renamed) {
        // rm -rf dir && mkdir dir: ext4 often hands the new directory the old inode, so the
        // same dev:ino does not prove it is the directory we watch. The old kernel watches
        // died with it: drop them and watch + walk the tree again (found by the model test).
        for (const d of snapshot.dirsUnder(path)) this.#release(d);
      }
      // A new directory: watch AND walk it now, files made before the watch exist only on disk.
      await scanner.scan(path, true, this.#walkHooks, out);
      return;
    }
    // A watched directory that moved keeps reporting under its old path: drop it, the event
    // for its new name walks it there. [docs/facts.md#renamed-and-deleted-directories]
    if (snapshot.hasDir(path)) await scanner.removeTree(path, this.#walkHooks, out);
    const known = snapshot.hasFile(path);
    const verdict = known || st?.isFile() ? filter.file(path) : undefined;
    if (known || (st?.isFile() && verdict?.tracked)) {
      // A known file keeps its tier (until refilter); a new one gets the filter's.
      if (!(await verifyInto(snapshot, path, out, verdict?.tier))) {
        this.#o.observe({ type: 'content-unchanged', path, via: 'event' });
      }
    } else if (st?.isFile() && verdict !== undefined) {
      snapshot.ignore(path, true);
      this.#o.observe({ type: 'file-untracked', path, verdict });
    }
  }

  /**
   * Looks at the root directory itself (after an event about it, a retry, or before a sweep).
   * Gone: its watches are released and a timer looks for it again. Back or replaced: it is
   * watched and walked again, and the differences from the snapshot are reported, so
   * identical files are no change. True when the root is there and needed none of this.
   */
  async #checkRoot(renamed: boolean): Promise<boolean> {
    const { root, snapshot, scanner } = this.#o;
    // A walk or sweep compares stats: the ones the start-up walk left come first.
    await this.#filled;
    if (this.#closed) return false;
    const state = lookAtRoot(root, snapshot, renamed);
    if (state === 'gone') {
      if (!this.#rootLost) {
        this.#rootLost = true;
        this.#rootRetry.reset();
        this.#releaseAll();
        this.#o.observe({ type: 'root-gone', root });
      }
      this.#rootRetry.arm();
      return false;
    }
    if (state === 'same' && !this.#rootLost) return true;
    this.#rootLost = false;
    this.#rootRetry.reset();
    // Watches of the old directory died with it, or moved away with it: none can stay.
    this.#releaseAll();
    this.#o.observe({ type: 'root-back', root });
    const out: Verdict[] = [];
    await scanner.scan(root, true, this.#reconcileHooks, out);
    this.#emit(toChanges(out, () => 'event'));
    return false;
  }

  async #reconcile(dir: string, later: readonly QueueItem[]): Promise<void> {
    this.#reconcileQueued.delete(dir);
    await this.#filled;
    if (this.#closed) return;
    // A root that is gone is not a pile of misses: it is handled, and re-walked, as a whole.
    if (!(await this.#checkRoot(false))) return;
    const announced = new Set<string>();
    for (const item of [...later, ...this.#queue])
      if (item.type === 'path') announced.add(item.path);
    this.#announced = announced;
    const out: Verdict[] = [];
    try {
      // A sweep, not a full scan: a directory whose mtime and ctime are the stamped ones is
      // not listed again, and only hot files are stat'ed. On 100,000 files the periodic
      // reconciliation read every directory and stat'ed every tracked file, ~8% of a core.
      await this.#o.scanner.sweep(dir, out, true, this.#reconcileHooks);
      // Events for what the sweep found may still be in flight: once a cookie written now has
      // arrived, every earlier event has too, and `announced` is complete.
      if (out.length > 0) {
        const barrier = await this.#o.cookies.roundTrip(
          this.#o.root,
          this.#o.cookieTimeoutMs,
          'arrived',
        );
        // No cookie here (not our directory, or not writable). The kernel queued the events of
        // every change the sweep found before the sweep read it, and one inotify descriptor
        // serves all watches: two turns of the event loop (one poll phase) read them all.
        if (barrier === 'foreign' || barrier === 'unwritable') {
          await nextTurn();
          await nextTurn();
        }
      }
    } finally {
      this.#announced = undefined;
    }
    // A symlinked file never gets its own event when its target changes: not a miss.
    const isMiss = (path: string): boolean =>
      !this.#o.snapshot.isLink(path) && !hasAnnouncedAncestor(path, announced, this.#o.root);
    const changes = toChanges(out, (path) => (isMiss(path) ? 'reconcile' : 'event'));
    const missed = changes.filter((c) => c.via === 'reconcile');
    this.#emit(changes);
    if (missed.length === 0 || this.#closed) return;
    this.#misses += missed.length;
    this.#o.observe({ type: 'misses-found', root: this.#o.root, changes: missed });
    this.#o.onMisses(missed.length);
  }

  #emit(changes: readonly FileChange[]): void {
    if (!this.#closed && changes.length > 0) this.#o.onChanges(changes);
  }
}

/** Verifies one file into `out`; false when the snapshot says nothing changed. */
async function verifyInto(
  snapshot: Snapshot,
  path: string,
  out: Verdict[],
  tierIfNew?: FileTier,
): Promise<boolean> {
  const kind = await snapshot.verify(path, tierIfNew);
  if (kind !== undefined) out.push({ path, kind });
  return kind !== undefined;
}

function hasAnnouncedAncestor(path: string, announced: ReadonlySet<string>, root: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    if (announced.has(p)) return true;
    if (p === root || dirname(p) === p) return false;
  }
}

async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
