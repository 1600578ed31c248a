import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { devNull } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errnoCode, GohotError } from '../errors.js';
import { parseJsonStream } from './json-stream.js';
import { defaultGoBin, type RunGoOptions, runGo } from './run-go.js';
import type { GoEnv, GoVersion, ResolvedGoProject } from './types.js';

/** Options for {@link resolveGoProject}. */
export interface ResolveGoProjectOptions {
  /** The go executable. @default `GOHOT_GO` from `env`, else `go` on PATH */
  readonly goBin?: string;
  /** Environment for every go command. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting it kills the go command in flight; the promise rejects with GO_CANCELLED. */
  readonly signal?: AbortSignal | undefined;
}

/** The `go env` variables gohot reads, in the order they are requested. */
export const GO_ENV_VARS = [
  'GOVERSION',
  'GOMOD',
  'GOWORK',
  'GOPATH',
  'GOFLAGS',
  'GOROOT',
  'GOMODCACHE',
  'GOOS',
  'GOARCH',
  'GOTOOLCHAIN',
  'GO111MODULE',
  'CGO_ENABLED',
] as const satisfies readonly (keyof GoEnv)[];

/** The oldest Go gohot supports: toolchain switching, `go work`, field-selecting `go list -json`. */
export const MIN_GO_VERSION = { major: 1, minor: 21 } as const;

/**
 * Asks the go command (never GOPATH/src guesses) which module the directory `cwd` belongs
 * to, and collects everything that must be watched: the module root, go.work `use`
 * directories and local `replace` targets. `cwd` may be anywhere inside the module; the
 * module root is the directory of the go.mod that go itself resolved. Run from a go.work
 * directory that is not itself a module, the workspace directory is the root and
 * `modulePath` is "". Only local commands run (`go env`, `go work edit`, `go mod edit`);
 * none of them touches the network unless GOTOOLCHAIN asks for a toolchain download.
 *
 * @throws GohotError `CWD_NOT_FOUND`, `GO_NOT_FOUND`, `GO_NOT_RUNNABLE`, `GO_ENV_FAILED`,
 *   `GO_VERSION_UNKNOWN`, `GO_TOO_OLD`, `NOT_A_MODULE`, `NO_GO_MOD`, `GO_MOD_INVALID`,
 *   `GO_CANCELLED`
 */
export async function resolveGoProject(
  cwd: string,
  opts: ResolveGoProjectOptions = {},
): Promise<ResolvedGoProject> {
  const env = opts.env ?? process.env;
  const goBin = opts.goBin ?? defaultGoBin(env);
  const { signal } = opts;
  const dir = resolve(cwd);
  await assertDirectory(dir);

  // The start directory's go.mod is read while go env runs: most of the time it is the module
  // root's, and two go commands in a row were the start-up's longest wait. When go env names
  // another module root, or start-up fails first, it is stopped and its outcome never seen:
  // a go left downloading a toolchain would outlive gohot.
  const earlyStop = new AbortController();
  const earlySignal =
    signal === undefined ? earlyStop.signal : AbortSignal.any([signal, earlyStop.signal]);
  const here = join(dir, 'go.mod');
  const early = existsSync(here) ? loadGoMod(goBin, here, dir, env, earlySignal) : undefined;
  early?.catch(() => undefined);
  try {
    return await resolveIn(dir, { goBin, env, signal, early });
  } finally {
    earlyStop.abort();
  }
}

