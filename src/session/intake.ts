import { type ChangeDecision, type ClassifyContext, classifyChange } from '../classify/classify.js';
import { contentDelta, type FileFacts } from '../classify/content-delta.js';
import { type BatchPlan, planBatch } from '../classify/net-effect.js';
import type { BaselineStore } from '../facts/baseline.js';
import type { Batch } from '../schedule/scheduler.js';
import type { FileChange } from '../watch/types.js';

/** What the session reads and keeps to decide changes. */
export interface IntakeDeps {
  /** Reads a file's facts now (undefined: it does not exist). */
  readonly read: (absPath: string) => FileFacts | undefined;
  readonly baseline: BaselineStore;
}

/** Where the decided changes go. */
export interface Routed {
  readonly decisions: readonly ChangeDecision[];
  readonly rebuild: readonly string[];
  /** Some of `rebuild` were deleted: the batch waits for them to come back. */
  readonly deletes: boolean;
  /** Some Go file of `rebuild` looks half-written (see GoFileFacts.complete). */
  readonly incomplete: boolean;
  readonly restart: readonly string[];
  /** Build inputs written without needing a build (comment edits): a due build waits. */
  readonly quiet: readonly string[];
  /** Static files the app serves from disk: pages reload, nothing is built. */
  readonly reload: readonly string[];
  /** Changes to decide again once the model is listed again. */
  readonly waiting: readonly FileChange[];
  readonly relist: boolean;
  readonly reloadConfig: boolean;
  readonly refreshProject: boolean;
}

/**
 * Decides verified changes: reads each file once, compares it with what the last build
 * saw (pinned on first sight to the content the watcher had before the change) and
 * classifies it. The decisions come back for reporting, routed by action.
 */
export function intake(
  changes: readonly FileChange[],
  ctx: ClassifyContext,
  deps: IntakeDeps,
): Routed {
  const decisions: ChangeDecision[] = [];
  const rebuild: string[] = [];
  const restart: string[] = [];
  const reload: string[] = [];
  const waiting: FileChange[] = [];
  const quiet: string[] = [];
  let deletes = false;
  let incomplete = false;
  for (const change of changes) {
    const isConfig = ctx.configFiles.has(change.path);
    const now = isConfig ? undefined : deps.read(change.path);
    const before = change.kind === 'created' ? 'absent' : change.before;
    const base = deps.baseline.baseline(change.path, before);
    deps.baseline.remember(change.path, now);
    const d = classifyChange(change, contentDelta(base, now), ctx);
    decisions.push(d);
    switch (d.action) {
      case 'rebuild':
      case 'refresh-project':
        rebuild.push(change.path);
        deps.baseline.needsBuild(change.path);
        if (change.kind === 'deleted') deletes = true;
        if (now?.go !== undefined && !now.go.complete) incomplete = true;
        break;
      case 'restart-only':
        restart.push(change.path);
        deps.baseline.needsBuild(change.path);
        break;
      case 'reload-only':
        reload.push(change.path);
        break;
      case 'relist-then-decide':
        waiting.push(change);
        break;
      default:
        if (d.reason.by === 'comments-only') {
          quiet.push(change.path);
          deps.baseline.changedQuietly(change.path);
        }
        break;
    }
  }
  return {
    decisions,
    rebuild,
    deletes,
    incomplete,
    restart,
    reload,
    waiting,
    quiet,
    relist: decisions.some((d) => d.relist),
    reloadConfig: decisions.some((d) => d.action === 'reload-config'),
    refreshProject: decisions.some((d) => d.action === 'refresh-project'),
  };
}

/**
 * A batch's net effect: each file read again once the watcher is in sync and compared with
 * the last build's view. Same bytes, or the same tokens on the same lines, is no change.
 * Until `commit` (the build finished: what was read is the new baseline) or `abandon` (it
 * was cancelled), changes of these files are compared with what was read.
 */
export function netEffect(
  batch: Batch,
  lineShifts: 'rebuild' | 'ignore',
  deps: IntakeDeps,
): {
  readonly plan: BatchPlan;
  include(paths: readonly string[]): void;
  commit(): void;
  abandon(): void;
  changedUnderBuild(): readonly string[];
} {
  const read = new Map<string, FileFacts | undefined>();
  const changed = (p: string): boolean => {
    const now = deps.read(p);
    read.set(p, now);
    const delta = contentDelta(deps.baseline.baseline(p, undefined), now);
    deps.baseline.remember(p, now);
    if (delta.kind === 'same-bytes') return false;
    const go = delta.kind === 'changed' ? delta.go : undefined;
    if (go === undefined || go.tokens !== 'same') return true;
    return go.lines === 'shifted' && lineShifts === 'rebuild';
  };
  deps.baseline.abandon();
  const plan = planBatch(batch, changed);
  if (plan.action !== 'nothing') deps.baseline.begin(read);
  return {
    plan,
    include: (paths) => {
      for (const p of paths) {
        const now = deps.read(p);
        read.set(p, now);
        deps.baseline.remember(p, now);
      }
    },
    commit: () => deps.baseline.commit(read),
    abandon: () => deps.baseline.abandon(),
    changedUnderBuild: () => deps.baseline.changedUnderBuild(),
  };
}
