import path from 'node:path';
import type { FileChange, FileReason, FileVerdict } from '../watch/types.js';
import type { ContentDelta } from './content-delta.js';

/**
 * Files whose edits change the project itself: the watch roots, the module graph, the main
 * package. Each one makes the model be listed again, and the binary be built.
 */
export const MODULE_FILES = [
  'go.mod',
  'go.sum',
  'go.work',
  'go.work.sum',
  'vendor/modules.txt',
] as const;

/** One of {@link MODULE_FILES}. */
export type ModuleFile = (typeof MODULE_FILES)[number];

/** What a file is to the package that lists it (go list's file lists). */
export type FileRoleKind = 'go' | 'cgo' | 'other-source' | 'ignored' | 'embed' | 'test-data';

/**
 * What classification needs to know of the Go project model (built from `go list`, see
 * go/model.ts). Package names are import paths of packages in the binary's closure.
 */
export interface ModelView {
  /** The main package as the user names it ("./cmd/api"). */
  readonly main: string;
  /** The closure package that lists this file, and how. */
  fileRole(absPath: string): { readonly pkg: string; readonly role: FileRoleKind } | undefined;
  /** The closure package whose directory this is. */
  packageInDir(dir: string): string | undefined;
  /** The closure package with an embed pattern whose directory holds this path. */
  embedRootPackage(absPath: string): string | undefined;
  /** A display form of a directory outside the closure ("internal/tools"). */
  displayDir(dir: string): string;
}

/** What a change means for the session. */
export type ChangeAction =
  /** Build, then restart if the binary changed. */
  | 'rebuild'
  /** The model must be listed again before this change can be decided. */
  | 'relist-then-decide'
  /** Restart the app with the binary it already has. */
  | 'restart-only'
  /** A static file the app serves from disk: pages reload, no build, no restart. */
  | 'reload-only'
  /** Nothing to do; the reason says why. */
  | 'ignore'
  | 'reload-config'
  /** Re-resolve the Go project (watch roots, main package), list it again, and build. */
  | 'refresh-project';

/** Why a change has its action; a value, `report/` words it. */
export type ChangeReason =
  | { readonly by: 'config-file' }
  | { readonly by: 'module-file'; readonly file: ModuleFile }
  /** A watch pattern decided: no model yet, a pattern the user wrote, or an exclude. */
  | { readonly by: 'pattern'; readonly verdict: FileReason }
  | { readonly by: 'restart-pattern'; readonly pattern: string }
  | { readonly by: 'reload-pattern'; readonly pattern: string }
  | { readonly by: 'test-file' }
  /** Below the `testdata` directory of `pkg`: its tests may read it. */
  | { readonly by: 'test-data'; readonly pkg: string }
  /** No package of the binary's closure lives in this directory. */
  | { readonly by: 'outside-closure'; readonly dir: string; readonly main: string }
  /** Excluded from its package by build constraints or a GOOS/GOARCH file name suffix. */
  | { readonly by: 'constraint-excluded'; readonly pkg: string }
  /**
   * An excluded file's constraint, imports or package clause changed: it may be part of the
   * build now.
   */
  | { readonly by: 'constraint-changed'; readonly pkg: string }
  | { readonly by: 'embedded'; readonly pkg: string }
  /** A new or removed file where an embed pattern of `pkg` looks. */
  | { readonly by: 'embed-candidate'; readonly pkg: string }
  /** A file the package's build reads, changed in a way that can change the binary. */
  | {
      readonly by: 'package-source';
      readonly pkg: string;
      readonly role: FileRoleKind;
      readonly edit: SourceEdit;
    }
  /** Only comments and white space changed (lines: whether line numbers moved). */
  | {
      readonly by: 'comments-only';
      readonly pkg: string;
      readonly lines: 'same' | 'shifted';
    }
  /** The same bytes the last build saw (an edit undone, a file deleted and re-created). */
  | { readonly by: 'content-unchanged' }
  | { readonly by: 'new-package-file'; readonly pkg: string }
  /** A file in a package's directory that its build does not read. */
  | { readonly by: 'not-in-build'; readonly pkg: string }
  /** Not in the model (listed again: still not), so the compiler will tell. */
  | { readonly by: 'unlisted'; readonly pkg: string | undefined };

/** How a package source changed. */
export type SourceEdit =
  | 'code'
  /** Comments only, but line numbers moved (they are in panics and logs). */
  | 'lines-shifted'
  /** No earlier content to compare with. */
  | 'unknown'
  | 'created'
  | 'deleted'
  /** A cgo file: its comments are C code, any byte counts. */
  | 'cgo';

