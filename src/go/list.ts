import { GohotError, isGohotError } from '../errors.js';
import { parseJsonStream } from './json-stream.js';
import {
  buildProjectModel,
  type ModelContext,
  OTHER_SOURCE_LISTS,
  type ProjectModel,
} from './model.js';
import { runGo } from './run-go.js';

/**
 * What to list: the same inputs the main package's `go build` gets, so that go list sees
 * the same packages and files. A compile/BuildSpec is a ListSpec.
 */
export interface ListSpec {
  readonly goBin: string;
  /** Directory go list runs in: the module root, as for go build. */
  readonly cwd: string;
  /** The main package as given to go build, e.g. "./cmd/api" or "."; with `test`, patterns. */
  readonly pkg: string | readonly string[];
  /** List with `-test` and the test fields too ({@link TEST_LIST_FIELDS}). @default false */
  readonly test?: boolean;
  /** The extra go build flags; only those that change which packages and files build are passed on (see {@link listFlags}). */
  readonly flags: readonly string[];
  /** Build tags, passed as `-tags a,b`. */
  readonly tags: readonly string[];
  /** Full environment of the go process (GOFLAGS, GOOS, GOARCH, CGO_ENABLED, GOWORK ... act as in the build). */
  readonly env: NodeJS.ProcessEnv;
}

/** One `go list` error as printed in `Error` and `DepsErrors`. */
export interface ListedError {
  /** Shortest import path from the listed package to the failing one. */
  readonly ImportStack?: readonly string[] | null;
  /** "file:line:col", relative to the directory go list ran in when shorter; may be "". */
  readonly Pos?: string;
  readonly Err?: string;
}

/** A package's module as printed by go list. */
export interface ListedModule {
  readonly Path?: string;
  readonly Version?: string;
  /** True for the main module and for every go.work module. */
  readonly Main?: boolean;
  /** Absolute directory of the module's files; absent for vendored modules. */
  readonly Dir?: string;
  readonly GoMod?: string;
  /** The replacement; `Dir` is absolute, `Path` is as written in go.mod (relative to it). */
  readonly Replace?: ListedModule | null;
}

/** One package as printed by `go list -json=<LIST_FIELDS>`; absent fields are empty. */
export interface ListedPackage {
  readonly ImportPath: string;
  readonly Dir?: string;
  readonly Name?: string;
  readonly Goroot?: boolean;
  readonly Standard?: boolean;
  /** False (absent) only for the package named on the command line. */
  readonly DepOnly?: boolean;
  readonly Module?: ListedModule | null;
  readonly GoFiles?: readonly string[] | null;
  readonly CgoFiles?: readonly string[] | null;
  readonly CFiles?: readonly string[] | null;
  readonly CXXFiles?: readonly string[] | null;
  readonly HFiles?: readonly string[] | null;
  readonly SFiles?: readonly string[] | null;
  readonly SysoFiles?: readonly string[] | null;
  readonly MFiles?: readonly string[] | null;
  readonly FFiles?: readonly string[] | null;
  readonly SwigFiles?: readonly string[] | null;
  readonly SwigCXXFiles?: readonly string[] | null;
  readonly IgnoredGoFiles?: readonly string[] | null;
  readonly IgnoredOtherFiles?: readonly string[] | null;
  readonly InvalidGoFiles?: readonly string[] | null;
  readonly EmbedPatterns?: readonly string[] | null;
  readonly EmbedFiles?: readonly string[] | null;
  readonly Imports?: readonly string[] | null;
  /** The package under test, for a test variant (`x [x.test]`) of a `-test` listing. */
  readonly ForTest?: string;
  readonly TestGoFiles?: readonly string[] | null;
  readonly XTestGoFiles?: readonly string[] | null;
  readonly TestImports?: readonly string[] | null;
  readonly XTestImports?: readonly string[] | null;
  readonly TestEmbedFiles?: readonly string[] | null;
  readonly XTestEmbedFiles?: readonly string[] | null;
  readonly Incomplete?: boolean;
  readonly Error?: ListedError | null;
  readonly DepsErrors?: readonly ListedError[] | null;
}

