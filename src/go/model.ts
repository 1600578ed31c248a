import { dirname, join, resolve, sep } from 'node:path';
import type { ListedError, ListedModule, ListedPackage } from './list.js';

// The project model: which packages and files the main package's binary is built from,
// built from `go list -e -deps -json` output (docs/facts.md#go-list-and-the-project-model).
// Everything here is pure: no I/O, no clock; the same listing gives an equal model.

/** The `other-source` lists of go list: non-Go files the go command compiles or links. */
export type OtherSourceList =
  | 'CFiles'
  | 'CXXFiles'
  | 'HFiles'
  | 'SFiles'
  | 'SysoFiles'
  | 'MFiles'
  | 'FFiles'
  | 'SwigFiles'
  | 'SwigCXXFiles';

/** What a file is to the build of one package. */
export type FileRole =
  /** In GoFiles (or InvalidGoFiles): compiled. */
  | { readonly kind: 'go' }
  /** In CgoFiles: compiled through cgo (its comments before `import "C"` are C code). */
  | { readonly kind: 'cgo' }
  /** Compiled, assembled or linked by the go command. */
  | { readonly kind: 'other-source'; readonly list: OtherSourceList }
  /**
   * In IgnoredGoFiles/IgnoredOtherFiles: excluded by a build constraint or a GOOS/GOARCH
   * file name suffix. Its contents matter only if its constraint changes.
   */
  | { readonly kind: 'ignored' }
  /** In EmbedFiles: its bytes are in the binary, so every edit matters. */
  | { readonly kind: 'embed' };

/** Where a package's sources come from, which decides whether the user edits them. */
export type PackageOrigin =
  /** A main module's package: the module gohot runs in or a go.work `use` module. */
  | 'main-module'
  /** A package of a module replaced by a local directory (`replace x => ../x`). */
  | 'local-replace'
  /** Part of the standard library. */
  | 'standard'
  /** Below GOROOT but not standard (e.g. cmd/...). */
  | 'goroot'
  /** Below GOMODCACHE: a downloaded module, read-only. */
  | 'module-cache'
  /** Below a module root's vendor/: copied by `go mod vendor` (watch vendor/modules.txt instead). */
  | 'vendor'
  /** go list found no directory for it (a missing package, listed with its error). */
  | 'not-found'
  /** Anywhere else (GOPATH, a module without a local directory). */
  | 'other';

/** The module a package belongs to. */
export interface ModelModule {
  readonly path: string;
  /** Absolute directory of the module's files (go.mod's directory); undefined when vendored. */
  readonly dir: string | undefined;
  /** True for the main module and every go.work module. */
  readonly main: boolean;
}

/** One package of the main package's dependency closure. */
export interface ModelPackage {
  readonly importPath: string;
  /** Absolute directory; undefined for a package go list could not find. */
  readonly dir: string | undefined;
  /** Package name ("main", "http"); "" when unknown. */
  readonly name: string;
  readonly module: ModelModule | undefined;
  readonly origin: PackageOrigin;
  /** True when the user edits its files: origin `main-module` or `local-replace`. */
  readonly editable: boolean;
  /** Absolute path -> role, for every file go list names; empty unless editable. */
  readonly files: ReadonlyMap<string, FileRole>;
  /** The //go:embed patterns, as written (with `all:`), relative to `dir`. */
  readonly embedPatterns: readonly string[];
  /**
   * Absolute paths an embed pattern can match new files in: per pattern, `dir` joined with
   * its leading components that hold no glob character, `all:` stripped ("static/*" ->
   * dir/static; "page.html" -> dir/page.html; "*.html" -> dir). Deduplicated, nested ones
   * dropped. Empty unless editable.
   */
  readonly embedRoots: readonly string[];
  /** Import paths it imports, as go resolved them (vendor/ prefixes included), sorted. */
  readonly imports: readonly string[];
  /** Its own load error as "pos: message" (or just the message), if any. */
  readonly error: string | undefined;
  /** True when it or a dependency has an error: its imports or files may be incomplete. */
  readonly incomplete: boolean;
}

/** A file of an editable package, with the package it belongs to. */
export interface ModelFile {
  readonly pkg: ModelPackage;
  readonly role: FileRole;
}

/** One load error in the closure. */
export interface ModelError {
  /** The package the error is about. */
  readonly importPath: string;
  readonly message: string;
}

