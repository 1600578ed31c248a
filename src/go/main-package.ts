import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { GohotError } from '../errors.js';
import { parseJsonStream } from './json-stream.js';
import { goListFailedError } from './list.js';
import { runGo } from './run-go.js';
import type { MainPackage, ResolvedGoProject } from './types.js';

/** Options for {@link findMainPackages} and {@link resolveMainPackage}. */
export interface MainPackageOptions {
  /** Directory relative paths are relative to (and the one `.` means). @default project.moduleRoot */
  readonly cwd?: string;
  /** Build tags, so packages behind build constraints are seen as go build sees them. @default [] */
  readonly tags?: readonly string[];
  /** Environment of the go command. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting it kills the go command in flight; the promise rejects with GO_CANCELLED. */
  readonly signal?: AbortSignal | undefined;
}

interface ListedPackage {
  ImportPath?: string;
  Name?: string;
  Dir?: string;
  Error?: { Err?: string };
}

/**
 * Lists every main package of the project with
 * `go list -e -json=ImportPath,Name,Dir <patterns>`, run in the module root. In a
 * workspace, the patterns cover every `use` module (what `go build` in the workspace can
 * build); otherwise `./...`. Sorted by `relPath`, so listings are stable.
 *
 * @throws GohotError `GO_LIST_FAILED` when go list itself fails, `GO_CANCELLED` on abort
 */
