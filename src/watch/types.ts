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
  /**
   * Content hash the watcher had recorded before this change; undefined when the file was
   * new or its hash was not recorded yet.
   */
  readonly before?: string | undefined;
}

/** Why a directory is not walked or watched. */
export type DirSkipReason =
  | { readonly by: 'hidden'; readonly name: string }
  | { readonly by: 'name'; readonly name: string }
  | { readonly by: 'output-dir' }
  | { readonly by: 'exclude'; readonly pattern: string }
  | { readonly by: 'outside-roots' };

/** Whether a directory is walked and watched, and if not, why. */
export type DirVerdict =
  | { readonly watched: true }
  | { readonly watched: false; readonly reason: DirSkipReason };

/**
 * What decided a file's fate: it is a config file, or a pattern verdict (`by` names the kind
 * of rule, `pattern` the deciding pattern as written; see config/patterns.ts).
 */
export type FileReason =
  | { readonly by: 'config-file' }
  | { readonly by: 'glob' | 'exclude'; readonly pattern: string }
  | { readonly by: 'exact'; readonly pattern: string; readonly beats?: string }
  | { readonly by: 'no-match' | 'root-itself' | 'outside-roots' }
  /** No pattern includes it, but go list says the build reads it (an embedded file). */
  | { readonly by: 'build-input' }
  /** A _test.go file: watched by existence, so its edits are reported and explained. */
  | { readonly by: 'test-file' }
  | { readonly by: 'outside-root'; readonly root: string };

/**
 * How closely a tracked file is watched.
 *
 * - `hot`: its content matters (a file the binary is built from, a config file). Stat and
 *   content hash are recorded; polled roots stat it every interval; a change is verified by
 *   content, so a no-op save or a `touch` is no change.
 * - `cold`: only its existence matters (a `.go` file of a package outside the binary's
 *   closure: creating or deleting one can change what `go list` says, editing it cannot
 *   change the binary). Never hashed. Polled roots check it by directory listings only, at
 *   `COLD_POLL_FACTOR` (poller.ts) times the poll interval (every interval while its directory
 *   is warm, see Poller): `created` and `deleted` are reported,
 *   a `touch` or an edit is not. Native roots report an event for it as `modified` when its
 *   stat differs from the recorded one, or when none is recorded yet (the start-up walk reads
 *   directory listings only), and `created`/`deleted` by existence.
 *
 * A known file keeps its tier until {@link Watcher.refilter} re-applies the filter; a new
 * file gets the tier the filter gives when it is found. What it saves on a big tree:
 * docs/facts.md#hot-and-cold-files.
 */
export type FileTier = 'hot' | 'cold';

/** Whether a file's changes are tracked (hashed and reported), and why. */
export interface FileVerdict {
  readonly tracked: boolean;
  readonly reason: FileReason;
  /** How closely a tracked file is watched; ignored for untracked files. @default 'hot' */
  readonly tier?: FileTier;
}

/**
 * Decides what the watcher looks at. Both functions get absolute paths and must be pure
 * between calls of `Watcher.refilter()`: a path the watcher knows keeps its verdict until
 * then, a path it finds is judged by the answer of the moment.
 */
export interface WatchFilter {
  /** Whether a directory is walked and watched (not .git, node_modules, the output dir ...). */
  dir(absPath: string): DirVerdict;
  /** Whether a file's changes are tracked, and in which tier. */
  file(absPath: string): FileVerdict;
  /**
   * `file` for the plain files directly in `absDir`, by name (the same verdicts), to use
   * within one synchronous pass over its listing; undefined when `file` must be asked.
   */
  filesIn?(absDir: string): ((name: string) => FileVerdict) | undefined;
}

/** Why changes on a remote-ish file system are invisible to inotify. */
export type RemoteWhy = 'other-clients' | 'host' | 'user-space';

/** Why a root is watched the way it is; `report/` words it for the start-up line. */
export type BackendReason =
  | { readonly by: 'fs'; readonly fsType: string }
  | { readonly by: 'no-mountinfo'; readonly platform: string }
  | { readonly by: 'unknown-fs' }
  | {
      readonly by: 'remote-fs';
      readonly fsType: string;
      /** What a human calls it, when the type alone is cryptic ("SMB", "VirtualBox shared folder"). */
      readonly label?: string;
      readonly mountPoint: string;
      readonly why: RemoteWhy;
    }
  | { readonly by: 'forced'; readonly forcedBy: string }
  /** The start-up canary's own write produced no event within `timeoutMs`. */
  | { readonly by: 'no-canary-event'; readonly timeoutMs: number };

/** How one root is watched, and why (shown on the start-up line). */
export interface RootStatus {
  readonly root: string;
  readonly backend: BackendKind;
  readonly reason: BackendReason;
  /** The poll sweep interval, for polled roots. */
  readonly pollIntervalMs?: number;
}

/**
 * What the watcher noticed besides verified changes: decisions it made (an event it did not
 * count, and why) and lifecycle facts (limits hit, misses found, a root switched to polling).
 * Values only; `report/` decides how loud each one is and words it.
 */
