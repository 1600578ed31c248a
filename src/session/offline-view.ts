import type { DecisionInputs } from '../classify/contexts.js';
import { modelView } from '../classify/model-view.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { editableDirsOutside, modelUsability, type ProjectModel } from '../go/model.js';
import type { MainPackage, ResolvedGoProject } from '../go/types.js';
import { describeModelKept } from '../report/describe.js';
import { errorInfo } from '../report/events.js';
import { restartPatternsOf, watchPatternsOf } from '../rules/effective-patterns.js';
import { decideFsBackend } from '../watch/fs-kind.js';
import type { BackendReason, RootStatus } from '../watch/types.js';
import { inputsOf } from './decide.js';
import { listProjectModel, resolveStartup } from './resolve-startup.js';

/** What `explain` and `inspect` judge by: what `gohot run` would start with, nothing started. */
export interface OfflineView {
  readonly project: ResolvedGoProject;
  readonly config: ResolvedConfig;
  readonly main: MainPackage;
  /** The package graph; undefined when go list could not list the main package. */
  readonly model: ProjectModel | undefined;
  /** Why there is no model, in words (the terminal's "model kept" line). */
  readonly modelProblem: string | undefined;
  /** The watch roots: the module's and every editable directory of the graph outside them. */
  readonly roots: readonly string[];
  /** The decision inputs of the classifier and the watch filter, as the run session has them. */
  readonly inputs: DecisionInputs;
}

/**
 * Resolves the project, config and package graph exactly as `gohot run` would, and the
 * decision inputs its session would have (the rules' input patterns and `proxy.reloadOnly`
 * included). Writes nothing and starts no watcher, build or app.
 */
export async function resolveOfflineView(
  request: { readonly cwd: string; readonly overrides: ConfigOverrides },
  signal?: AbortSignal,
): Promise<OfflineView> {
  const { project, config, main, configFiles } = await resolveStartup(request, signal);
  let model: ProjectModel | undefined;
  let modelProblem: string | undefined;
  try {
    model = await listProjectModel(project, config, main, signal);
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
  const inputs = inputsOf(
    {
      roots,
      project,
      matcher: createRootsMatcher(roots, watchPatternsOf(config)),
      restartMatcher: createRootsMatcher(roots, restartPatternsOf(config)),
      reloadMatcher: createRootsMatcher(roots, config.proxy?.reloadOnly ?? []),
      config,
    },
    configFiles,
    () => view,
  );
  return { project, config, main, model, modelProblem, roots, inputs };
}

/**
 * How `gohot run` would watch `root`: the file-system decision, or the backend forced by
 * `--poll`/`--native` or the config (its start-up canary may still switch a native root to
 * polling when no event comes back).
 */
export async function offlineRootStatus(
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
