import type { BatchPlan } from '../classify/net-effect.js';
import type { ResolvedConfig } from '../config/types.js';
import type { TestGraph } from '../go/test-graph.js';
import type { TestFailure } from '../go/test-json.js';
import type { Diagnostic } from '../go/types.js';
import type { PackageRun, TestEmit } from '../report/test-events.js';
import { type Batch, type CycleOutcome, cancelReasonOf } from '../schedule/scheduler.js';
import {
  type PlannedInvocation,
  planRun,
  requestOf,
  type TestHistory,
} from '../testrun/plan-run.js';
import { runTests, type TestSpec, testArgs } from '../testrun/run-tests.js';

/** What one test cycle needs; the test session owns all of it. */
export interface TestCycleDeps {
  readonly goBin: string;
  /** The module root go test runs in. */
  readonly moduleRoot: () => string;
  readonly config: () => ResolvedConfig;
  /** The go test flags given after `--`. */
  readonly flags: readonly string[];
  /** The package patterns, relative to the module root (run as they are without a graph). */
  readonly patterns: readonly string[];
  /** The test graph as last listed; undefined until go list answered. */
  readonly graph: () => Promise<TestGraph | undefined>;
  readonly emit: TestEmit;
  /** Resolves once every change made so far has reached the scheduler. */
  readonly syncWatcher: () => Promise<void>;
  /** The batch's net effect (see reload-cycle.ts); commit once the run finished. */
  readonly netEffect: (batch: Batch) => {
    readonly plan: BatchPlan;
    commit(): void;
    abandon(): void;
  };
}

/**
 * Creates the cycle the scheduler runs in `gohot test`: sync the watcher, plan which
 * packages' tests the batch can change, run them with `go test -json` (cancellable: a
 * newer save kills the whole process group and its triggers join the next batch), report.
 */
export function createTestCycle(deps: TestCycleDeps) {
  let history: TestHistory = { last: undefined, failures: new Map() };

  return async function runCycle(batch: Batch, signal: AbortSignal): Promise<CycleOutcome> {
    await deps.syncWatcher();
    if (signal.aborted) return 'cancelled';
    const request = requestOf(batch);
    const effect =
      request.kind === 'changes'
        ? deps.netEffect(batch)
        : { plan: undefined, commit() {}, abandon() {} };
    try {
      if (effect.plan !== undefined && effect.plan.action === 'nothing') {
        deps.emit({
          type: 'test-run-skipped',
          batch,
          reason: { by: 'no-net-change', files: effect.plan.unchanged },
        });
        return 'done';
      }
      const files = effect.plan?.files ?? batch.files;
      const graph = await deps.graph();
      if (signal.aborted) return 'cancelled';
      const outcome = await run(
        { ...batch, files },
        request.kind === 'changes' ? { kind: 'changes', files } : request,
        graph,
        signal,
      );
      if (outcome === 'done') effect.commit();
      return outcome;
    } finally {
      effect.abandon();
    }
  };

  async function run(
    batch: Batch,
    request: ReturnType<typeof requestOf>,
    graph: TestGraph | undefined,
    signal: AbortSignal,
  ): Promise<CycleOutcome> {
    const config = deps.config();
    // Without a graph (go list failed), every selected package runs: go test will tell.
    const plan =
      graph === undefined
        ? undefined
        : planRun(
            request.kind === 'changes' && batch.files.length === 0 ? { kind: 'all' } : request,
            graph,
            history,
          );
    if (plan?.action === 'nothing') {
      deps.emit({ type: 'test-run-skipped', batch, reason: plan.reason });
      return 'done';
    }
    const invocations: readonly PlannedInvocation[] = plan?.invocations ?? [
      { packages: deps.patterns, run: undefined },
    ];
    const specs = invocations.map(
      (i): TestSpec => ({
        goBin: deps.goBin,
        cwd: deps.moduleRoot(),
        packages: i.packages,
        run: i.run,
        flags: deps.flags,
        tags: config.build.tags,
        env: { ...process.env, ...config.build.env },
      }),
    );
    if (plan !== undefined) {
      deps.emit({ type: 'test-run-started', batch, plan, commands: specs.map(testArgs) });
    }
    const startedAt = performance.now();
    const packages: PackageRun[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const spec of specs) {
      const r = await runTests(spec, signal);
      if (r.status === 'cancelled' || signal.aborted) {
        deps.emit({
          type: 'test-run-cancelled',
          generation: batch.generation,
          reason: cancelReasonOf(signal),
          durationMs: performance.now() - startedAt,
        });
        return 'cancelled';
      }
      if (r.status === 'not-started') {
        deps.emit({
          type: 'test-run-not-started',
          generation: batch.generation,
          message: r.message,
        });
        return 'done';
      }
      diagnostics.push(...r.diagnostics);
      for (const p of r.tally.packages) {
        const reason = plan?.selection.run.get(p.pkg) ?? { by: 'all' as const };
        const dir = graph?.model.packages.get(p.pkg)?.dir;
        packages.push({ ...p, dir, reason });
      }
    }
    const failures = new Map<string, readonly TestFailure[]>(history.failures);
    for (const p of packages) {
      if (p.failures.length > 0) failures.set(p.pkg, p.failures);
      // A rerun of only the failed tests says nothing of the others; a full run does.
      else if (plan?.request !== 'failed' || p.outcome === 'pass') failures.delete(p.pkg);
    }
    history = { last: invocations, failures };
    deps.emit({
      type: 'test-run-finished',
      batch,
      request: plan?.request ?? 'all',
      packages,
      skipped: plan?.selection.skipped ?? [],
      diagnostics,
      durationMs: performance.now() - startedAt,
    });
    return 'done';
  }
}
