import { basename, dirname, sep } from 'node:path';
import { type ListedPackage, type ListSpec, listPackages } from './list.js';
import { buildProjectModel, type ModelContext, type ProjectModel } from './model.js';

// The package graph of a test run: `go list -e -deps -test` over the selected packages
// (docs/facts.md#test-binaries-in-go-list). Test variants (`x [x.test]`) and the generated test mains
// (`x.test`) are folded into their package: its _test.go files are files of that package,
// its test imports are edges of its test binary. Pure apart from loadTestGraph.

/** What one package's test binary is linked from, and who is selected. */
export interface TestGraph extends ProjectModel {
  /** The model with test files as Go files of their package (classification reads it). */
  readonly model: ProjectModel;
  /** Import paths of the selected packages (those the patterns name), in go list order. */
  readonly selected: readonly string[];
  /**
   * Per selected package, the packages of its test binary: itself, its imports and its
   * test imports, and their imports, transitively (their tests are not linked).
   */
  readonly linked: ReadonlyMap<string, ReadonlySet<string>>;
}

/** How far a changed file reaches. */
export type ChangeScope =
  /** Code of the package: every test binary that links the package. */
  | 'package'
  /** A _test.go file or test data: only the package's own tests. */
  | 'own-tests';

/** A package whose tests run, and why. */
export type TestRunReason =
  | { readonly by: 'changed'; readonly pkg: string }
  /** Its test binary links `pkg`, which changed (`via`: the import that leads there). */
  | { readonly by: 'imports'; readonly pkg: string; readonly via: string }
  /** Everything selected: the first run, `a`, or a change gohot cannot place. */
  | { readonly by: 'all' };

/** Which selected packages run, each with its reason; the rest are skipped. */
export interface TestSelection {
  readonly run: ReadonlyMap<string, TestRunReason>;
  readonly skipped: readonly string[];
}

/** True for a test variant or a generated test main of a `-test` listing. */
function isTestArtifact(p: ListedPackage, paths: ReadonlySet<string>): boolean {
  if (p.ForTest !== undefined && p.ForTest !== '') return true;
  if (p.ImportPath.includes(' [')) return true;
  return p.ImportPath.endsWith('.test') && paths.has(p.ImportPath.slice(0, -'.test'.length));
}

const list = (l: readonly string[] | null | undefined): readonly string[] => l ?? [];

/** Builds the graph from a `-test` listing (`listPackages` with `test: true`). */
export function buildTestGraph(listed: readonly ListedPackage[], ctx: ModelContext): TestGraph {
  const paths = new Set(listed.map((p) => p.ImportPath));
  const base = listed.filter((p) => !isTestArtifact(p, paths));
  const testImports = new Map<string, readonly string[]>();
  const folded = base.map((p): ListedPackage => {
    testImports.set(p.ImportPath, [...list(p.TestImports), ...list(p.XTestImports)]);
    return {
      ...p,
      GoFiles: [...list(p.GoFiles), ...list(p.TestGoFiles), ...list(p.XTestGoFiles)],
      EmbedFiles: [...list(p.EmbedFiles), ...list(p.TestEmbedFiles), ...list(p.XTestEmbedFiles)],
    };
  });
  const model = buildProjectModel(folded, ctx);
  const selected = base.filter((p) => p.DepOnly !== true).map((p) => p.ImportPath);
  const imports = (pkg: string) => model.packages.get(pkg)?.imports ?? [];
  const linked = new Map<string, ReadonlySet<string>>();
  for (const pkg of selected) {
    const seen = new Set<string>([pkg]);
    const queue = [...imports(pkg), ...(testImports.get(pkg) ?? [])];
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      if (seen.has(at) || !model.packages.has(at)) continue;
      seen.add(at);
      queue.push(...imports(at));
    }
    linked.set(pkg, seen);
  }
  return { ...model, model, selected, linked };
}

/** Every selected package runs, for `reason`. */
export function selectAll(graph: TestGraph): TestSelection {
  const all: TestRunReason = { by: 'all' };
  return { run: new Map(graph.selected.map((p) => [p, all])), skipped: [] };
}

/**
 * The selected packages whose test binaries a set of changed packages can change: a
 * package's own tests for `own-tests`, every binary that links it for `package`.
 */
export function selectTests(
  graph: TestGraph,
  changes: ReadonlyArray<{ readonly pkg: string; readonly scope: ChangeScope }>,
): TestSelection {
  const run = new Map<string, TestRunReason>();
  for (const { pkg, scope } of changes) {
    if (graph.linked.has(pkg)) run.set(pkg, { by: 'changed', pkg });
    if (scope === 'own-tests') continue;
    for (const [p, links] of graph.linked) {
      if (run.has(p) || !links.has(pkg)) continue;
      run.set(p, { by: 'imports', pkg, via: importVia(graph, p, pkg) });
    }
  }
  const ordered = new Map(graph.selected.flatMap((p) => (run.has(p) ? [[p, run.get(p)!]] : [])));
  return { run: ordered, skipped: graph.selected.filter((p) => !run.has(p)) };
}

/** The import of `from`'s test binary that leads to `to` (breadth-first, sorted). */
function importVia(graph: TestGraph, from: string, to: string): string {
  const imports = (p: string) => graph.model.packages.get(p)?.imports ?? [];
  for (const direct of [...imports(from)].sort()) {
    if (direct === to) return to;
  }
  for (const direct of [...imports(from)].sort()) {
    const seen = new Set<string>();
    const queue = [direct];
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      if (at === to) return direct;
      if (seen.has(at)) continue;
      seen.add(at);
      queue.push(...imports(at));
    }
  }
  return to;
}

/**
 * The editable package whose `testdata` directory holds `absPath` (at any depth), if any:
 * go test runs in the package directory, and tests read test data from there.
 */
export function testDataPackage(model: ProjectModel, absPath: string): string | undefined {
  for (let d = dirname(absPath); d !== dirname(d); d = dirname(d)) {
    if (basename(d) !== 'testdata') continue;
    const pkg = model.packagesByDir.get(dirname(d));
    if (pkg?.editable === true) return pkg.importPath;
  }
  return undefined;
}

/** True for a path with a `testdata` directory among its components. */
export const inTestData = (absPath: string): boolean =>
  absPath.split(sep).slice(0, -1).includes('testdata');

/**
 * Lists the selected packages with `-test` and builds their {@link TestGraph}.
 *
 * @throws GohotError as listPackages
 */
export async function loadTestGraph(
  spec: Omit<ListSpec, 'test'>,
  ctx: Omit<ModelContext, 'durationMs'>,
  signal?: AbortSignal,
): Promise<TestGraph> {
  const listed = await listPackages({ ...spec, test: true }, signal);
  return buildTestGraph(listed.packages, { ...ctx, durationMs: listed.durationMs });
}
