import { type DecisionInputs, watchFilterOf } from '../classify/contexts.js';
import type { ConfigOverrides } from '../config/types.js';
import { requestControl } from '../control/client.js';
import { findProjectSockets } from '../control/socket-path.js';
import { resolveGoProject } from '../go/go-env.js';
import { offlineRootStatus, resolveOfflineView } from '../session/offline-view.js';
import { readInotifyLimits, readOpenFilesLimit } from '../watch/inotify-linux.js';
import type { WatcherStats } from '../watch/types.js';
import { createWatcher } from '../watch/watcher.js';
import { buildInspectDocument, type InspectDocument, limitsJson } from './inspect-report.js';

/** What `gohot inspect` was asked. */
export interface InspectRequest {
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** The offline walk never sweeps: it closes as soon as the baseline is read. */
const NO_SWEEP_MS = 3_600_000;

/**
 * The live state of the newest running gohot of the project, through its control socket;
 * without one (or when every socket found is stale), the state `gohot run` would start with,
 * worked out here.
 */
export async function runInspect(req: InspectRequest): Promise<InspectDocument> {
  const project = await resolveGoProject(req.cwd, { signal: req.signal });
  for (const found of findProjectSockets(project.moduleRoot, req.env ?? process.env)) {
    const reply = await requestControl(found.path, 'inspect');
    if (reply.kind === 'answered') return reply.result as InspectDocument;
  }
  return computeInspect(req);
}

/**
 * Resolves the project, config and package graph exactly as `gohot run` would, and walks
 * the roots the way its watcher would (by polling, so that nothing is written and no watch
 * is added). Starts no build and no app.
 */
export async function computeInspect(req: InspectRequest): Promise<InspectDocument> {
  const { project, config, main, model, modelProblem, roots, inputs } = await resolveOfflineView(
    { cwd: req.cwd, overrides: req.overrides },
    req.signal,
  );
  const statuses = await Promise.all(
    roots.map((root) => offlineRootStatus(root, config, req.overrides.backendSource)),
  );
  const perRoot = await Promise.all(roots.map((root) => walkRoot(root, inputs)));
  const sum = (f: (s: WatcherStats) => number) => perRoot.reduce((n, s) => n + f(s), 0);
  const nativeDirs = perRoot.reduce(
    (n, s, i) => n + (statuses[i]!.backend === 'native' ? s.walkedDirs : 0),
    0,
  );
  return buildInspectDocument({
    source: { kind: 'computed' },
    project,
    config,
    main,
    roots: statuses,
    stats: {
      walkedDirs: sum((s) => s.walkedDirs),
      watchedDirs: nativeDirs,
      trackedFiles: sum((s) => s.trackedFiles),
      hotFiles: sum((s) => s.hotFiles),
      coldFiles: sum((s) => s.coldFiles),
      polledTrees: statuses.filter((s) => s.backend === 'poll').length,
    },
    inotify: {
      kind: 'predicted',
      watches: nativeDirs,
      openFilesLimit: readOpenFilesLimit() ?? null,
      limits: limitsJson(readInotifyLimits()),
    },
    model,
    modelProblem,
    reloads: [],
  });
}

/** The walk of one root through the watcher's own filter and scanner, then closed. */
async function walkRoot(root: string, inputs: DecisionInputs): Promise<WatcherStats> {
  const watcher = createWatcher({
    roots: [root],
    filter: watchFilterOf(inputs, undefined),
    backend: 'poll',
    pollIntervalMs: NO_SWEEP_MS,
    hashOnReady: false,
    onChanges: () => undefined,
  });
  try {
    await watcher.ready();
    return watcher.stats();
  } finally {
    await watcher.close();
  }
}
