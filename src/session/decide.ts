import type { ChangeReason, ClassifyContext } from '../classify/classify.js';
import type { DecisionInputs } from '../classify/contexts.js';
import type { FilterModel } from '../classify/model-view.js';
import type { RootsMatcher } from '../config/roots-matcher.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Emit } from '../report/events.js';
import type { Trigger } from '../schedule/scheduler.js';
import type { FileChange } from '../watch/types.js';
import { type IntakeDeps, intake } from './intake.js';
import type { ModelKeeper } from './model-keeper.js';
import { classifyEvent } from './to-events.js';

/** Ignore reasons that a new package graph can overturn. */
const GRAPH_REASONS: ReadonlySet<ChangeReason['by']> = new Set([
  'outside-closure',
  'not-in-build',
  'constraint-excluded',
]);

/** What a session's decision inputs are made from. */
export interface DecisionSource {
  readonly roots: readonly string[];
  readonly project: { readonly workFile: string | undefined };
  readonly matcher: RootsMatcher;
  readonly restartMatcher: RootsMatcher;
  /** `proxy.reloadOnly`: files a page reload serves (none without the proxy). */
  readonly reloadMatcher?: RootsMatcher;
  readonly config: ResolvedConfig;
}

/** The decision inputs of a session state: the same for the classifier and the watch filter. */
export function inputsOf(
  s: DecisionSource,
  configFiles: ReadonlySet<string>,
  model: () => FilterModel | undefined,
  purpose: DecisionInputs['purpose'] = 'run',
): DecisionInputs {
  return {
    roots: s.roots,
    workFile: s.project.workFile,
    configFiles,
    matcher: s.matcher,
    restartMatcher: s.restartMatcher,
    ...(s.reloadMatcher === undefined ? {} : { reloadMatcher: s.reloadMatcher }),
    model,
    lineShifts: s.config.watch.lineShifts,
    purpose,
  };
}

/** What the decider reads and where routed changes go. */
export interface DeciderDeps {
  readonly stopped: () => boolean;
  readonly classifyContext: (afterRelist: boolean) => ClassifyContext;
  readonly facts: IntakeDeps;
  readonly models: Pick<ModelKeeper, 'pending' | 'settled' | 'relist'>;
  readonly emit: Emit;
  readonly reloadConfig: () => void;
  readonly refreshProject: () => void;
  readonly push: (trigger: Trigger) => void;
  /**
   * Takes what a running generator rule wrote out of the changes (it belongs to that rule's
   * cycle, src/rules/output-window.ts); `structural`: the graph may have changed. @default none
   */
  readonly absorb?: (changes: readonly FileChange[]) => {
    readonly rest: readonly FileChange[];
    readonly structural: boolean;
  };
  /** Build inputs were written without needing a build (comment edits). @default nothing */
  readonly activity?: () => void;
  /** Only `proxy.reloadOnly` files changed: pages reload. @default nothing */
  readonly assetsChanged?: (files: readonly string[]) => void;
}

/**
 * The intake of a session: decides verified changes, reports each decision, and routes
 * them (a config reload, a project refresh, a relist, a trigger for the scheduler).
 */
export function createDecider(
  deps: DeciderDeps,
): (changes: readonly FileChange[], afterRelist?: boolean) => void {
  const { models } = deps;
  const decide = (all: readonly FileChange[], afterRelist = false) => {
    if (deps.stopped()) return;
    let changes = all;
    if (deps.absorb !== undefined) {
      const { rest, structural } = deps.absorb(all);
      if (structural) void models.relist();
      changes = rest;
    }
    if (changes.length === 0) return;
    const routed = intake(changes, deps.classifyContext(afterRelist), deps.facts);
    // While the graph is being listed again (an import was just added), "not imported" may
    // be stale: such changes are decided again on the new graph instead of dropped.
    const stale = models.pending()
      ? routed.decisions.filter((d) => d.action === 'ignore' && GRAPH_REASONS.has(d.reason.by))
      : [];
    if (stale.length > 0) {
      const again = stale.map((d) => d.change);
      void models.settled().then(() => decide(again, false));
    }
    for (const d of routed.decisions) if (!stale.includes(d)) deps.emit(classifyEvent(d));
    if (routed.reloadConfig) deps.reloadConfig();
    if (routed.refreshProject) deps.refreshProject();
    else if (routed.relist || routed.waiting.length > 0) {
      const waiting = routed.waiting;
      void models.relist().then(() => {
        if (waiting.length > 0) decide(waiting, true);
      });
    }
    if (routed.rebuild.length > 0) {
      deps.push({
        kind: 'change',
        files: routed.rebuild,
        deletes: routed.deletes,
        ...(routed.incomplete ? { incomplete: true } : {}),
      });
    }
    if (routed.restart.length > 0) deps.push({ kind: 'restart', files: routed.restart });
    // A checkout writes hundreds of files, most of them comment edits: a due build waits
    // until they are written instead of reading them half-done.
    if (routed.quiet.length > 0 && !deps.stopped()) deps.activity?.();
    if (routed.reload.length > 0) deps.assetsChanged?.(routed.reload);
  };
  return decide;
}
