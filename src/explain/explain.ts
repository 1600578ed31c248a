import path from 'node:path';
import {
  type ChangeAction,
  type ChangeReason,
  type ClassifyContext,
  classifyChange,
  type FileRoleKind,
} from '../classify/classify.js';
import type { ContentDelta } from '../classify/content-delta.js';
import { fileRole, importChain, type ProjectModel, packageForDir } from '../go/model.js';
import type {
  BackendKind,
  BackendReason,
  DirSkipReason,
  FileVerdict,
  WatchFilter,
} from '../watch/types.js';

/** What is at a path. */
export type PathKind = 'file' | 'directory' | 'missing' | 'other';

/** The package a path belongs to, and whether the binary imports it. */
export interface PackageFacts {
  readonly importPath: string;
  readonly dir: string;
  /** How the file is used by its package (absent for a directory or an unlisted file). */
  readonly role: FileRoleKind | undefined;
  /** main -> ... -> importPath. */
  readonly chain: readonly string[];
}

/** Everything `gohot explain` says about one path; `--json` prints this. */
export interface Explanation {
  /** As given on the command line. */
  readonly path: string;
  readonly absPath: string;
  readonly kind: PathKind;
  /** The deepest watch root holding the path, and how it is watched. */
  readonly root:
    | { readonly path: string; readonly backend: BackendKind; readonly reason: BackendReason }
    | undefined;
  /** The first directory on the way down from the root that is not watched. */
  readonly notWatched: { readonly dir: string; readonly reason: DirSkipReason } | undefined;
  /** The watch filter's verdict (files and missing paths). */
  readonly verdict: FileVerdict | undefined;
  /** The closure package listing the file or living in the directory. */
  readonly package: PackageFacts | undefined;
  /** Set when go list could not be used: what decides instead. */
  readonly modelProblem: string | undefined;
  /**
   * What saving this file would do (for a missing path: creating it; for a directory:
   * creating a .go file in it): the classifier's decision for an edit that changes code.
   */
  readonly onChange: {
    readonly action: ChangeAction | 'not-watched';
    readonly reason: ChangeReason | undefined;
    readonly relist: boolean;
  };
}

/** The inputs of an explanation, all resolved the way `gohot run` resolves them. */
export interface ExplainContext {
  readonly roots: readonly {
    readonly path: string;
    readonly backend: BackendKind;
    readonly reason: BackendReason;
  }[];
  readonly filter: WatchFilter;
  readonly classify: ClassifyContext;
  readonly model: ProjectModel | undefined;
  readonly modelProblem: string | undefined;
}

const CODE_EDIT: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'changed', lines: 'same', structural: [] },
};

/** Explains one path. Pure: `kind` comes from a stat the caller made. */
export function explainPath(
  given: string,
  absPath: string,
  kind: PathKind,
  ctx: ExplainContext,
): Explanation {
  const root = [...ctx.roots]
    .sort((a, b) => b.path.length - a.path.length)
    .find((r) => absPath === r.path || absPath.startsWith(r.path + path.sep));
  const notWatched =
    root === undefined ? undefined : firstSkipped(root.path, absPath, kind, ctx.filter);
  const subject = kind === 'directory' ? path.join(absPath, 'new.go') : absPath;
  const verdict = kind === 'directory' ? undefined : ctx.filter.file(absPath);
  const pkg = packageFacts(ctx.model, subject);
  const base = {
    path: given,
    absPath,
    kind,
    root,
    notWatched,
    verdict,
    package: pkg,
    modelProblem: ctx.modelProblem,
  };
  if (
    root === undefined ||
    notWatched !== undefined ||
    (verdict !== undefined && !verdict.tracked)
  ) {
    // The watcher never reports it; the classifier's reason still says why in model terms.
    const d = classifyChange(
      { path: subject, kind: kind === 'file' ? 'modified' : 'created', via: 'event' },
      CODE_EDIT,
      ctx.classify,
    );
    return { ...base, onChange: { action: 'not-watched', reason: d.reason, relist: false } };
  }
  const d = classifyChange(
    { path: subject, kind: kind === 'file' ? 'modified' : 'created', via: 'event' },
    kind === 'file' ? CODE_EDIT : { kind: 'changed' },
    ctx.classify,
  );
  return { ...base, onChange: { action: d.action, reason: d.reason, relist: d.relist } };
}

function firstSkipped(
  root: string,
  absPath: string,
  kind: PathKind,
  filter: WatchFilter,
): Explanation['notWatched'] {
  const rel = path.relative(root, kind === 'directory' ? absPath : path.dirname(absPath));
  if (rel === '') return undefined;
  let dir = root;
  for (const part of rel.split(path.sep)) {
    dir = path.join(dir, part);
    const v = filter.dir(dir);
    if (!v.watched) return { dir, reason: v.reason };
  }
  return undefined;
}

function packageFacts(model: ProjectModel | undefined, subject: string): PackageFacts | undefined {
  if (model === undefined) return undefined;
  const listed = fileRole(model, subject);
  const pkg = listed?.pkg ?? packageForDir(model, path.dirname(subject));
  if (pkg === undefined || pkg.dir === undefined) return undefined;
  return {
    importPath: pkg.importPath,
    dir: pkg.dir,
    role: listed?.role.kind,
    chain: importChain(model, pkg.importPath) ?? [pkg.importPath],
  };
}
