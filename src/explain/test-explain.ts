import path from 'node:path';
import type { ConfigOverrides } from '../config/types.js';
import { loadTestGraph, type TestRunReason } from '../go/test-graph.js';
import { modelContextOf, resolveProjectConfig } from '../session/resolve-startup.js';
import { planRun } from '../testrun/plan-run.js';

/** What `gohot explain --test` says of one path. */
export interface TestExplanation {
  readonly path: string;
  readonly absPath: string;
  /** The packages whose tests a code edit there runs, each with its reason, in go list order. */
  readonly run: ReadonlyArray<{ readonly pkg: string; readonly reason: TestRunReason }>;
  /** Selected packages it leaves alone. */
  readonly skipped: readonly string[];
}

/** The result of `gohot explain --test`. */
export interface TestExplainResult {
  readonly moduleRoot: string;
  readonly explanations: readonly TestExplanation[];
}

/**
 * Lists the module's packages with their tests (`./...`, as `gohot test` does by default)
 * and says, per path, which packages' tests an edit that changes code there would run.
 */
export async function runTestExplain(req: {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly overrides: ConfigOverrides;
  readonly signal?: AbortSignal;
}): Promise<TestExplainResult> {
  const { project, config } = await resolveProjectConfig(req, req.signal);
  const graph = await loadTestGraph(
    {
      goBin: project.goBin,
      cwd: project.moduleRoot,
      pkg: ['./...'],
      flags: config.build.flags,
      tags: config.build.tags,
      env: { ...process.env, ...config.build.env },
    },
    modelContextOf(project),
    req.signal,
  );
  const history = { last: undefined, failures: new Map() };
  return {
    moduleRoot: project.moduleRoot,
    explanations: req.paths.map((p) => {
      const absPath = path.resolve(req.cwd, p);
      const plan = planRun({ kind: 'changes', files: [absPath] }, graph, history);
      const run = plan.action === 'run' ? [...plan.selection.run] : [];
      return {
        path: p,
        absPath,
        run: run.map(([pkg, reason]) => ({ pkg, reason })),
        skipped: plan.action === 'run' ? plan.selection.skipped : graph.selected,
      };
    }),
  };
}
