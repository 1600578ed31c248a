import type { FileRole, ProjectModel } from './model.js';

/** A file whose role changed between two models (e.g. a build constraint now excludes it). */
export interface ChangedFileRole {
  readonly path: string;
  readonly before: FileRole;
  readonly after: FileRole;
}

/** What changed in the structure of the build between an old and a new model. */
export interface ModelDiff {
  /** Import paths in the new closure and not in the old one, sorted. */
  readonly addedPackages: readonly string[];
  /** Import paths in the old closure and not in the new one, sorted. */
  readonly removedPackages: readonly string[];
  /** Absolute paths of editable files the new model has and the old one did not, sorted. */
  readonly addedFiles: readonly string[];
  /** Absolute paths of editable files the old model had and the new one does not, sorted. */
  readonly removedFiles: readonly string[];
  /** Files in both with a different role, sorted by path. */
  readonly changedFiles: readonly ChangedFileRole[];
  /** Embed roots of editable packages that are new, sorted. */
  readonly addedEmbedRoots: readonly string[];
  /** Embed roots of editable packages that are gone, sorted. */
  readonly removedEmbedRoots: readonly string[];
}

/**
 * What changed from `before` to `after`: packages that entered or left the closure, files
 * of editable packages that appeared, disappeared or changed role, and embed roots. For
 * reporting ("re-listed: +1 package, +2 files"); an empty diff means the same structure.
 */
export function diffModels(before: ProjectModel, after: ProjectModel): ModelDiff {
  const changedFiles: ChangedFileRole[] = [];
  for (const [path, now] of after.files) {
    const was = before.files.get(path);
    if (was !== undefined && !sameRole(was.role, now.role)) {
      changedFiles.push({ path, before: was.role, after: now.role });
    }
  }
  changedFiles.sort((a, b) => compare(a.path, b.path));
  const oldRoots = embedRootSet(before);
  const newRoots = embedRootSet(after);
  return Object.freeze({
    addedPackages: minus(after.packages.keys(), before.packages),
    removedPackages: minus(before.packages.keys(), after.packages),
    addedFiles: minus(after.files.keys(), before.files),
    removedFiles: minus(before.files.keys(), after.files),
    changedFiles: Object.freeze(changedFiles),
    addedEmbedRoots: minus(newRoots, oldRoots),
    removedEmbedRoots: minus(oldRoots, newRoots),
  });
}

/** True when the diff has no change at all. */
export function isEmptyDiff(diff: ModelDiff): boolean {
  return (
    diff.addedPackages.length === 0 &&
    diff.removedPackages.length === 0 &&
    diff.addedFiles.length === 0 &&
    diff.removedFiles.length === 0 &&
    diff.changedFiles.length === 0 &&
    diff.addedEmbedRoots.length === 0 &&
    diff.removedEmbedRoots.length === 0
  );
}

/** True when both models have the same closure, editable files, file roles and embed roots. */
export function sameStructure(a: ProjectModel, b: ProjectModel): boolean {
  return isEmptyDiff(diffModels(a, b));
}

function sameRole(a: FileRole, b: FileRole): boolean {
  if (a.kind === 'other-source' && b.kind === 'other-source') return a.list === b.list;
  return a.kind === b.kind;
}

function embedRootSet(model: ProjectModel): Set<string> {
  const roots = new Set<string>();
  for (const pkg of model.packages.values()) for (const r of pkg.embedRoots) roots.add(r);
  return roots;
}

function minus(keys: Iterable<string>, other: { has(key: string): boolean }): readonly string[] {
  return Object.freeze([...keys].filter((k) => !other.has(k)).sort(compare));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
