import type { Batch } from '../schedule/scheduler.js';

/** What a batch comes to, once each file's content is compared with what the last build saw. */
export type BatchPlan =
  | {
      readonly action: 'build';
      /** Files whose content really changed (the trigger line names these only). */
      readonly files: readonly string[];
      readonly unchanged: readonly string[];
    }
  | {
      /** Only `watch.restartOnly` files changed: restart with the binary the app has. */
      readonly action: 'restart';
      readonly files: readonly string[];
      readonly unchanged: readonly string[];
    }
  | {
      /** Every file is back to what the last build saw: nothing to do. */
      readonly action: 'nothing';
      readonly unchanged: readonly string[];
    };

/**
 * Plans a batch from its triggers and each file's net state. Pure. A start, a manual
 * rebuild or a config change always builds; changed files build; changed restart-only files
 * restart; a batch whose files all came back to the same bytes (a checkout that deleted and
 * re-created them, an edit undone within the quiet window) does nothing.
 */
export function planBatch(batch: Batch, changed: (path: string) => boolean): BatchPlan {
  const restartFiles = new Set(
    batch.triggers.flatMap((t) => (t.kind === 'restart' ? t.files : [])),
  );
  const buildFiles = new Set(batch.triggers.flatMap((t) => (t.kind === 'change' ? t.files : [])));
  const files: string[] = [];
  const restart: string[] = [];
  const unchanged: string[] = [];
  for (const f of batch.files) {
    if (!changed(f)) unchanged.push(f);
    else if (buildFiles.has(f)) files.push(f);
    else if (restartFiles.has(f)) restart.push(f);
  }
  const forced = batch.triggers.some((t) => t.kind !== 'change' && t.kind !== 'restart');
  if (forced || files.length > 0)
    return { action: 'build', files: [...files, ...restart], unchanged };
  if (restart.length > 0) return { action: 'restart', files: restart, unchanged };
  return { action: 'nothing', unchanged };
}
