import type { ResolvedConfig } from '../config/types.js';
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
}

/**
 * Creates the watcher of a session and waits until it is ready. On failure or abort the
 * half-started watcher is closed before the promise rejects, so nothing leaks.
 */
export async function openWatcher(spec: WatcherSpec): Promise<Watcher> {
  const { roots, config } = spec;
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
  try {
    await untilAborted(watcher.ready(), spec.signal);
  } catch (err) {
    await watcher.close();
    throw err;
  }
  return watcher;
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