/** One change, its action, and why. */
export interface ChangeDecision {
  readonly action: ChangeAction;
  readonly change: FileChange;
  readonly reason: ChangeReason;
  /** The model must be listed again (a structural change); never delays the build. */
  readonly relist: boolean;
}

/** Everything classification needs to know; pure data and pure functions. */
export interface ClassifyContext {
  /** Absolute paths of config files (gohot.json, codebuddy.json). */
  readonly configFiles: ReadonlySet<string>;
  /** Module roots and go.work directory, for module files (vendor/modules.txt). */
  readonly moduleDirs: readonly string[];
  /** Watch-pattern verdict for a file. */
  readonly verdict: (absPath: string) => FileVerdict;
  /** True for a pattern from the defaults (the model decides then, not the pattern). */
  readonly isDefaultPattern: (pattern: string) => boolean;
  /** The restart-only pattern matching a file, if any. */
  readonly restartOnly: (absPath: string) => string | undefined;
  /** The `proxy.reloadOnly` pattern matching a file, if any. @default none */
  readonly reloadOnly?: (absPath: string) => string | undefined;
  /** Undefined until `go list` answered once: patterns decide alone then. */
  readonly model: ModelView | undefined;
  /** Comment edits that move line numbers. @default 'rebuild' */
  readonly lineShifts: 'rebuild' | 'ignore';
  /** Set when the model was just listed again for this change: no second relist. */
  readonly afterRelist?: boolean;
  /**
   * `_test.go` files: outside the binary (`run`), or sources the model lists like any other
   * (`test`: the binaries are test binaries). @default 'outside-binary'
   */
  readonly testFiles?: 'outside-binary' | 'compiled';
}

/** The module file this path is, if any. */
export function moduleFileOf(
  absPath: string,
  moduleDirs: readonly string[],
): ModuleFile | undefined {
  const base = path.basename(absPath);
  if (base === 'modules.txt') {
    const vendorDir = path.dirname(absPath);
    return path.basename(vendorDir) === 'vendor' && moduleDirs.includes(path.dirname(vendorDir))
      ? 'vendor/modules.txt'
      : undefined;
  }
  return MODULE_FILES.find((m) => m === base);
}

const decide = (
  action: ChangeAction,
  change: FileChange,
  reason: ChangeReason,
  relist = false,
): ChangeDecision => ({ action, change, reason, relist });

/**
 * Classifies one verified change, given how its content differs from what the last build
 * saw. Pure: no I/O. The first rule that applies decides.
 */
