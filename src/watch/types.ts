/** Which mechanism watches a root. */
export type BackendKind = 'native' | 'poll';

/** What the user asked for: decide per root, or force one backend everywhere. */
export type BackendChoice = 'auto' | BackendKind;

/** A verified change to one file: the snapshot says its content (or existence) changed. */
export interface FileChange {
  /** Absolute path of the file. */
  readonly path: string;
  readonly kind: 'created' | 'modified' | 'deleted';
  /**
   * How it was found: a native event, a reconciliation sweep (a native miss), or the poller.
   */
  readonly via: 'event' | 'reconcile' | 'poll';
}

/** Decides what the watcher looks at. Both functions get absolute paths and must be pure. */
export interface WatchFilter {
  /** True for a directory that is not walked or watched (.git, node_modules, output dir ...). */
  ignoreDir(absPath: string): boolean;
  /** True for a file whose changes are tracked (hashed and reported). */
  trackFile(absPath: string): boolean;
}

/** How one root is watched, and why (shown on the start-up line). */
export interface RootStatus {
  readonly root: string;
  readonly backend: BackendKind;
  /** e.g. "native: ext4" or "polling every 500ms: 9p mount at /mnt/c (no inotify events from the host)". */
  readonly reason: string;
}

/** Something the watcher wants a human to know; verbose ones only with --verbose. */
export interface WatchLog {
  readonly level: 'debug' | 'info' | 'warn';
  readonly message: string;
}

/** Options of createWatcher. */
export interface WatcherOptions {
  /** Absolute directories watched recursively. */
  readonly roots: readonly string[];
  readonly filter: WatchFilter;
  /** @default 'auto' */
  readonly backend?: BackendChoice;
  /** Who forced a non-auto backend, for the start-up line ("--poll", "GOHOT_POLL=1" ...). */
  readonly backendForcedBy?: string;
  /** Poll sweep interval. @default 500 */
  readonly pollIntervalMs?: number;
  /** Called with verified changes, in batches as they are found. */
  readonly onChanges: (changes: readonly FileChange[]) => void;
  /** Diagnostics: skipped directories, limits hit, misses found, backend switches. */
  readonly onLog?: (log: WatchLog) => void;
  /** Full reconciliation sweep of every native root, to catch missed events. @default 30000 */
  readonly reconcileIntervalMs?: number;
  /**
   * How long a cookie (sync) or canary (start-up) file may take to produce its event before
   * the root is swept instead (sync) or switched to polling (canary). @default 1000
   */
  readonly cookieTimeoutMs?: number;
  /**
   * Timestamp granularity of the file system: a file whose mtime is this close to the time it
   * was recorded is "racily clean" and compared by content even when its stat is unchanged.
   * @default 2000
   */
  readonly racyGranularityMs?: number;
  /** Adds one non-recursive directory watch; tests inject failures. @default node:fs.watch */
  readonly watchFn?: WatchFn;
}

/** The part of node:fs.FSWatcher the native backend uses. */
export interface DirWatchHandle {
  close(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Signature of node:fs.watch as the native backend calls it (one directory, no recursion). */
export type WatchFn = (
  dir: string,
  options: { readonly persistent: boolean },
  listener: (eventType: string, filename: string | null) => void,
) => DirWatchHandle;

/** Counters exposed for tests, `inspect` and the trace. */
export interface WatcherStats {
  readonly trackedFiles: number;
  readonly watchedDirs: number;
  /** Changes found by reconciliation that no native event announced. */
  readonly misses: number;
  /** Directory trees swept by the poller (poll roots and subtrees that fell back to polling). */
  readonly polledTrees: number;
}

/** A running watcher over a list of roots. */
export interface Watcher {
  /** Resolves when every root is walked, watched and snapshotted. */
  ready(): Promise<readonly RootStatus[]>;
  /**
   * Resolves once every change made before the call has been seen and delivered to
   * onChanges (a cookie round trip on native roots, a sweep on polled ones).
   */
  sync(): Promise<void>;
  stats(): WatcherStats;
  /** Releases every watch, timer and descriptor. Idempotent. */
  close(): Promise<void>;
}
