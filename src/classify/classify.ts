import type { FileChange } from '../watch/types.js';

/** What a verified file change means for the session, with the reason shown to the user. */
export type ChangeDecision =
  | { readonly action: 'rebuild'; readonly change: FileChange; readonly reason: string }
  | { readonly action: 'reload-config'; readonly change: FileChange; readonly reason: string }
  | { readonly action: 'skip'; readonly change: FileChange; readonly reason: string };

/** Everything classification needs to know; pure data and pure functions. */
export interface ClassifyContext {
  /** Absolute paths of config files (gohot.json, codebuddy.json). */
  readonly configFiles: ReadonlySet<string>;
  /** Pattern verdict for a source file. */
  readonly match: (absPath: string) => { readonly included: boolean; readonly reason: string };
}

/** Classifies one verified change. Pure: no I/O. */
export function classifyChange(change: FileChange, ctx: ClassifyContext): ChangeDecision {
  if (ctx.configFiles.has(change.path)) {
    return { action: 'reload-config', change, reason: `config file ${change.kind}` };
  }
  const verdict = ctx.match(change.path);
  if (!verdict.included) return { action: 'skip', change, reason: verdict.reason };
  return { action: 'rebuild', change, reason: `${change.kind}, ${verdict.reason}` };
}

/** Classifies a batch of changes; the order of the input is kept. */
export function classifyChanges(
  changes: readonly FileChange[],
  ctx: ClassifyContext,
): ChangeDecision[] {
  return changes.map((c) => classifyChange(c, ctx));
}
