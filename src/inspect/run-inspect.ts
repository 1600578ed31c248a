import { type DecisionInputs, watchFilterOf } from '../classify/contexts.js';
import { modelView } from '../classify/model-view.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { requestControl } from '../control/client.js';
import { findProjectSockets } from '../control/socket-path.js';
import { resolveGoProject } from '../go/go-env.js';
import { editableDirsOutside, modelUsability, type ProjectModel } from '../go/model.js';
import { describeModelKept } from '../report/describe.js';
import { errorInfo } from '../report/events.js';
import { listProjectModel, resolveStartup } from '../session/resolve-startup.js';
import { decideFsBackend } from '../watch/fs-kind.js';
import { readInotifyLimits, readOpenFilesLimit } from '../watch/inotify-linux.js';
import type { BackendReason, RootStatus, WatcherStats } from '../watch/types.js';
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
  const { project, config, main, configFiles } = await resolveStartup(
    { cwd: req.cwd, overrides: req.overrides },
    req.signal,
  );
  let model: ProjectModel | undefined;
  let modelProblem: string | undefined;
  try {
    model = await listProjectModel(project, config, main, req.signal);
    const usability = modelUsability(model);
    if (!usability.usable) {
      modelProblem = describeModelKept({ by: usability.reason, error: usability.error }, false);
      model = undefined;
    }
  } catch (err) {
    modelProblem = describeModelKept({ by: 'list-failed', error: errorInfo(err).message }, false);
  }
  const roots = [
    ...project.watchRoots,
    ...(model === undefined ? [] : editableDirsOutside(model, project.watchRoots)),
  ];
  const view = model === undefined ? undefined : modelView(model, project.moduleRoot, main.relPath);
  const inputs: DecisionInputs = {
    roots,
    workFile: project.workFile,
    configFiles,
    matcher: createRootsMatcher(roots, config.watch.patterns),
    restartMatcher: createRootsMatcher(roots, config.watch.restartOnly),
    model: () => view,
    lineShifts: config.watch.lineShifts,
  };
  const statuses = await Promise.all(
    roots.map((root) => rootStatus(root, config, req.overrides.backendSource)),
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

/**
 * How `gohot run` would watch `root`: the file-system decision (its start-up canary may
 * still switch a native root to polling when no event comes back).
 */
async function rootStatus(
  root: string,
  config: ResolvedConfig,
  backendSource: string | undefined,
): Promise<RootStatus> {
  if (config.watch.backend !== 'auto') {
    const forcedBy = backendSource ?? 'watch.poll in the config';
    const reason: BackendReason = { by: 'forced', forcedBy };
    return config.watch.backend === 'poll'
      ? { root, backend: 'poll', reason, pollIntervalMs: config.watch.pollIntervalMs }
      : { root, backend: 'native', reason };
  }
  const d = await decideFsBackend(root);
  return d.backend === 'poll'
    ? { root, backend: 'poll', reason: d.reason, pollIntervalMs: config.watch.pollIntervalMs }
    : { root, backend: 'native', reason: d.reason };
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