/** Everything gohot knows about which files the binary of one main package is built from. */
export interface ProjectModel {
  /** Import path of the listed main package (as go list printed it; "./x" when not found). */
  readonly mainImportPath: string;
  /** Its absolute directory; undefined when go list found none. */
  readonly mainDir: string | undefined;
  /** Every package of the closure, standard library included, in go list order (main last). */
  readonly packages: ReadonlyMap<string, ModelPackage>;
  /** The packages by absolute directory. */
  readonly packagesByDir: ReadonlyMap<string, ModelPackage>;
  /**
   * Every file of every editable package by absolute path. A file two packages name (an
   * embedded file that another package compiles) keeps its strongest role: embed, then
   * go/cgo/other-source, then ignored.
   */
  readonly files: ReadonlyMap<string, ModelFile>;
  /** Directories of the editable packages, sorted. */
  readonly editableDirs: readonly string[];
  /** Root directories of the modules of the editable packages, sorted. */
  readonly moduleDirs: readonly string[];
  /**
   * Packages of the closure that go list did not find, by the directory they would have in
   * an editable module (`import "example.com/app/newpkg"` before newpkg/ exists): creating
   * a file there makes the package exist.
   */
  readonly missingDirs: ReadonlyMap<string, string>;
  /** True when some package comes from a vendor/ directory (vendor mode). */
  readonly vendored: boolean;
  /** Every load error in the closure, each once, in go list order. */
  readonly errors: readonly ModelError[];
  /** How long the go list that this model is built from took. */
  readonly durationMs: number;
}

/** What the model is built against besides the listing. */
export interface ModelContext {
  /** GOROOT (go env): nothing below it is editable. */
  readonly goroot: string;
  /** GOMODCACHE (go env): nothing below it is editable. "" when unknown. */
  readonly gomodcache: string;
  /**
   * Module roots whose vendor/ directories hold vendored packages (the module root, the
   * go.work directory). The listing's main-module directories always count.
   * @default []
   */
  readonly moduleRoots?: readonly string[];
  /** Duration of the go list run. @default 0 */
  readonly durationMs?: number;
}

/** Whether a model can replace the previous one, and why not. */
export type ModelUsability =
  | { readonly usable: true }
  /** go list printed no package for the main package, or no directory for it. */
  | {
      readonly usable: false;
      readonly reason: 'main-not-found';
      readonly error: string | undefined;
    }
  /**
   * The main package itself failed to load (a broken import block, mixed package names):
   * its imports, and so the closure, may be incomplete. Keep the previous model.
   */
  | { readonly usable: false; readonly reason: 'main-error'; readonly error: string };

/**
 * Builds the model from go list's packages (`listPackages().packages`). Errors of single
 * packages are kept in the model, never thrown; {@link modelUsability} says whether the
 * result is good enough to use.
 */
