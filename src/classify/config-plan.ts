import type { ResolvedConfig } from '../config/types.js';

/** A key of ResolvedConfig as `diffConfig` names it: `main`, `source`, `build.tags` ... */
export type ConfigKey = {
  [K in keyof ResolvedConfig]: ResolvedConfig[K] extends Readonly<Record<string, unknown>>
    ? `${K}.${Extract<keyof ResolvedConfig[K], string>}`
    : K;
}[keyof ResolvedConfig];

/** What the session does about one changed key. */
type Reaction =
  | 'resolve-main'
  | 'reopen-watcher'
  | 'stop-policy'
  | 'rebuild'
  | 'relist'
  /** Read at start-up only: the change takes effect when gohot starts again. */
  | 'next-start';

// Every key of the resolved config, with what a change of it needs. The type makes a new
// config key a compile error here until someone decides its reactions.
const REACTIONS: { readonly [K in ConfigKey]: readonly Reaction[] } = {
  source: [],
  main: ['resolve-main', 'relist', 'rebuild'],
  // go list runs with the build's flags, tags and env: they choose files and packages.
  'build.flags': ['relist', 'rebuild'],
  'build.tags': ['relist', 'rebuild'],
  'build.ldflags': ['rebuild'],
  'build.env': ['relist', 'rebuild'],
  'build.buildvcs': ['rebuild'],
  'build.debug': ['rebuild'],
  // -race and -cover add runtime packages; the others only change how files compile.
  'build.toolexec': ['rebuild'],
  'build.gcflags': ['rebuild'],
  'build.asmflags': ['rebuild'],
  'build.trimpath': ['rebuild'],
  'build.race': ['relist', 'rebuild'],
  'build.cover': ['relist', 'rebuild'],
  // The watcher tracks env files (and rule inputs) through its patterns.
  'build.envFiles': ['reopen-watcher', 'relist', 'rebuild'],
  'run.envFiles': ['reopen-watcher', 'rebuild'],
  rules: ['reopen-watcher', 'rebuild'],
  // Read at every build and start.
  'hooks.beforeBuild': [],
  'hooks.afterBuild': [],
  'hooks.beforeStart': [],
  'hooks.timeoutMs': [],
  'run.args': ['rebuild'],
  'run.env': ['rebuild'],
  'run.stopSignal': ['stop-policy', 'rebuild'],
  'run.stopTimeoutMs': ['stop-policy', 'rebuild'],
  // Read at every start of the app.
  'run.ready': [],
  // The sockets are opened at start-up; a change takes effect when gohot starts again.
  'run.listen': ['next-start'],
  // A new watcher's first walk is a baseline, not changes: files that newly match and were
  // edited before it ran are only picked up by building once more.
  'watch.patterns': ['reopen-watcher', 'rebuild'],
  'watch.backend': ['reopen-watcher', 'rebuild'],
  'watch.pollIntervalMs': ['reopen-watcher', 'rebuild'],
  // Read at every trigger or change: nothing to redo.
  'watch.quietWindowMs': [],
  'watch.leadingEdge': [],
  'watch.lineShifts': [],
  // The filter tracks restart-only files: a new watcher baselines them.
  'watch.restartOnly': ['reopen-watcher'],
  // The proxy listens from start-up on; a change takes effect when gohot starts again.
  proxy: ['next-start'],
};

/** What a config reload asks of the session, decided from the changed keys alone. */
export interface ConfigReloadPlan {
  /** Resolve the main package again ("main" changed). */
  readonly resolveMain: boolean;
  /** Open a new watcher (patterns, backend or poll interval changed). */
  readonly reopenWatcher: boolean;
  /** Hand the new stop signal and timeout to the supervisor. */
  readonly updateStopPolicy: boolean;
  /** Build and restart once the rest is done. */
  readonly rebuild: boolean;
  /** List the Go packages again (what go list selects depends on flags, tags, env, main). */
  readonly relist: boolean;
  /** Changed keys read at start-up only (the proxy, run.listen): they wait for the next start. */
  readonly atNextStart: readonly ConfigKey[];
}

function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(REACTIONS, key);
}

/** Plans the reactions to a config reload. Pure. A key it does not know is rebuilt for. */
export function planConfigReload(changed: readonly string[]): ConfigReloadPlan {
  const reactions = new Set<Reaction>(
    changed.flatMap((key) => (isConfigKey(key) ? REACTIONS[key] : ['rebuild' as const])),
  );
  return {
    resolveMain: reactions.has('resolve-main'),
    reopenWatcher: reactions.has('reopen-watcher'),
    updateStopPolicy: reactions.has('stop-policy'),
    rebuild: reactions.has('rebuild'),
    relist: reactions.has('relist'),
    atNextStart: changed.filter(
      (key): key is ConfigKey => isConfigKey(key) && REACTIONS[key].includes('next-start'),
    ),
  };
}