/** The outcome of one go list run that printed packages. */
export interface ListResult {
  /** Every package of the closure, in go list's order: dependencies first, the listed package last. */
  readonly packages: readonly ListedPackage[];
  /** Exit code of go list; non-zero with packages is not fatal (`-e`). Null when killed. */
  readonly exitCode: number | null;
  /** What go list printed on stderr (warnings; empty normally). */
  readonly stderr: string;
  /** The go command line, without the go binary. */
  readonly args: readonly string[];
  /** Wall time of the go list process. */
  readonly durationMs: number;
}

/**
 * The fields gohot asks for. Selecting fields (Go 1.19+) skips staleness and VCS work that
 * full `-json` does (docs/facts.md#go-list-and-the-project-model).
 */
export const LIST_FIELDS = [
  'ImportPath',
  'Dir',
  'Name',
  'Goroot',
  'Standard',
  'DepOnly',
  'Module',
  'GoFiles',
  'CgoFiles',
  ...OTHER_SOURCE_LISTS,
  'IgnoredGoFiles',
  'IgnoredOtherFiles',
  'InvalidGoFiles',
  'EmbedPatterns',
  'EmbedFiles',
  'Imports',
  'Incomplete',
  'Error',
  'DepsErrors',
] as const satisfies readonly (keyof ListedPackage)[];

/** The fields of a `-test` listing: {@link LIST_FIELDS} and what the test binaries add. */
export const TEST_LIST_FIELDS = [
  ...LIST_FIELDS,
  'ForTest',
  'TestGoFiles',
  'XTestGoFiles',
  'TestImports',
  'XTestImports',
  'TestEmbedFiles',
  'XTestEmbedFiles',
] as const satisfies readonly (keyof ListedPackage)[];

/**
 * go build flags that change which packages or files are built, and so what go list must
 * see: -race/-msan/-asan and -cover add runtime packages, -mod/-modfile pick the module
 * graph (or vendor/), -overlay replaces files, -buildmode/-compiler/-linkshared change the
 * package set. `true` marks flags that take a value (`-mod vendor` as two arguments).
 */
const SELECTING_FLAGS: Readonly<Record<string, boolean>> = {
  race: false,
  msan: false,
  asan: false,
  cover: false,
  covermode: true,
  coverpkg: true,
  mod: true,
  modfile: true,
  overlay: true,
  buildmode: true,
  compiler: true,
  linkshared: false,
};

/** go build flags that take a value and do not change the package set (their value is skipped too). */
const VALUE_FLAGS = new Set([
  'C',
  'p',
  'o',
  'asmflags',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'ldflags',
  'pgo',
  'pkgdir',
  'tags',
  'toolexec',
  'debug-actiongraph',
  'debug-runtime-trace',
  'debug-trace',
]);

const FLAG = /^--?([^-=][^=]*)(=.*)?$/s;

/**
 * The subset of go build flags that go list needs, in order: those that change package
 * selection (see SELECTING_FLAGS), each with its value; `-mod vendor` stays two arguments.
 * Everything else (-gcflags, -ldflags, -trimpath, -v ...) is dropped with its value.
 */
export function listFlags(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const m = FLAG.exec(flag);
    if (m === null) continue;
    const name = m[1]!;
    const inlineValue = m[2] !== undefined;
    const takesValue = SELECTING_FLAGS[name] ?? VALUE_FLAGS.has(name);
    const next = takesValue && !inlineValue ? flags[i + 1] : undefined;
    if (next !== undefined) i++;
    if (Object.hasOwn(SELECTING_FLAGS, name)) out.push(flag, ...(next === undefined ? [] : [next]));
  }
  return out;
}

/**
 * The go list command line for `spec`, without the go binary:
 * `list -e -deps -json=<LIST_FIELDS> -buildvcs=false [-tags a,b] ...listFlags -- <pkg>`.
 */
export function listArgs(spec: ListSpec): string[] {
  const fields = spec.test === true ? TEST_LIST_FIELDS : LIST_FIELDS;
  const args = ['list', '-e', '-deps', `-json=${fields.join(',')}`, '-buildvcs=false'];
  if (spec.test === true) args.push('-test');
  if (spec.tags.length > 0) args.push('-tags', spec.tags.join(','));
  args.push(
    ...listFlags(spec.flags),
    '--',
    ...(typeof spec.pkg === 'string' ? [spec.pkg] : spec.pkg),
  );
  return args;
}

