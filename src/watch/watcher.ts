import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GohotError } from '../errors.js';
import { CookieJar, removeStaleCookies } from './cookie.js';
import { decideFsBackend } from './fs-kind.js';
import { LinkBoundary } from './link-boundary.js';
import { NativeTree } from './native-tree.js';
import { Poller } from './poller.js';
import { FilterChange } from './refilter.js';
import { Snapshot, toChanges, type Verdict } from './snapshot.js';
import { TreeScanner } from './tree-scanner.js';
import type {
  BackendChoice,
  BackendReason,
  FileChange,
  RootStatus,
  Watcher,
  WatcherOptions,
  WatcherStats,
  WatchFn,
  WatchObservation,
} from './types.js';

// A root whose native events missed this many verified changes is polled from then on.
const MISSES_BEFORE_POLLING = 3;

/**
 * Starts watching `options.roots` at once: per root the native backend (one fs.watch per
 * directory) or the poll backend, chosen by `options.backend` or, for 'auto', by the root's
 * file system and a canary cookie. Initial files are the baseline and are not reported.
 */
export function createWatcher(options: WatcherOptions): Watcher {
  return new TreeWatcher(options);
}

class TreeWatcher implements Watcher {
  readonly #roots: readonly string[];
  readonly #backend: BackendChoice;
  readonly #pollIntervalMs: number;
  readonly #cookieTimeoutMs: number;
  readonly #reconcileIntervalMs: number;
  readonly #watchFn: WatchFn;
  readonly #options: WatcherOptions;
  readonly #snapshot: Snapshot;
  readonly #scanner: TreeScanner;
  readonly #filterChange: FilterChange;
  readonly #poller: Poller;
  readonly #cookies = new CookieJar();
  readonly #trees = new Map<string, NativeTree>();
  readonly #switching = new Set<Promise<void>>();
  readonly #ready: Promise<readonly RootStatus[]>;
  readonly #hashOnReady: boolean;
  #started = false;
  /** The last refilter() (they run one after the other). */
  #refiltering: Promise<void> = Promise.resolve();
  #retiredMisses = 0;
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#roots = [...new Set(options.roots.map((root) => resolve(root)))];
    this.#backend = options.backend ?? 'auto';
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#cookieTimeoutMs = options.cookieTimeoutMs ?? 1000;
    this.#reconcileIntervalMs = options.reconcileIntervalMs ?? 30_000;
    this.#watchFn = options.watchFn ?? watch;
    this.#hashOnReady = options.hashOnReady ?? true;
    const observe = (o: WatchObservation) => this.#observe(o);
    const boundary = new LinkBoundary(this.#roots, observe);
    this.#snapshot = new Snapshot({
      racyGranularityMs: options.racyGranularityMs,
      excludes: (path) => boundary.excludes(path, 'file'),
    });
    this.#scanner = new TreeScanner(this.#snapshot, options.filter, observe, boundary);
    this.#filterChange = new FilterChange(this.#snapshot, options.filter, this.#scanner);
    this.#poller = new Poller({
      scanner: this.#scanner,
      intervalMs: this.#pollIntervalMs,
      onVerdicts: (verdicts) => this.#emit(toChanges(verdicts, () => 'poll')),
      onError: (err) =>
        this.#observe({ type: 'internal-error', during: 'sweep', subject: '', error: String(err) }),
    });
    this.#ready = this.#start();
    // ready() may never be called when close() comes first; the rejection is not lost there.
    this.#ready.catch(() => undefined);
  }

  ready(): Promise<readonly RootStatus[]> {
    return this.#ready;
  }

  async sync(): Promise<void> {
    await this.#ready;
    if (this.#closed) return;
    const waits: Promise<void>[] = [...this.#trees.values()].map((tree) => tree.sync());
    if (this.#poller.treeCount > 0) waits.push(this.#poller.sweep());
    await Promise.all(waits);
  }

  refilter(): Promise<void> {
    // Known files take their new verdicts at the call when the start-up walk is done, so a
    // change made right after the call is measured against the new baseline.
    const retiered = this.#started && !this.#closed ? this.#filterChange.retier() : undefined;
    const run = this.#refiltering.then(() => this.#refilterNow(retiered));
    this.#refiltering = run.catch(() => undefined);
    return run;
  }

  async #refilterNow(retiered: Promise<void> | undefined): Promise<void> {
    await this.#ready;
    if (this.#closed) return;
    await (retiered ?? this.#filterChange.retier());
    // Directories: native roots in their event queues; no sweep runs meanwhile, so none can
    // take a directory forgotten here for a new one.
    await this.#poller.exclusive(async () => {
      await Promise.all([...this.#trees.values()].map((tree) => tree.refilter(this.#filterChange)));
      for (const tree of this.#poller.trees()) {
        if (this.#closed) return;
        // A subtree of a native root that is no longer watched was forgotten with it.
        if (!this.#snapshot.hasDir(tree)) this.#poller.remove(tree);
        else await this.#filterChange.refilterTree(tree, {});
      }
    });
    // Hashes: a file changed since its new baseline was recorded is reported, once.
    const out: Verdict[] = [];
    await this.#filterChange.complete(this.#snapshot.unhashed(), out);
    this.#emit(toChanges(out, (path) => (this.#poller.covers(dirname(path)) ? 'poll' : 'event')));
  }

  stats(): WatcherStats {
    let watchedDirs = 0;
    let misses = this.#retiredMisses;
    for (const tree of this.#trees.values()) {
      watchedDirs += tree.watchedDirs;
      misses += tree.misses;
    }
    const snapshot = this.#snapshot;
    return {
      trackedFiles: snapshot.fileCount,
      hotFiles: snapshot.hotCount,
      coldFiles: snapshot.coldCount,
      unhashedFiles: snapshot.unhashedCount,
      watchedDirs,
      walkedDirs: snapshot.dirCount,
      misses,
      polledTrees: this.#poller.treeCount,
      ...(this.#poller.treeCount > 0 && {
        pollIntervals: {
          hotMs: this.#poller.effectiveIntervalMs,
          coldMs: this.#poller.effectiveColdIntervalMs,
        },
      }),
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  async #closeNow(): Promise<void> {
    this.#closed = true;
    this.#cookies.close();
    this.#scanner.stop();
    await this.#ready.catch(() => undefined);
    await Promise.all([
      ...[...this.#trees.values()].map((tree) => tree.close()),
      this.#poller.close(),
      ...this.#switching,
    ]);
    this.#trees.clear();
  }

  async #start(): Promise<readonly RootStatus[]> {
    const statuses = await Promise.all(this.#roots.map((root) => this.#startRoot(root)));
    if (!this.#closed) this.#poller.start();
    this.#started = true;
    return statuses;
  }

  async #startRoot(root: string): Promise<RootStatus> {
    const st = await stat(root).catch((err: unknown) => {
      throw new GohotError(
        'WATCH_ROOT_MISSING',
        `The watch root ${root} does not exist or cannot be read.`,
        'Create the directory or remove it from the watched roots.',
        { cause: err },
      );
    });
    if (!st.isDirectory()) {
      throw new GohotError(
        'WATCH_ROOT_NOT_DIR',
        `The watch root ${root} is not a directory.`,
        'Watch the directory that contains it instead.',
      );
    }
    const stale = await removeStaleCookies(root);
    if (stale > 0) this.#observe({ type: 'stale-cookies-removed', root, count: stale });
    const forcedBy = this.#options.backendForcedBy ?? 'the watcher options';
    if (this.#backend === 'poll') return this.#startPolling(root, { by: 'forced', forcedBy });
    if (this.#backend === 'native') {
      await this.#startNative(root);
      return { root, backend: 'native', reason: { by: 'forced', forcedBy } };
    }
    const decision = await decideFsBackend(root);
    if (decision.backend === 'poll') return this.#startPolling(root, decision.reason);
    const tree = await this.#startNative(root, true);
    // The canary: our own write must produce an event, or inotify does not work here.
    const outcome = await tree.canary();
    if (outcome === 'timeout') {
      await this.#switchToPolling(root, tree, true);
      return {
        root,
        backend: 'poll',
        reason: { by: 'no-canary-event', timeoutMs: this.#cookieTimeoutMs },
        pollIntervalMs: this.#pollIntervalMs,
      };
    }
    if (outcome === 'unwritable') {
      this.#observe({ type: 'no-canary', root });
    }
    return { root, backend: 'native', reason: decision.reason };
  }

  async #startPolling(root: string, reason: BackendReason): Promise<RootStatus> {
    await this.#scanner.baseline(root, {}, this.#hashOnReady);
    this.#poller.add(root);
    return { root, backend: 'poll', reason, pollIntervalMs: this.#pollIntervalMs };
  }

  /** `canary`: the tree sends the start-up canary while it walks (NativeTree.canary). */
  async #startNative(root: string, canary = false): Promise<NativeTree> {
    const tree: NativeTree = new NativeTree({
      root,
      snapshot: this.#snapshot,
      scanner: this.#scanner,
      filter: this.#options.filter,
      cookies: this.#cookies,
      watchFn: this.#watchFn,
      cookieTimeoutMs: this.#cookieTimeoutMs,
      hashOnReady: this.#hashOnReady,
      reconcileIntervalMs: this.#reconcileIntervalMs,
      observe: (o) => this.#observe(o),
      onChanges: (changes) => this.#emit(changes),
      onFallback: (dir) => this.#poller.add(dir),
      isPolled: (dir) => this.#poller.covers(dir),
      onMisses: () => {
        if (tree.misses < MISSES_BEFORE_POLLING || this.#trees.get(root) !== tree) return;
        this.#observe({
          type: 'switched-to-polling',
          root,
          misses: tree.misses,
          intervalMs: this.#pollIntervalMs,
        });
        const switching = this.#switchToPolling(root, tree);
        this.#switching.add(switching);
        void switching.finally(() => this.#switching.delete(switching));
      },
    });
    this.#trees.set(root, tree);
    await tree.start(canary);
    return tree;
  }

  /** `noEvents`: the canary got no event (see NativeTree.fillNow). */
  async #switchToPolling(root: string, tree: NativeTree, noEvents = false): Promise<void> {
    if (this.#trees.get(root) !== tree) return;
    this.#trees.delete(root);
    this.#retiredMisses += tree.misses;
    // A sweep compares stats: the ones the walk left to the tree's queue are taken first. After a
    // canary timeout that is before ready(); after misses, its queue took them long ago.
    tree.fillNow(noEvents);
    // Poll first: anything changing while the watches close is found by the next sweep.
    this.#poller.add(root);
    await tree.close();
  }

  #emit(changes: readonly FileChange[]): void {
    if (this.#closed || changes.length === 0) return;
    try {
      // Each change carries the content hash its file had before (for net effects).
      this.#options.onChanges(
        changes.map((c) => ({ ...c, before: this.#snapshot.takeBefore(c.path) })),
      );
    } catch (err) {
      this.#observe({ type: 'internal-error', during: 'deliver', subject: '', error: String(err) });
    }
  }

  #observe(observation: WatchObservation): void {
    if (this.#closed) return;
    try {
      this.#options.onObservation?.(observation);
    } catch {
      // A broken log sink must not break watching.
    }
  }
}