/** resolveGoProject in the existing directory `dir`, with `early`: its go.mod, being read. */
async function resolveIn(
  dir: string,
  opts: {
    readonly goBin: string;
    readonly env: NodeJS.ProcessEnv;
    readonly signal: AbortSignal | undefined;
    readonly early: Promise<GoModInfo> | undefined;
  },
): Promise<ResolvedGoProject> {
  const { goBin, env, signal, early } = opts;
  const goEnv = await loadGoEnv(goBin, dir, env, signal);
  const version = parseGoVersion(goEnv.GOVERSION);
  if (!isGoVersionAtLeast(version, MIN_GO_VERSION.major, MIN_GO_VERSION.minor)) {
    throw new GohotError(
      'GO_TOO_OLD',
      `gohot needs Go ${MIN_GO_VERSION.major}.${MIN_GO_VERSION.minor} or newer, but ${goBin} is ${version.raw}.`,
      'Install a current Go from https://go.dev/dl/, or point GOHOT_GO at a newer go binary.',
    );
  }
  if (goEnv.GOMOD === '') throw notAModule(dir, goEnv);

  const workFile = goEnv.GOWORK !== '' && goEnv.GOWORK !== 'off' ? goEnv.GOWORK : undefined;
  const hasGoMod = goEnv.GOMOD !== devNull;
  if (!hasGoMod && workFile === undefined) {
    throw new GohotError(
      'NO_GO_MOD',
      `There is no go.mod in ${dir} or any of its parent directories, so it is not inside a Go module.`,
      'Run `go mod init example.com/app` in the project directory to create one, or cd into the ' +
        'module that holds your code (the directory with go.mod) and start gohot there.',
    );
  }

  const workspace =
    workFile === undefined ? undefined : await loadWorkFile(goBin, workFile, dir, env, signal);
  const moduleRoot = hasGoMod ? dirname(goEnv.GOMOD) : dirname(workFile!);
  const moduleDirs = uniquePaths([...(hasGoMod ? [moduleRoot] : []), ...(workspace?.use ?? [])]);
  const goMods = await Promise.all(
    moduleDirs.map((d) =>
      d === dir && early !== undefined
        ? early
        : loadGoMod(goBin, join(d, 'go.mod'), dir, env, signal),
    ),
  );

  // go.work lives above the modules it uses: when it sits over all of them (the usual
  // layout), its directory is the root, so edits of go.work itself are seen too.
  const workDir = workFile === undefined ? undefined : dirname(workFile);
  const workDirCovers =
    workDir !== undefined &&
    [moduleRoot, ...(workspace?.use ?? [])].every(
      (d) => d === workDir || d.startsWith(workDir + sep),
    );
  const watchRoots = collapseRoots([
    ...(workDirCovers ? [workDir] : []),
    moduleRoot,
    ...(workspace?.use ?? []),
    ...(workspace?.replaceDirs ?? []),
    ...goMods.flatMap((m) => m.replaceDirs),
  ]);

  return Object.freeze({
    goBin,
    env: goEnv,
    version,
    moduleRoot,
    modulePath: hasGoMod ? (goMods[0]?.modulePath ?? '') : '',
    workFile,
    watchRoots: Object.freeze(watchRoots),
  });
}

/**
 * Parses a GOVERSION string: "go1.21", "go1.22.3", "go1.23rc1", "go1.24.0 X:boringcrypto",
 * "devel go1.25-abcdef Tue ...". A devel toolchain without a version is taken to be newer
 * than every release.
 *
 * @throws GohotError `GO_VERSION_UNKNOWN` when the string is none of these
 */
export function parseGoVersion(raw: string): GoVersion {
  const text = raw.trim();
  const devel = text.startsWith('devel');
  const m = /(?:^|\s)go(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:rc|beta|alpha)\d+)?/.exec(text);
  if (m !== null) {
    return {
      major: Number(m[1]),
      minor: Number(m[2] ?? 0),
      patch: Number(m[3] ?? 0),
      raw: text,
      prerelease: m[4],
      devel,
    };
  }
  if (devel) {
    return { major: 1, minor: Number.MAX_SAFE_INTEGER, patch: 0, raw: text, devel };
  }
  throw new GohotError(
    'GO_VERSION_UNKNOWN',
    `The go command reported a version gohot cannot read: ${JSON.stringify(raw)}.`,
    'Run `go env GOVERSION`; gohot expects something like "go1.22.3". Point GOHOT_GO at a ' +
      'standard Go toolchain if this one is wrapped.',
  );
}

/** True when `v` is at least major.minor (pre-releases of that minor count). */
export function isGoVersionAtLeast(v: GoVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** True when this Go supports `go build -json` (Go 1.24 and newer). */
export function supportsBuildJson(v: GoVersion): boolean {
  return isGoVersionAtLeast(v, 1, 24);
}

/**
 * Deduplicates absolute directories and drops every one nested inside another, so each
 * directory is watched once. Order: shortest first, then as given.
 */
export function collapseRoots(dirs: readonly string[]): string[] {
  const sorted = uniquePaths(dirs).sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const d of sorted) {
    if (!kept.some((k) => isInside(d, k))) kept.push(d);
  }
  return kept;
}

/** True when `dir` equals `parent` or lies below it. */
function isInside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function uniquePaths(dirs: readonly string[]): string[] {
  return [...new Set(dirs.map((d) => resolve(d)))];
}