/**
 * Lists the dependency closure of the main package with the real go list, run exactly as
 * the build would be (same directory, tags, selecting flags and environment). With `-e`,
 * broken packages are values in the output; only a go list that cannot run or prints no
 * package at all rejects.
 *
 * @throws GohotError `GO_LIST_FAILED` (go list printed no package, e.g. a broken go.mod or
 *   an unknown flag), `GO_OUTPUT_INVALID`, `GO_NOT_FOUND`, `GO_NOT_RUNNABLE`, `GO_CANCELLED`
 */
export async function listPackages(spec: ListSpec, signal?: AbortSignal): Promise<ListResult> {
  const args = listArgs(spec);
  const r = await runGo(spec.goBin, args, { cwd: spec.cwd, env: spec.env, signal });
  let packages: ListedPackage[];
  try {
    packages = parseListOutput(r.stdout);
  } catch (err) {
    if (r.code === 0 || !isGohotError(err, 'GO_OUTPUT_INVALID')) throw err;
    throw goListFailedError(args, spec.cwd, r.stderr, { cause: err });
  }
  if (packages.length === 0) throw goListFailedError(args, spec.cwd, r.stderr);
  return Object.freeze({
    packages: Object.freeze(packages),
    exitCode: r.code,
    stderr: r.stderr,
    args: Object.freeze(args),
    durationMs: r.durationMs,
  });
}

/**
 * Lists the closure of `spec.pkg` and builds its {@link ProjectModel}, with the go list
 * duration in `durationMs`. `ctx` usually comes from go env: `{goroot: env.GOROOT,
 * gomodcache: env.GOMODCACHE, moduleRoots: [project.moduleRoot]}`.
 *
 * @throws GohotError as {@link listPackages}
 */
export async function loadProjectModel(
  spec: ListSpec,
  ctx: Omit<ModelContext, 'durationMs'>,
  signal?: AbortSignal,
): Promise<ProjectModel> {
  const listed = await listPackages(spec, signal);
  return buildProjectModel(listed.packages, { ...ctx, durationMs: listed.durationMs });
}

/**
 * Parses go list -json output: concatenated objects, each with a string ImportPath.
 *
 * @throws GohotError `GO_OUTPUT_INVALID` on anything else
 */
export function parseListOutput(stdout: string): ListedPackage[] {
  const values = parseJsonStream(stdout);
  for (const v of values) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw notAPackage(v);
    if (typeof (v as { ImportPath?: unknown }).ImportPath !== 'string') throw notAPackage(v);
  }
  return values as ListedPackage[];
}

function notAPackage(value: unknown): GohotError {
  return new GohotError(
    'GO_OUTPUT_INVALID',
    `go list printed a JSON value that is not a package: ${JSON.stringify(value)?.slice(0, 80)}.`,
    'This is likely a gohot bug or an unusual go wrapper; run the go list command by hand to see its output and report it.',
  );
}

/**
 * The error for a go list that printed nothing usable: go's own message (stderr) and,
 * when go.mod asks for a newer Go than GOTOOLCHAIN=local allows, what to do about that.
 */
export function goListFailedError(
  args: readonly string[],
  cwd: string,
  stderr: string,
  options?: { cause?: unknown },
): GohotError {
  // "go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)"
  const needs = /requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=local\)/.exec(stderr);
  const said = stderr.trim() === '' ? ' and printed no package.' : `:\n${stderr.trimEnd()}`;
  return new GohotError(
    'GO_LIST_FAILED',
    `\`go ${args.join(' ')}\` failed in ${cwd}${said}`,
    needs
      ? `The module needs Go ${needs[1]} but this is Go ${needs[2]}: install Go ${needs[1]}, or unset GOTOOLCHAIN=local so that go can download it (needs the network).`
      : 'Fix the problem go reports (often go.mod or go.work), then start gohot again.',
    options,
  );
}
