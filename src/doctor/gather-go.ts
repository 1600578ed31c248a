import { constants, existsSync } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { devNull } from 'node:os';
import path from 'node:path';
import { errnoCode, isGohotError } from '../errors.js';
import { parseGoVersion } from '../go/go-env.js';
import { parseJsonStream } from '../go/json-stream.js';
import { runGo } from '../go/run-go.js';
import type { WritableProbe } from './build-env-checks.js';
import type { GoProbe } from './toolchain-checks.js';

/** The `go env` variables doctor reads. */
export const DOCTOR_GO_VARS = [
  'GOVERSION',
  'GOMOD',
  'GOWORK',
  'GOPATH',
  'GOFLAGS',
  'GOROOT',
  'GOENV',
  'GOPROXY',
  'GOCACHE',
  'GOMODCACHE',
  'GOOS',
  'GOARCH',
  'CC',
  'CGO_ENABLED',
  'GO111MODULE',
] as const;

/** `go env` values doctor reads, "" where go printed none. */
export type DoctorGoEnv = Readonly<Record<(typeof DOCTOR_GO_VARS)[number], string>>;

/** What the go binary said: its probe, and its environment when `go env` answered. */
export interface GoEnvFacts {
  readonly probe: GoProbe;
  readonly env: DoctorGoEnv | undefined;
  /** stderr of a failed `go env`. */
  readonly envError: string | undefined;
}

/** The environment for a go command that must never switch or download a toolchain. */
export function localToolchainEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GOTOOLCHAIN: 'local' };
}

/**
 * Runs `go env -json` with the installed toolchain (GOTOOLCHAIN=local: doctor never
 * downloads one) in `cwd`, or in / when `cwd` is not a directory.
 */