export function classifyChange(
  change: FileChange,
  delta: ContentDelta,
  ctx: ClassifyContext,
): ChangeDecision {
  const p = change.path;
  if (ctx.configFiles.has(p)) return decide('reload-config', change, { by: 'config-file' });
  const file = moduleFileOf(p, ctx.moduleDirs);
  if (file !== undefined && file !== 'vendor/modules.txt' && !ctx.verdict(p).tracked) {
    return decide('ignore', change, { by: 'pattern', verdict: ctx.verdict(p).reason });
  }
  if (file !== undefined) {
    if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
    return decide('refresh-project', change, { by: 'module-file', file }, true);
  }
  const restart = ctx.restartOnly(p);
  // A file the binary is built from (embedded, compiled) needs a build whatever
  // watch.restartOnly says: a restart would run the old binary with the old bytes.
  const builtRole = ctx.model?.fileRole(p)?.role;
  if (restart !== undefined && (builtRole === undefined || builtRole === 'ignored')) {
    if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
    return decide('restart-only', change, { by: 'restart-pattern', pattern: restart });
  }
  const reload = ctx.reloadOnly?.(p);
  if (reload !== undefined && (builtRole === undefined || builtRole === 'ignored')) {
    if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
    return decide('reload-only', change, { by: 'reload-pattern', pattern: reload });
  }
  if (p.endsWith('_test.go') && ctx.testFiles !== 'compiled') {
    return decide('ignore', change, { by: 'test-file' });
  }

  const verdict = ctx.verdict(p);
  if (!verdict.tracked && verdict.reason.by === 'exclude') {
    return decide('ignore', change, { by: 'pattern', verdict: verdict.reason });
  }
  const model = ctx.model;
  const userPattern =
    verdict.tracked && 'pattern' in verdict.reason && !ctx.isDefaultPattern(verdict.reason.pattern);
  if (model === undefined) {
    if (!verdict.tracked)
      return decide('ignore', change, { by: 'pattern', verdict: verdict.reason });
    if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
    // Listed again: a first listing that failed (the main package did not load) is retried
    // once the code changes, or the model would never come.
    return decide('rebuild', change, { by: 'pattern', verdict: verdict.reason }, true);
  }

  const listed = model.fileRole(p);
  if (listed !== undefined) return classifyListed(change, delta, listed, ctx);

  const dir = path.dirname(p);
  const pkg = model.packageInDir(dir);
  const embedPkg = model.embedRootPackage(p);
  const existence = change.kind !== 'modified';
  if (existence && embedPkg !== undefined && !ctx.afterRelist) {
    return decide('relist-then-decide', change, { by: 'embed-candidate', pkg: embedPkg }, true);
  }
  // go list names every .go file of a package's directory but test files and names starting
  // with "_" or "." (go/build skips those): one it does not name is newer than the listing, or
  // the last listing failed (a package clause that does not match keeps the old model).
  const base = path.basename(p);
  const goFile = p.endsWith('.go') && !base.startsWith('_') && !base.startsWith('.');
  if (pkg !== undefined && goFile) {
    if (ctx.afterRelist) return decide('rebuild', change, { by: 'unlisted', pkg });
    const reason: ChangeReason =
      change.kind === 'created' ? { by: 'new-package-file', pkg } : { by: 'unlisted', pkg };
    return decide('relist-then-decide', change, reason, true);
  }
  if (userPattern) {
    if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
    return decide('rebuild', change, { by: 'pattern', verdict: verdict.reason });
  }
  if (pkg !== undefined) return decide('ignore', change, { by: 'not-in-build', pkg });
  if (embedPkg !== undefined)
    return decide('ignore', change, { by: 'not-in-build', pkg: embedPkg });
  return decide('ignore', change, {
    by: 'outside-closure',
    dir: model.displayDir(dir),
    main: model.main,
  });
}

function classifyListed(
  change: FileChange,
  delta: ContentDelta,
  listed: { readonly pkg: string; readonly role: FileRoleKind },
  ctx: ClassifyContext,
): ChangeDecision {
  const { pkg, role } = listed;
  const source = (edit: SourceEdit, relist = false) =>
    decide('rebuild', change, { by: 'package-source', pkg, role, edit }, relist);
  if (delta.kind === 'same-bytes') return decide('ignore', change, { by: 'content-unchanged' });
  if (role === 'test-data') return decide('rebuild', change, { by: 'test-data', pkg });
  if (role === 'ignored') {
    if (delta.kind === 'gone')
      return decide('ignore', change, { by: 'constraint-excluded', pkg }, true);
    // Not only a constraint: with CGO_ENABLED=0 a file that drops `import "C"` is built, and
    // so is a `package documentation` file given a real package clause.
    const changed =
      delta.kind === 'no-baseline' ||
      (delta.kind === 'changed' && (delta.go === undefined || delta.go.structural.length > 0));
    if (changed && !ctx.afterRelist) {
      return decide('relist-then-decide', change, { by: 'constraint-changed', pkg }, true);
    }
    return decide('ignore', change, { by: 'constraint-excluded', pkg });
  }
  if (delta.kind === 'gone') {
    if (role === 'embed') return decide('rebuild', change, { by: 'embedded', pkg }, true);
    return source('deleted', true);
  }
  if (role === 'embed') return decide('rebuild', change, { by: 'embedded', pkg });
  if (role === 'cgo') return source('cgo', delta.kind === 'changed' && structural(delta));
  if (role === 'other-source') return source(change.kind === 'created' ? 'created' : 'code');
  if (delta.kind === 'no-baseline' || delta.go === undefined) {
    return source(change.kind === 'created' ? 'created' : 'unknown', true);
  }
  const go = delta.go;
  if (go.tokens === 'changed') return source('code', go.structural.length > 0);
  if (go.lines === 'same')
    return decide('ignore', change, { by: 'comments-only', pkg, lines: 'same' });
  if (ctx.lineShifts === 'ignore') {
    return decide('ignore', change, { by: 'comments-only', pkg, lines: 'shifted' });
  }
  return source('lines-shifted');
}

function structural(delta: ContentDelta & { kind: 'changed' }): boolean {
  return delta.go === undefined || delta.go.structural.length > 0;
}
