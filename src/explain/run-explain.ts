import { lstatSync } from 'node:fs';
import path from 'node:path';
import { classifyContextOf, type DecisionInputs, watchFilterOf } from '../classify/contexts.js';
import { modelView } from '../classify/model-view.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides } from '../config/types.js';
import { editableDirsOutside, modelUsability, type ProjectModel } from '../go/model.js';
import { describeModelKept } from '../report/describe.js';
import { errorInfo } from '../report/events.js';
import { restartPatternsOf, watchPatternsOf } from '../rules/effective-patterns.js';
import { listProjectModel, resolveStartup } from '../session/resolve-startup.js';
import { decideFsBackend } from '../watch/fs-kind.js';
import type { BackendKind, BackendReason } from '../watch/types.js';
import { type Explanation, explainPath, type PathKind } from './explain.js';

/** What `gohot explain` was asked. */
export interface ExplainRequest {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly overrides: ConfigOverrides;
  readonly signal?: AbortSignal;
}

/** The result of `gohot explain`: the project it judged by, and one explanation per path. */
export interface ExplainResult {
  readonly moduleRoot: string;
  readonly mainPackage: string;
  readonly explanations: readonly Explanation[];
}

/**
 * Resolves the project, config and package graph exactly as `gohot run` would, then
 * explains each path. Writes nothing and starts no watcher: the backend of each root is
 * the file-system decision (`run` may still switch a root to polling when its canary file
 * produces no event).
 */
export async function runExplain(req: ExplainRequest): Promise<ExplainResult> {
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
    matcher: createRootsMatcher(roots, watchPatternsOf(config)),
    restartMatcher: createRootsMatcher(roots, restartPatternsOf(config)),
    reloadMatcher: createRootsMatcher(roots, config.proxy?.reloadOnly ?? []),
    model: () => view,
    lineShifts: config.watch.lineShifts,
  };
  const rootStatus = await Promise.all(
    roots.map(async (root) => {
      if (config.watch.backend !== 'auto') {
        const forced = req.overrides.backendSource ?? 'watch.poll in the config';
        return {
          path: root,
          backend: config.watch.backend as BackendKind,
          reason: { by: 'forced', forcedBy: forced } as BackendReason,
        };
      }
      const d = await decideFsBackend(root);
      return { path: root, backend: d.backend, reason: d.reason };
    }),
  );
  const ctx = {
    roots: rootStatus,
    filter: watchFilterOf(inputs, undefined),
    classify: classifyContextOf(inputs),
    model,
    modelProblem,
  };
  return {
    moduleRoot: project.moduleRoot,
    mainPackage: main.relPath,
    explanations: req.paths.map((p) => {
      const abs = path.resolve(req.cwd, p);
      return explainPath(p, abs, kindOf(abs), ctx);
    }),
  };
}

function kindOf(abs: string): PathKind {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st === undefined) return 'missing';
  if (st.isDirectory()) return 'directory';
  return st.isFile() ? 'file' : 'other';
}
