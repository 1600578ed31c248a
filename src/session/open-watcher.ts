import type { ResolvedConfig } from '../config/types.js';
import type { Emit } from '../report/events.js';
import type { FileChange, Watcher, WatchFilter, WatchObservation } from '../watch/types.js';
import { createWatcher } from '../watch/watcher.js';

/** Everything a session's watcher is made from; a new value means a new watcher. */
export interface WatcherSpec {
  readonly roots: readonly string[];
  /** What is walked, tracked and hashed (classify/contexts.ts watchFilterOf). */
  readonly filter: WatchFilter;
  readonly config: ResolvedConfig;
  /** Who forced a non-auto backend, for the start-up line. */
  readonly backendForcedBy: string;
  readonly onObservation: (observation: WatchObservation) => void;
  readonly onChanges: (changes: readonly FileChange[]) => void;
  /** Aborting it while the watcher starts closes it and rejects. */
  readonly signal?: AbortSignal | undefined;
  /** Receives `watcher-started` once it is ready and `watcher-stopped` once it is closed. */
  readonly emit?: Emit | undefined;
}

/**
 * Creates the watcher of a session and waits until it is ready. On failure or abort the
 * half-started watcher is closed before the promise rejects, so nothing leaks.
 */
export async function openWatcher(spec: WatcherSpec): Promise<Watcher> {
  const { roots, config } = spec;
  const startedAt = performance.now();
  const watcher = createWatcher({
    roots,
    filter: spec.filter,
    // Hashing waits for the model (refilter): only the files that can matter are hashed.
    hashOnReady: false,
    backend: config.watch.backend,
    backendForcedBy: spec.backendForcedBy,
    pollIntervalMs: config.watch.pollIntervalMs,
    onChanges: spec.onChanges,
    onObservation: spec.onObservation,
  });
  let statuses: Awaited<ReturnType<Watcher['ready']>>;
  try {
    statuses = await untilAborted(watcher.ready(), spec.signal);
  } catch (err) {
    await watcher.close();
    throw err;
  }
  const emit = spec.emit;
  if (emit === undefined) return watcher;
  const stats = watcher.stats();
  emit({
    type: 'watcher-started',
    roots: statuses,
    watchedDirs: stats.watchedDirs,
    trackedFiles: stats.trackedFiles,
    polledTrees: stats.polledTrees,
    durationMs: performance.now() - startedAt,
  });
  return withStopEvent(watcher, roots, emit);
}

/** `watcher`, whose first close() also emits `watcher-stopped` with what it released. */
function withStopEvent(watcher: Watcher, roots: readonly string[], emit: Emit): Watcher {
  let closing: Promise<void> | undefined;
  return {
    ready: () => watcher.ready(),
    sync: () => watcher.sync(),
    refilter: () => watcher.refilter(),
    stats: () => watcher.stats(),
    close() {
      closing ??= (async () => {
        const { watchedDirs, misses } = watcher.stats();
        await watcher.close();
        emit({ type: 'watcher-stopped', roots, watchedDirs, misses });
      })();
      return closing;
    },
  };
}

/** Resolves like `promise`, or rejects as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