export async function findMainPackages(
  project: ResolvedGoProject,
  opts: MainPackageOptions = {},
): Promise<MainPackage[]> {
  const cwd = resolve(opts.cwd ?? project.moduleRoot);
  const patterns = await listPatterns(project, opts);
  // The patterns are relative to the module root, whatever directory gohot runs in.
  const listed = await goList(project, patterns, { ...opts, cwd: project.moduleRoot });
  return listed
    .filter((p) => p.Name === 'main' && p.Dir !== undefined && p.ImportPath !== undefined)
    .map((p) => toMainPackage(p, cwd))
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

/**
 * Picks the main package to build: the `requested` one (a directory relative to the cwd,
 * or an import path), else the package in the cwd when it is main, else the only main
 * package of the project.
 *
 * @throws GohotError `MAIN_NOT_FOUND`, `NOT_MAIN_PACKAGE`, `MAIN_AMBIGUOUS`,
 *   `NO_MAIN_PACKAGE`, `GO_LIST_FAILED`, `GO_CANCELLED`
 */
export async function resolveMainPackage(
  project: ResolvedGoProject,
  requested?: string,
  opts: MainPackageOptions = {},
): Promise<MainPackage> {
  const cwd = resolve(opts.cwd ?? project.moduleRoot);
  // The common cases list one package, not `./...` (seconds on a tree of thousands of
  // packages): the package in the cwd, or a requested directory, when it is main.
  const only = requested === undefined || requested === '' ? '.' : requested;
  if (only === '.' || /^\.\.?\//.test(only) || only.startsWith('/')) {
    // Anything else (not main, missing, an error) goes the long way, which names the fix.
    const listed = await goList(project, [only], { ...opts, cwd }).catch((err: unknown) => {
      if (opts.signal?.aborted) throw err;
      return [];
    });
    const [one, ...more] = listed;
    if (more.length === 0 && one?.Name === 'main' && one.Dir !== undefined && one.ImportPath) {
      return toMainPackage(one, cwd);
    }
  }
  const mains = await findMainPackages(project, { ...opts, cwd });
  if (requested !== undefined && requested !== '') {
    return resolveRequested(project, requested, mains, { ...opts, cwd });
  }
  const here = mains.find((m) => m.dir === cwd);
  if (here !== undefined) return here;
  if (mains.length === 1) return mains[0]!;
  const where = project.modulePath || project.moduleRoot;
  if (mains.length === 0) {
    throw new GohotError(
      'NO_MAIN_PACKAGE',
      `There is no main package in ${where}, so there is no program to build and run.`,
      'gohot runs a command (a directory with `package main` and `func main()`). Start it in a ' +
        'module that has one, or name one with `gohot run ./path/to/cmd`.',
    );
  }
  throw new GohotError(
    'MAIN_AMBIGUOUS',
    `${where} has ${mains.length} main packages and gohot cannot tell which one to run: ` +
      `${mains.map((m) => m.relPath).join(', ')}.`,
    `Name one, e.g. \`gohot run ${mains[0]!.relPath}\`, or set "main": "${mains[0]!.relPath}" in gohot.json.`,
  );
}

async function resolveRequested(
  project: ResolvedGoProject,
  requested: string,
  mains: readonly MainPackage[],
  opts: MainPackageOptions & { cwd: string },
): Promise<MainPackage> {
  const { cwd } = opts;
  const byImportPath = mains.find((m) => m.importPath === requested);
  if (byImportPath !== undefined) return byImportPath;
  // "cmd/api" is an import path to go (GOROOT's cmd/api!), but users mean the directory.
  const asDir = resolve(cwd, requested);
  const isDir = await stat(asDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const byDir = isDir ? mains.find((m) => m.dir === asDir) : undefined;
  if (byDir !== undefined) return byDir;

  // Not among the listed ones (testdata/, _dir/, outside the module, tags...): ask go.
  const pattern = isDir && !isAbsolute(requested) ? toRelPath(cwd, asDir) : requested;
  const listed = (await goList(project, [pattern], opts)).filter((p) => p.ImportPath !== undefined);
  const choices =
    mains.length > 0
      ? `The main packages here are: ${mains.map((m) => m.relPath).join(', ')} (relative to ${cwd}).`
      : 'This project has no main package.';
  const only = listed.length === 1 ? listed[0]! : undefined;
  if (only?.Name === 'main' && only.Dir !== undefined) return toMainPackage(only, cwd);
  if (only?.Name !== undefined && only.Name !== '') {
    throw new GohotError(
      'NOT_MAIN_PACKAGE',
      `${requested} is package ${only.Name}, not package main, so it cannot be run. ${choices}`,
      mains.length > 0
        ? `Run one of them, e.g. \`gohot run ${mains[0]!.relPath}\`.`
        : 'Point gohot at a directory with `package main` and `func main()`.',
    );
  }
  const reason =
    listed.length > 1
      ? `matches ${listed.length} packages, not one`
      : (only?.Error?.Err ?? 'is not a Go package');
  throw new GohotError(
    'MAIN_NOT_FOUND',
    `The main package ${requested} was not found: ${reason}. ${choices}`,
    mains.length > 0
      ? `Use a path relative to ${cwd}, e.g. \`gohot run ${mains[0]!.relPath}\`, or fix "main" in gohot.json.`
      : 'Use a directory relative to the project, e.g. `gohot run ./cmd/app`.',
  );
}

/** `./...` for a module; every `use` module's `<dir>/...` in a workspace. */
async function listPatterns(
  project: ResolvedGoProject,
  opts: MainPackageOptions,
): Promise<string[]> {
  if (project.workFile === undefined) return ['./...'];
  const r = await runGo(project.goBin, ['work', 'edit', '-json', project.workFile], {
    cwd: project.moduleRoot,
    env: opts.env ?? process.env,
    signal: opts.signal,
  });
  if (r.code !== 0) throw listFailed(project, ['work', 'edit', '-json'], r.stderr);
  const [json] = parseJsonStream(r.stdout) as [{ Use?: { DiskPath?: string }[] | null }?];
  const base = dirname(project.workFile);
  const dirs = (json?.Use ?? []).flatMap((u) => (u.DiskPath ? [resolve(base, u.DiskPath)] : []));
  return dirs.length === 0 ? ['./...'] : dirs.map((d) => `${toRelPath(project.moduleRoot, d)}/...`);
}

async function goList(
  project: ResolvedGoProject,
  patterns: readonly string[],
  opts: MainPackageOptions,
): Promise<ListedPackage[]> {
  const args = ['list', '-e', '-json=ImportPath,Name,Dir,Error'];
  if (opts.tags !== undefined && opts.tags.length > 0) args.push('-tags', opts.tags.join(','));
  args.push('--', ...patterns);
  const r = await runGo(project.goBin, args, {
    cwd: resolve(opts.cwd ?? project.moduleRoot),
    env: opts.env ?? process.env,
    signal: opts.signal,
  });
  // With -e, broken packages are reported in the output and go list still exits 0;
  // a non-zero exit means go itself failed (bad go.mod, bad pattern).
  if (r.code !== 0) throw listFailed(project, args, r.stderr);
  return parseJsonStream(r.stdout) as ListedPackage[];
}

function listFailed(project: ResolvedGoProject, args: readonly string[], stderr: string) {
  return goListFailedError(args, project.moduleRoot, stderr);
}

function toMainPackage(p: ListedPackage, cwd: string): MainPackage {
  return Object.freeze({
    importPath: p.ImportPath!,
    dir: p.Dir!,
    relPath: toRelPath(cwd, p.Dir!),
  });
}

/** "." for `cwd` itself, "./cmd/api" below it, "../worker" beside it (what go build accepts). */
export function toRelPath(cwd: string, dir: string): string {
  const rel = relative(cwd, dir);
  if (rel === '') return '.';
  if (isAbsolute(rel)) return rel;
  const slashed = rel.split(sep).join('/');
  return slashed.startsWith('../') || slashed === '..' ? slashed : `./${slashed}`;
}
