import { lstatSync } from 'node:fs';
import path from 'node:path';
import { classifyContextOf, watchFilterOf } from '../classify/contexts.js';
import type { ConfigOverrides } from '../config/types.js';
import { offlineRootStatus, resolveOfflineView } from '../session/offline-view.js';
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
  const { project, config, main, model, modelProblem, roots, inputs } = await resolveOfflineView(
    { cwd: req.cwd, overrides: req.overrides },
    req.signal,
  );
  const rootStatus = await Promise.all(
    roots.map(async (root) => {
      const status = await offlineRootStatus(root, config, req.overrides.backendSource);
      return { path: status.root, backend: status.backend, reason: status.reason };
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