export type WatchObservation =
  /** An event for a directory that is not watched. */
  | { readonly type: 'dir-skipped'; readonly path: string; readonly reason: DirSkipReason }
  /** An event for a file whose changes are not tracked. */
  | { readonly type: 'file-untracked'; readonly path: string; readonly verdict: FileVerdict }
  /** An event (or a changed stat in a sweep) for a file whose content did not change. */
  | { readonly type: 'content-unchanged'; readonly path: string; readonly via: 'event' | 'poll' }
  /** A second path to a directory already walked (a symlink or a loop): not followed. */
  | { readonly type: 'dir-alias'; readonly path: string; readonly sameAs: string }
  | { readonly type: 'dir-unreadable'; readonly path: string; readonly code: string }
  /** A watch could not be added (`limit` set when a kernel limit is the cause); polled instead. */
  | {
      readonly type: 'watch-fallback';
      readonly dir: string;
      readonly limit: { readonly message: string; readonly hint?: string | undefined } | undefined;
      readonly error: string;
      /** True once a limit was already reported for this root. */
      readonly repeated: boolean;
    }
  | {
      readonly type: 'watch-error';
      readonly dir: string;
      readonly rescan: string;
      readonly error: string;
    }
  | { readonly type: 'cookie-timeout'; readonly root: string }
  | { readonly type: 'no-canary'; readonly root: string }
  /** A root not owned by our effective uid: no cookie or canary file there, sync sweeps it. */
  | { readonly type: 'root-not-owned'; readonly root: string }
  /** Cookie files left by a gohot that was killed, removed at start. */
  | { readonly type: 'stale-cookies-removed'; readonly root: string; readonly count: number }
  /**
   * A symlink whose real path (`target`) lies outside every watch root: the directory is not
   * walked, the file not tracked. Observed once per symlink and target.
   */
  | {
      readonly type: 'link-outside-roots';
      readonly path: string;
      readonly target: string;
      readonly kind: 'directory' | 'file';
    }
  /** A root's own directory was deleted or moved away; it is looked for until it is back. */
  | { readonly type: 'root-gone'; readonly root: string }
  /** A root that was gone or replaced is there again: watched and walked anew. */
  | { readonly type: 'root-back'; readonly root: string }
  | { readonly type: 'event-burst'; readonly root: string }
  | {
      readonly type: 'misses-found';
      readonly root: string;
      readonly changes: readonly FileChange[];
    }
  | {
      readonly type: 'switched-to-polling';
      readonly root: string;
      readonly misses: number;
      readonly intervalMs: number;
    }
  /** Something failed inside the watcher and was survived. */
  | {
      readonly type: 'internal-error';
      readonly during: 'queue' | 'check' | 'sweep' | 'deliver';
      readonly subject: string;
      readonly error: string;
    };

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
  /** Observations: events not counted and why, limits hit, misses found, backend switches. */
  readonly onObservation?: (observation: WatchObservation) => void;
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
  /**
   * Hash every hot file before `ready()` resolves. When false, the start-up walk records hot
   * files' stats only (a file stamped within `racyGranularityMs` of the walk is hashed at
   * once, its stat cannot vouch for its content) and `refilter()` records the hashes. Until a
   * hot file's hash is recorded, any change of its stat counts as a change. @default true
   */
  readonly hashOnReady?: boolean;
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
  /** Every tracked file: `hotFiles + coldFiles`. */
  readonly trackedFiles: number;
  readonly hotFiles: number;
  readonly coldFiles: number;
  /** Hot files whose content hash is not recorded yet (see `hashOnReady`). */
  readonly unhashedFiles: number;
  readonly watchedDirs: number;
  /** Directories walked (every root and subdirectory the filter lets in, watched or polled). */
  readonly walkedDirs: number;
  /** Changes found by reconciliation that no native event announced. */
  readonly misses: number;
  /** Directory trees swept by the poller (poll roots and subtrees that fell back to polling). */
  readonly polledTrees: number;
  /**
   * The pauses the poller uses now (one poller sweeps every polled tree): between sweeps of
   * the hot files and the directories that hold them, and between full sweeps (every
   * directory: cold files' existence). Both are stretched on trees too big to sweep that
   * often. Absent when nothing is polled.
   */
  readonly pollIntervals?: { readonly hotMs: number; readonly coldMs: number };
}

/** A running watcher over a list of roots. */
export interface Watcher {
  /** Resolves when every root is walked, watched and snapshotted. */
  ready(): Promise<readonly RootStatus[]>;
  /**
   * Resolves once every change made before the call has been seen and delivered to
   * onChanges (a cookie round trip on native roots, a sweep on polled ones and on native roots
   * another user owns, where no cookie is written).
   */
  sync(): Promise<void>;
  /**
   * Re-applies the filter (which may answer differently now) to everything known, reporting
   * nothing: files that became tracked or hot get their baseline (stat, and hash for hot),
   * files that became untracked are dropped, hot files that became cold lose their hash,
   * directories that became watched are walked and watched, directories no longer watched
   * release their watches. Also records the hashes `hashOnReady: false` deferred.
   *
   * Known files take their new verdict at the call (when `ready()` has resolved; else once it
   * has), so a change made after the call is reported, once. What the filter lets in is what
   * the watcher saw ignored (untracked files, skipped directories); a file created since it
   * last looked is reported as created, as it would have been anyway. A directory let in is
   * walked like at start: its baseline is the moment of the walk. Resolves when the hash of
   * every hot file is recorded, so that from then on a no-op save is no change. Calls run
   * one after the other.
   */
  refilter(): Promise<void>;
  stats(): WatcherStats;
  /** Releases every watch, timer and descriptor. Idempotent. */
  close(): Promise<void>;
}