async function assertDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (cause) {
    if (errnoCode(cause) !== 'ENOENT' && errnoCode(cause) !== 'ENOTDIR') throw cause;
  }
  throw new GohotError(
    'CWD_NOT_FOUND',
    `The project directory ${dir} does not exist or is not a directory.`,
    'Start gohot in the directory of your Go module, or pass an existing directory.',
  );
}

async function loadGoEnv(
  goBin: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<GoEnv> {
  const r = await runGo(goBin, ['env', '-json', ...GO_ENV_VARS], { cwd, env, signal });
  if (r.code !== 0) {
    throw new GohotError(
      'GO_ENV_FAILED',
      `\`go env\` failed in ${cwd} (exit code ${r.code}):\n${r.stderr.trimEnd()}`,
      /toolchain|downloading go1/i.test(r.stderr)
        ? 'The module asks for a newer Go than the installed one and GOTOOLCHAIN lets go try to ' +
            'download it. Install that Go version, or run with GOTOOLCHAIN=local to use the ' +
            'installed toolchain.'
        : 'Run `go env` in that directory to see the problem and fix it (often go.mod or go.work). ' +
            'If go is trying to download a toolchain, run with GOTOOLCHAIN=local.',
    );
  }
  const [parsed] = parseJsonStream(r.stdout);
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, string> = {};
  for (const key of GO_ENV_VARS) {
    const v = record[key];
    out[key] = typeof v === 'string' ? v : '';
  }
  return Object.freeze(out as unknown as GoEnv);
}

function notAModule(dir: string, goEnv: GoEnv): GohotError {
  const off = goEnv.GO111MODULE === 'off';
  return new GohotError(
    'NOT_A_MODULE',
    off
      ? `Go is in GOPATH mode in ${dir} because GO111MODULE=off, and gohot only works with Go modules.`
      : `Go is in GOPATH mode in ${dir} (GO111MODULE=${goEnv.GO111MODULE || 'unset'}), and gohot only works with Go modules.`,
    'Unset GO111MODULE (or set GO111MODULE=on; check `go env -w` settings too). If the project ' +
      'has no go.mod yet, create one with `go mod init example.com/app`.',
  );
}

interface WorkFileInfo {
  /** Absolute `use` directories. */
  readonly use: string[];
  /** Absolute local `replace` targets declared in go.work. */
  readonly replaceDirs: string[];
}

interface GoModInfo {
  readonly modulePath: string;
  /** Absolute local `replace` targets declared in this go.mod. */
  readonly replaceDirs: string[];
}

interface EditJson {
  Module?: { Path?: string };
  Use?: { DiskPath?: string }[] | null;
  Replace?: { New?: { Path?: string } }[] | null;
}

async function loadWorkFile(
  goBin: string,
  workFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<WorkFileInfo> {
  const args = ['work', 'edit', '-json', workFile];
  const json = await loadEditJson(goBin, args, workFile, { cwd, env, signal });
  const base = dirname(workFile);
  return {
    use: (json.Use ?? []).flatMap((u) => (u.DiskPath ? [resolve(base, u.DiskPath)] : [])),
    replaceDirs: localReplaceDirs(json, base),
  };
}

async function loadGoMod(
  goBin: string,
  goModFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<GoModInfo> {
  const args = ['mod', 'edit', '-json', goModFile];
  const json = await loadEditJson(goBin, args, goModFile, { cwd, env, signal });
  return {
    modulePath: json.Module?.Path ?? '',
    replaceDirs: localReplaceDirs(json, dirname(goModFile)),
  };
}

/** A replacement is local when its new path is a file path (go.mod reference: "replace"). */
function localReplaceDirs(json: EditJson, base: string): string[] {
  return (json.Replace ?? []).flatMap((r) => {
    const p = r.New?.Path ?? '';
    const local = p.startsWith('./') || p.startsWith('../') || isAbsolute(p);
    return local ? [resolve(base, p)] : [];
  });
}

async function loadEditJson(
  goBin: string,
  args: string[],
  file: string,
  opts: RunGoOptions,
): Promise<EditJson> {
  const r = await runGo(goBin, args, opts);
  if (r.code !== 0) {
    throw new GohotError(
      'GO_MOD_INVALID',
      `gohot could not read ${file}; \`go ${args.slice(0, 2).join(' ')}\` said:\n${r.stderr.trimEnd()}`,
      `Fix ${file} (\`go ${args[0]} edit -fmt\` and \`go build\` show the same error).`,
    );
  }
  const [json] = parseJsonStream(r.stdout);
  return (json ?? {}) as EditJson;
}
