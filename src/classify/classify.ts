import path from 'node:path';
import type { FileChange, FileReason, FileVerdict } from '../watch/types.js';

/** Files whose edits can change the project itself: the watch roots and the main package. */
const MODULE_FILES = ['go.mod', 'go.work'] as const;

/** A go.mod or go.work file name. */
export type ModuleFile = (typeof MODULE_FILES)[number];

/**
 * What a verified file change means for the session, and the reason (a value; `report/`
 * words it). `refresh-project` is a rebuild that first re-resolves the Go project, because
 * a go.mod/go.work edit can add or drop `replace ../lib` and `use` directories.
 */
export type ChangeDecision =
  | { readonly action: 'rebuild'; readonly change: FileChange; readonly reason: FileReason }
  | {
      readonly action: 'refresh-project';
      readonly change: FileChange;
      readonly reason: FileReason;
      readonly file: ModuleFile;
    }
  | {
      readonly action: 'reload-config';
      readonly change: FileChange;
      readonly reason: { readonly by: 'config-file' };
    }
  | { readonly action: 'skip'; readonly change: FileChange; readonly reason: FileReason };

/** Everything classification needs to know; pure data and pure functions. */
export interface ClassifyContext {
  /** Absolute paths of config files (gohot.json, codebuddy.json). */
  readonly configFiles: ReadonlySet<string>;
  /** Pattern verdict for a source file. */
  readonly verdict: (absPath: string) => FileVerdict;
}

function moduleFile(absPath: string): ModuleFile | undefined {
  const base = path.basename(absPath);
  return MODULE_FILES.find((m) => m === base);
}

/** Classifies one verified change. Pure: no I/O. */
export function classifyChange(change: FileChange, ctx: ClassifyContext): ChangeDecision {
  if (ctx.configFiles.has(change.path)) {
    return { action: 'reload-config', change, reason: { by: 'config-file' } };
  }
  const { tracked, reason } = ctx.verdict(change.path);
  if (!tracked) return { action: 'skip', change, reason };
  const file = moduleFile(change.path);
  if (file !== undefined) return { action: 'refresh-project', change, reason, file };
  return { action: 'rebuild', change, reason };
}

/** Classifies a batch of changes; the order of the input is kept. */
export function classifyChanges(
  changes: readonly FileChange[],
  ctx: ClassifyContext,
): ChangeDecision[] {
  return changes.map((c) => classifyChange(c, ctx));
}
