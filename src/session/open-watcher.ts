import { createWatchFilter } from '../classify/watch-filter.js';
import type { RootsMatcher } from '../config/roots-matcher.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Reporter } from '../report/events.js';
import type { FileChange, Watcher } from '../watch/types.js';
import { createWatcher } from '../watch/watcher.js';

/** Everything a session's watcher is made from; a new value means a new watcher. */
export interface WatcherSpec {
  readonly roots: readonly string[];
  readonly matcher: RootsMatcher;
  readonly config: ResolvedConfig;
  /** gohot's output directory: never watched. */
  readonly outDir: string;
  /** Config files, tracked whatever the patterns say. */
  readonly configFiles: ReadonlySet<string>;
  /** Who forced a non-auto backend, for the start-up line. */
  readonly backendForcedBy: string;
  readonly reporter: Reporter;
  readonly onChanges: (changes: readonly FileChange[]) => void;
  /** Aborting it while the watcher starts closes it and rejects. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Creates the watcher of a session and waits until it is ready. On failure or abort the
 * half-started watcher is closed before the promise rejects, so nothing leaks.
 */
export async function openWatcher(spec: WatcherSpec): Promise<Watcher> {
  const { roots, matcher, config, reporter } = spec;
  const watcher = createWatcher({
    roots,
    filter: createWatchFilter({
      roots,
      skipDirs: [spec.outDir],
      alwaysTrack: spec.configFiles,
      isIncluded: (p) => matcher.isIncluded(p),
      isDirExcluded: (d) => matcher.isDirExcluded(d),
    }),
    backend: config.watch.backend,
    backendForcedBy: spec.backendForcedBy,
    pollIntervalMs: config.watch.pollIntervalMs,
    onChanges: spec.onChanges,
    onLog: (log) => {
      if (log.level === 'debug')
        reporter.report({ type: 'debug', stage: 'watch', message: log.message });
      else if (log.level === 'info') reporter.report({ type: 'info', message: log.message });
      else reporter.report({ type: 'warning', message: log.message });
    },
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