export function buildProjectModel(
  listed: readonly ListedPackage[],
  ctx: ModelContext,
): ProjectModel {
  const mainModuleDirs = listed.flatMap((p) =>
    p.Module?.Main === true && p.Module.Dir ? [p.Module.Dir] : [],
  );
  const vendorDirs = unique([...(ctx.moduleRoots ?? []), ...mainModuleDirs]).map((d) =>
    join(resolve(d), 'vendor'),
  );
  const roots: OriginRoots = {
    goroot: ctx.goroot === '' ? undefined : resolve(ctx.goroot),
    gomodcache: ctx.gomodcache === '' ? undefined : resolve(ctx.gomodcache),
    vendorDirs,
  };

  const packages = new Map<string, ModelPackage>();
  const packagesByDir = new Map<string, ModelPackage>();
  const files = new Map<string, ModelFile>();
  const errors: ModelError[] = [];
  const seenErrors = new Set<string>();
  let vendored = false;

  for (const p of listed) {
    const origin = packageOrigin(p, roots);
    if (origin === 'vendor') vendored = true;
    const pkg = toModelPackage(p, origin);
    packages.set(pkg.importPath, pkg);
    if (pkg.dir !== undefined && !packagesByDir.has(pkg.dir)) packagesByDir.set(pkg.dir, pkg);
    for (const [path, role] of pkg.files) {
      const had = files.get(path);
      if (had === undefined || ROLE_STRENGTH[role.kind] > ROLE_STRENGTH[had.role.kind]) {
        files.set(path, Object.freeze({ pkg, role }));
      }
    }
    const own = p.Error ? [{ importPath: pkg.importPath, e: p.Error }] : [];
    const deps = (p.DepsErrors ?? []).map((e) => ({
      importPath: e.ImportStack?.at(-1) ?? pkg.importPath,
      e,
    }));
    for (const { importPath, e } of [...own, ...deps]) {
      const message = errorMessage(e);
      // A dependency's error is repeated in the DepsErrors of every package above it.
      if (seenErrors.has(message)) continue;
      seenErrors.add(message);
      errors.push(Object.freeze({ importPath, message }));
    }
  }

  // -deps prints dependencies first; the package named on the command line is not DepOnly.
  const named = listed.findLast((p) => p.DepOnly !== true);
  const main = named === undefined ? undefined : packages.get(named.ImportPath);
  const editable = [...packages.values()].filter((p) => p.editable);
  return Object.freeze({
    missingDirs: missingPackageDirs(packages.values(), editable),
    mainImportPath: main?.importPath ?? '',
    mainDir: main?.dir,
    packages,
    packagesByDir,
    files,
    editableDirs: Object.freeze(unique(editable.map((p) => p.dir!)).sort()),
    moduleDirs: Object.freeze(unique(editable.flatMap((p) => p.module?.dir ?? [])).sort()),
    vendored,
    errors: Object.freeze(errors),
    durationMs: ctx.durationMs ?? 0,
  });
}

/**
 * Whether `model` is good enough to replace the previous one: the main package was found
 * and loaded without an error of its own. Errors in dependencies leave it usable (the
 * build will report them; the packages stay in the model with their errors).
 */
export function modelUsability(model: ProjectModel): ModelUsability {
  const main = model.packages.get(model.mainImportPath);
  if (main?.dir === undefined) {
    return { usable: false, reason: 'main-not-found', error: main?.error };
  }
  if (main.error !== undefined) return { usable: false, reason: 'main-error', error: main.error };
  return { usable: true };
}

/** The package whose directory is `dir` (absolute), if it is in the closure. */
export function packageForDir(model: ProjectModel, dir: string): ModelPackage | undefined {
  return model.packagesByDir.get(normalized(dir));
}

/** The role of `absPath` in an editable package of the closure, with that package. */
export function fileRole(model: ProjectModel, absPath: string): ModelFile | undefined {
  return model.files.get(normalized(absPath));
}

/**
 * `resolve(p)`, without building a new string for a path that is absolute and normalized
 * already (what the watcher passes: the filter asks about every file of the tree).
 */
export function normalized(p: string): string {
  const plain =
    sep === '/' &&
    p.startsWith('/') &&
    !p.includes('//') &&
    !p.includes('/./') &&
    !p.includes('/../') &&
    !p.endsWith('/.') &&
    !p.endsWith('/..') &&
    (p.length === 1 || !p.endsWith('/'));
  return plain ? p : resolve(p);
}

/**
 * The editable package that has an embed root at or above `absPath`: a file created or
 * renamed there may become embedded (or stop being), so the package must be re-listed.
 * Patterns skip names starting with "." or "_" unless `all:`; this is the cheap superset.
 */
