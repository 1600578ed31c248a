import path from 'node:path';
import { MODULE_FILES } from '../classify/classify.js';
import { packageForDir } from '../go/model.js';
import {
  type ChangeScope,
  selectAll,
  selectTests,
  type TestGraph,
  type TestSelection,
  testDataPackage,
} from '../go/test-graph.js';
import type { TestFailure } from '../go/test-json.js';
import type { Batch } from '../schedule/scheduler.js';
import { rerunPattern } from './rerun-pattern.js';

/** What a batch asks the test run for. */
export type TestRequest =
  /** The first run, `a`, or a config or project change: every selected package. */
  | { readonly kind: 'all' }
  /** `f`: only the tests that failed last time. */
  | { readonly kind: 'failed' }
  /** Enter: the last run again. */
  | { readonly kind: 'last' }
  /** Files changed: the packages whose test binaries they can change. */
  | { readonly kind: 'changes'; readonly files: readonly string[] };

/** One `go test` invocation of a plan. */
export interface PlannedInvocation {
  readonly packages: readonly string[];
  /** `-run` pattern, for a rerun of failed tests. */
  readonly run: string | undefined;
}

/** What one test cycle does, and why. */
export type TestPlan =
  | {
      readonly action: 'run';
      readonly request: TestRequest['kind'];
      readonly selection: TestSelection;
      readonly invocations: readonly PlannedInvocation[];
    }
  | {
      readonly action: 'nothing';
      readonly reason:
        | { readonly by: 'nothing-affected'; readonly files: readonly string[] }
        | { readonly by: 'no-failures' };
    };

/** The request of a batch: the widest of its triggers wins. */
export function requestOf(batch: Batch): TestRequest {
  const kinds = batch.triggers.map((t) => {
    if (t.kind === 'start' || t.kind === 'config') return 'all';
    if (t.kind === 'manual') return t.scope ?? 'last';
    return 'changes';
  });
  if (kinds.includes('all')) return { kind: 'all' };
  if (kinds.includes('changes')) return { kind: 'changes', files: batch.files };
  if (kinds.includes('failed')) return { kind: 'failed' };
  return { kind: 'last' };
}

const MODULE_FILE_NAMES: ReadonlySet<string> = new Set<string>(MODULE_FILES);

/**
 * The package a changed file belongs to and how far it reaches, or `all` for a file that
 * can change every binary (go.mod) or that gohot cannot place.
 */
export function placeFile(
  graph: TestGraph,
  file: string,
): { readonly pkg: string; readonly scope: ChangeScope } | 'all' {
  if (MODULE_FILE_NAMES.has(path.basename(file))) return 'all';
  const own = file.endsWith('_test.go');
  const listed = graph.model.files.get(file);
  if (listed !== undefined)
    return { pkg: listed.pkg.importPath, scope: own ? 'own-tests' : 'package' };
  const data = testDataPackage(graph.model, file);
  if (data !== undefined) return { pkg: data, scope: 'own-tests' };
  const pkg = packageForDir(graph.model, path.dirname(file));
  if (pkg !== undefined) return { pkg: pkg.importPath, scope: own ? 'own-tests' : 'package' };
  return 'all';
}

/** What the cycle remembers between runs. */
export interface TestHistory {
  /** The invocations of the last run (Enter runs them again). */
  readonly last: readonly PlannedInvocation[] | undefined;
  /** Failed tests of each package as last run. */
  readonly failures: ReadonlyMap<string, readonly TestFailure[]>;
}

/** Plans one cycle. Pure. */
export function planRun(request: TestRequest, graph: TestGraph, history: TestHistory): TestPlan {
  const all = (): TestPlan => {
    const selection = selectAll(graph);
    return {
      action: 'run',
      request: 'all',
      selection,
      invocations: [{ packages: [...selection.run.keys()], run: undefined }],
    };
  };
  switch (request.kind) {
    case 'all':
      return all();
    case 'last': {
      if (history.last === undefined) return all();
      const pkgs = new Set(history.last.flatMap((i) => i.packages));
      const selection = selectTests(
        graph,
        [...pkgs].map((pkg) => ({ pkg, scope: 'own-tests' as const })),
      );
      return { action: 'run', request: 'last', selection, invocations: history.last };
    }
    case 'failed': {
      const byPattern = new Map<string, string[]>();
      for (const [pkg, failures] of history.failures) {
        const pattern = rerunPattern(failures);
        if (pattern !== undefined) byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), pkg]);
      }
      if (byPattern.size === 0) return { action: 'nothing', reason: { by: 'no-failures' } };
      const invocations = [...byPattern].map(([run, packages]) => ({ packages, run }));
      const selection = selectTests(
        graph,
        invocations.flatMap((i) => i.packages.map((pkg) => ({ pkg, scope: 'own-tests' as const }))),
      );
      return { action: 'run', request: 'failed', selection, invocations };
    }
    case 'changes': {
      const placed = request.files.map((f) => placeFile(graph, f));
      if (placed.includes('all')) return all();
      const selection = selectTests(graph, placed as Exclude<(typeof placed)[number], 'all'>[]);
      if (selection.run.size === 0) {
        return { action: 'nothing', reason: { by: 'nothing-affected', files: request.files } };
      }
      return {
        action: 'run',
        request: 'changes',
        selection,
        invocations: [{ packages: [...selection.run.keys()], run: undefined }],
      };
    }
  }
}