export async function loadGoEnvFacts(
  goBin: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<GoEnvFacts> {
  const dir = existsSync(cwd) ? cwd : path.parse(cwd).root;
  const run = (args: string[], where: string) =>
    runGo(goBin, args, { cwd: where, env: localToolchainEnv(env) });
  let r: Awaited<ReturnType<typeof run>>;
  try {
    r = await run(['env', '-json', ...DOCTOR_GO_VARS], dir);
  } catch (err) {
    if (isGohotError(err, 'GO_NOT_FOUND')) {
      return { probe: { status: 'missing', goBin }, env: undefined, envError: undefined };
    }
    const error = err instanceof Error ? err.message : String(err);
    return { probe: { status: 'not-runnable', goBin, error }, env: undefined, envError: undefined };
  }
  let envError: string | undefined;
  let values: DoctorGoEnv | undefined;
  if (r.code === 0) {
    const [parsed] = parseJsonStream(r.stdout);
    const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
      string,
      unknown
    >;
    values = Object.fromEntries(
      DOCTOR_GO_VARS.map((k) => [k, typeof record[k] === 'string' ? record[k] : '']),
    ) as DoctorGoEnv;
  } else {
    envError = r.stderr.trim();
    // `go version` needs no module: it still says which go this is.
    const v = await run(['version'], path.parse(dir).root);
    const raw = /\bgo(\d\S*)/.exec(v.stdout)?.[0] ?? v.stdout.trim();
    return { probe: versionProbe(goBin, raw), env: undefined, envError };
  }
  return { probe: versionProbe(goBin, values.GOVERSION), env: values, envError };
}

function versionProbe(goBin: string, raw: string): GoProbe {
  try {
    return { status: 'found', goBin, version: parseGoVersion(raw) };
  } catch {
    return { status: 'version-unknown', goBin, raw };
  }
}

/** Reads a small text file; undefined when it cannot be read. */
export async function readOptional(file: string): Promise<string | undefined> {
  if (file === '') return undefined;
  return readFile(file, 'utf8').catch(() => undefined);
}

/** The `go` and `toolchain` lines of go.work (when in a workspace) or go.mod. */
export async function loadVersionLines(
  goBin: string,
  goEnv: DoctorGoEnv,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ file: string; goLine: string | undefined; toolchainLine: string | undefined }> {
  const work = goEnv.GOWORK !== '' && goEnv.GOWORK !== 'off' ? goEnv.GOWORK : undefined;
  const mod = goEnv.GOMOD !== '' && goEnv.GOMOD !== devNull ? goEnv.GOMOD : undefined;
  const file = work ?? mod;
  if (file === undefined) return { file: '', goLine: undefined, toolchainLine: undefined };
  const args = [work ? 'work' : 'mod', 'edit', '-json', file];
  const r = await runGo(goBin, args, { cwd, env: localToolchainEnv(env) }).catch(() => undefined);
  if (r === undefined || r.code !== 0) return { file, goLine: undefined, toolchainLine: undefined };
  const [json] = parseJsonStream(r.stdout) as [
    { Go?: unknown; Toolchain?: { Name?: unknown } | null } | undefined,
  ];
  const goLine = typeof json?.Go === 'string' ? json.Go : undefined;
  const name = json?.Toolchain?.Name;
  return { file, goLine, toolchainLine: typeof name === 'string' ? name : undefined };
}

/** Where `name` (a bare command name or a path) resolves to an executable file, if anywhere. */
export async function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  if (name === '') return undefined;
  const candidates = name.includes('/')
    ? [name]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter((d) => d !== '')
        .map((d) => path.join(d, name));
  for (const file of candidates) {
    try {
      if (!(await stat(file)).isFile()) continue;
      await access(file, constants.X_OK);
      return file;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

/**
 * Whether go could write its build cache at `dir`: an existing directory is tried by making
 * and removing a private directory in it (root passes every permission check, not a
 * read-only mount or a path below a file); a missing one by the nearest existing ancestor,
 * which go would create it in.
 */
export async function probeWritable(dir: string): Promise<WritableProbe> {
  if (!path.isAbsolute(dir)) return { ok: true };
  for (let at = dir; ; at = path.dirname(at)) {
    let isDir: boolean;
    try {
      isDir = (await stat(at)).isDirectory();
    } catch (err) {
      const code = errnoCode(err);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(at) !== at) continue;
      return { ok: false, at, code: code ?? String(err) };
    }
    if (!isDir) return { ok: false, at, code: 'ENOTDIR' };
    try {
      if (at === dir) {
        const probe = await mkdtemp(path.join(dir, '.gohot-doctor-'));
        await rm(probe, { recursive: true, force: true });
      } else await access(at, constants.W_OK);
      return { ok: true };
    } catch (err) {
      return { ok: false, at, code: errnoCode(err) ?? String(err) };
    }
  }
}

/** Names never searched for a nearby go.mod. */
const NOT_SEARCHED = new Set(['node_modules', 'vendor', 'testdata']);
/** How many nearby modules are named at most. */
const MAX_NEARBY = 5;

/**
 * Directories up to two levels below `cwd` that hold a go.mod (relative, sorted), for
 * "gohot was started above the module": `-C <dir>` is the fix.
 */
export async function findNearbyModules(cwd: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_NEARBY) return;
      if (!e.isDirectory() || e.name.startsWith('.') || NOT_SEARCHED.has(e.name)) continue;
      const sub = path.join(dir, e.name);
      if (existsSync(path.join(sub, 'go.mod'))) found.push(path.relative(cwd, sub));
      else if (depth < 2) await walk(sub, depth + 1);
    }
  };
  await walk(cwd, 1);
  return found;
}

/**
 * go's own vendor consistency check: stderr of `go list -mod=vendor -find .` in the module
 * root when it fails, else undefined.
 */
export async function vendorListError(
  goBin: string,
  moduleRoot: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const args = ['list', '-mod=vendor', '-find', '-f', '{{.ImportPath}}', '.'];
  const r = await runGo(goBin, args, { cwd: moduleRoot, env: localToolchainEnv(env) });
  return r.code === 0 ? undefined : r.stderr;
}

/**
 * go's complaint about GOFLAGS, or undefined: `go version` reads GOFLAGS like every go
 * command and fails on a flag that no go command knows ("go: parsing $GOFLAGS: ...").
 */
export async function goFlagsRejection(
  goBin: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const r = await runGo(goBin, ['version'], {
    cwd: path.parse(process.cwd()).root,
    env: localToolchainEnv(env),
  }).catch(() => undefined);
  if (r === undefined || r.code === 0 || !/GOFLAGS/.test(r.stderr)) return undefined;
  return r.stderr.trim().split('\n')[0];
}

/**
 * True when go downloaded the toolchain `name` before: it lives in the module cache as the
 * module golang.org/toolchain@v0.0.1-<name>.<GOOS>-<GOARCH> (docs/facts.md#toolchain-selection).
 */
export function isToolchainCached(name: string, goEnv: DoctorGoEnv): boolean {
  if (goEnv.GOMODCACHE === '') return false;
  const dir = `toolchain@v0.0.1-${name}.${goEnv.GOOS}-${goEnv.GOARCH}`;
  return existsSync(path.join(goEnv.GOMODCACHE, 'golang.org', dir, 'bin', 'go'));
}