export function embedRootFor(model: ProjectModel, absPath: string): ModelPackage | undefined {
  const roots = embedRootIndex(model);
  if (roots.size === 0) return undefined;
  // The watch filter asks this for every file of the tree: walk up the path's few
  // ancestors instead of every package of the closure.
  for (let at = normalized(absPath); ; ) {
    const pkg = roots.get(at);
    if (pkg !== undefined) return pkg;
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

const EMBED_ROOT_INDEX = new WeakMap<ProjectModel, ReadonlyMap<string, ModelPackage>>();

/** Embed root -> the first package (in listing order) with that root; built once per model. */
function embedRootIndex(model: ProjectModel): ReadonlyMap<string, ModelPackage> {
  let index = EMBED_ROOT_INDEX.get(model);
  if (index === undefined) {
    const built = new Map<string, ModelPackage>();
    for (const pkg of model.packages.values()) {
      for (const root of pkg.embedRoots) if (!built.has(root)) built.set(root, pkg);
    }
    index = built;
    EMBED_ROOT_INDEX.set(model, index);
  }
  return index;
}

/** True when the package `importPath` is in the main package's closure. */
export function isInClosure(model: ProjectModel, importPath: string): boolean {
  return model.packages.has(importPath);
}

/**
 * Dependencies the go command adds without an import line, so they are in the closure but
 * not in Imports: `import "C"` makes a package depend on runtime/cgo, syscall and unsafe,
 * and linking a main package adds runtime and, with -race/-msan/-asan/-cover, their runtime
 * packages (cmd/go internal/load/pkg.go, "cgo dependencies" and LinkerDeps).
 */
const CGO_IMPORTS = ['runtime/cgo', 'syscall', 'unsafe'];
const LINKER_IMPORTS = [
  'runtime',
  'runtime/cgo',
  'runtime/race',
  'runtime/msan',
  'runtime/asan',
  'runtime/coverage',
];

/**
 * The shortest import chain from the main package to `importPath`, both ends included
 * (`[main]` for the main package itself), or undefined when it is not in the closure.
 * Breadth-first over Imports plus the go command's implicit dependencies (cgo, linker);
 * ties go to the import sorted first.
 */
export function importChain(model: ProjectModel, importPath: string): string[] | undefined {
  const start = model.mainImportPath;
  if (!model.packages.has(start) || !model.packages.has(importPath)) return undefined;
  const parent = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    if (at === importPath) {
      const chain: string[] = [];
      for (let p: string | undefined = at; p !== undefined; p = parent.get(p)) chain.push(p);
      return chain.reverse();
    }
    const imports = model.packages.get(at)?.imports ?? [];
    const implicit = [
      ...(imports.includes('C') ? CGO_IMPORTS : []),
      ...(at === start ? LINKER_IMPORTS : []),
    ];
    for (const next of [...imports, ...implicit]) {
      if (parent.has(next) || !model.packages.has(next)) continue;
      parent.set(next, at);
      queue.push(next);
    }
  }
  return undefined;
}

/**
 * The module directories of editable packages that lie outside every one of `roots` (the
 * watch roots), nested ones dropped, sorted: the directories to add as watch roots so
 * that every file the binary is built from is watched.
 */
export function editableDirsOutside(model: ProjectModel, roots: readonly string[]): string[] {
  const resolved = roots.map((r) => resolve(r));
  const outside = model.moduleDirs.filter((d) => !resolved.some((r) => isPathInside(d, r)));
  return outside.filter((d) => !outside.some((o) => o !== d && isPathInside(d, o))).sort();
}

/** True when `path` equals `dir` or lies below it (both absolute and normalized). */
export function isPathInside(path: string, dir: string): boolean {
  if (path === dir) return true;
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

const ROLE_STRENGTH: Readonly<Record<FileRole['kind'], number>> = {
  ignored: 0,
  go: 1,
  cgo: 1,
  'other-source': 1,
  embed: 2,
};

const GO: FileRole = Object.freeze({ kind: 'go' });
const CGO: FileRole = Object.freeze({ kind: 'cgo' });
const IGNORED: FileRole = Object.freeze({ kind: 'ignored' });
const EMBED: FileRole = Object.freeze({ kind: 'embed' });
/** The go list file lists of non-Go sources a package compiles or links. */
export const OTHER_SOURCE_LISTS: readonly OtherSourceList[] = [
  'CFiles',
  'CXXFiles',
  'HFiles',
  'SFiles',
  'SysoFiles',
  'MFiles',
  'FFiles',
  'SwigFiles',
  'SwigCXXFiles',
];

interface OriginRoots {
  readonly goroot: string | undefined;
  readonly gomodcache: string | undefined;
  readonly vendorDirs: readonly string[];
}

function packageOrigin(p: ListedPackage, roots: OriginRoots): PackageOrigin {
  if (p.Standard === true) return 'standard';
  if (!p.Dir) return 'not-found';
  const dir = resolve(p.Dir);
  const below = (root: string | undefined) => root !== undefined && isPathInside(dir, root);
  if (p.Goroot === true || below(roots.goroot)) return 'goroot';
  if (below(roots.gomodcache)) return 'module-cache';
  if (roots.vendorDirs.some(below)) return 'vendor';
  const m = p.Module;
  if (m?.Main === true && m.Dir && isPathInside(dir, resolve(m.Dir))) return 'main-module';
  // A local replacement has a Dir and no Version; in vendor mode Replace.Dir still names
  // the local directory while Dir points into vendor/ (caught above).
  const r = m?.Replace;
  if (r?.Dir && !r.Version && isPathInside(dir, resolve(r.Dir))) return 'local-replace';
  return 'other';
}

function toModelPackage(p: ListedPackage, origin: PackageOrigin): ModelPackage {
  const dir = p.Dir ? resolve(p.Dir) : undefined;
  const editable = origin === 'main-module' || origin === 'local-replace';
  const files = new Map<string, FileRole>();
  if (editable && dir !== undefined) {
    const add = (names: readonly string[] | null | undefined, role: FileRole) => {
      for (const name of names ?? []) {
        const path = join(dir, name);
        const had = files.get(path);
        if (had === undefined || ROLE_STRENGTH[role.kind] > ROLE_STRENGTH[had.kind]) {
          files.set(path, role);
        }
      }
    };
    add(p.IgnoredGoFiles, IGNORED);
    add(p.IgnoredOtherFiles, IGNORED);
    add(p.GoFiles, GO);
    add(p.InvalidGoFiles, GO);
    add(p.CgoFiles, CGO);
    for (const list of OTHER_SOURCE_LISTS) {
      add(p[list], Object.freeze({ kind: 'other-source', list }));
    }
    add(p.EmbedFiles, EMBED);
  }
  const embedPatterns = Object.freeze([...(p.EmbedPatterns ?? [])]);
  const m = p.Module;
  return Object.freeze({
    importPath: p.ImportPath,
    dir,
    name: p.Name ?? '',
    module: m?.Path
      ? Object.freeze({
          path: m.Path,
          dir: moduleDir(m, origin),
          main: m.Main === true,
        })
      : undefined,
    origin,
    editable,
    files,
    embedPatterns,
    embedRoots:
      editable && dir !== undefined ? Object.freeze(embedRoots(dir, embedPatterns)) : EMPTY,
    imports: Object.freeze([...(p.Imports ?? [])]),
    error: p.Error ? errorMessage(p.Error) : undefined,
    incomplete: p.Incomplete === true,
  });
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Module.Dir; for a local replacement go sets it to Replace.Dir, which is the fallback. */
function moduleDir(m: ListedModule, origin: PackageOrigin): string | undefined {
  const dir = m.Dir || (origin === 'local-replace' ? m.Replace?.Dir : undefined);
  return dir ? resolve(dir) : undefined;
}

/**
 * The embed roots of a package in `dir` (see {@link ModelPackage.embedRoots}): per
 * pattern, the leading path components before the first one with a glob character.
 */
export function embedRoots(dir: string, patterns: readonly string[]): string[] {
  const roots = patterns.map((pattern) => {
    const parts = (pattern.startsWith('all:') ? pattern.slice(4) : pattern).split('/');
    const literal = parts.findIndex((part) => /[*?[\\]/.test(part));
    return join(dir, ...(literal === -1 ? parts : parts.slice(0, literal)));
  });
  const all = unique(roots);
  return all.filter((r) => !all.some((o) => o !== r && isPathInside(r, o))).sort();
}

/**
 * Where each not-found package would live: in the editable module whose path is the longest
 * prefix of its import path, under the rest of the import path.
 */
function missingPackageDirs(
  packages: Iterable<ModelPackage>,
  editable: readonly ModelPackage[],
): Map<string, string> {
  const modules = new Map<string, string>();
  for (const p of editable) {
    if (p.module?.dir !== undefined) modules.set(p.module.path, p.module.dir);
  }
  const byLength = [...modules].sort((a, b) => b[0].length - a[0].length);
  const out = new Map<string, string>();
  for (const p of packages) {
    if (p.origin !== 'not-found') continue;
    const m = byLength.find(
      ([path]) => p.importPath === path || p.importPath.startsWith(`${path}/`),
    );
    if (m !== undefined) out.set(join(m[1], p.importPath.slice(m[0].length)), p.importPath);
  }
  return out;
}

/** "pos: message", or the message alone when go gave no position. */
function errorMessage(e: ListedError): string {
  const err = (e.Err ?? '').trimEnd();
  return e.Pos ? `${e.Pos}: ${err}` : err;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
