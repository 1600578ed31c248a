import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { BatchPlan } from '../classify/net-effect.js';
import { DEV_LDFLAGS, runBuild } from '../compile/build.js';
import { identifyBinary } from '../compile/build-id.js';
import { createProgressCounter } from '../compile/build-progress.js';
import { decideSwap, type RunSettings, type StartedApp } from '../compile/swap.js';
import type { BuildSpec } from '../compile/types.js';
import { goBuildFlags } from '../config/build-flags.js';
import { envFromFiles } from '../config/dotenv.js';
import type { HookName, ResolvedConfig } from '../config/types.js';
import { loadGoDebugTrace } from '../go/debug-trace.js';
import type { Emit } from '../report/events.js';
import type { RuleOutputWindow } from '../rules/output-window.js';
import type { RuleSet } from '../rules/rule-set.js';
import { type HookResult, runHook, shutdownOnly } from '../rules/run-hooks.js';
import { type RulesResult, runRules } from '../rules/run-rules.js';
import type { RunDir } from '../run/run-dir.js';
import type { Supervisor } from '../run/types.js';
import {
  type Batch,
  type CycleOutcome,
  type CycleTiming,
  cancelReasonOf,
} from '../schedule/scheduler.js';
import { type AppSwap, createAppSwap } from './app-swap.js';

/** What one reload cycle needs; the session owns all of it. */
export interface ReloadCycleDeps {
  readonly goBin: string;
  /** The module root go build runs in (it can change with a go.work edit). */
  readonly moduleRoot: () => string;
  readonly cwd: string;
  /** Where the app is built (a stable path), go's GOTMPDIR, and the check before each build. */
  readonly runDir: Pick<RunDir, 'binary' | 'goTmpDir' | 'verify'>;
  readonly useJson: boolean;
  readonly config: () => ResolvedConfig;
  readonly mainPackage: () => string;
  readonly supervisor: Supervisor;
  readonly emit: Emit;
  /** Resolves once every change made so far has reached the scheduler. */
  readonly syncWatcher: () => Promise<void>;
  /** Ask go for its own trace of each build and emit it (`build-trace`). @default false */
  readonly traceBuilds?: boolean;
  /**
   * Stops and starts the app, with readiness checks; the session shares it to stop the app
   * on shutdown. @default one of the cycle's own over `supervisor`
   */
  readonly apps?: AppSwap;
  /** How many packages the binary is built from, once go list answered (progress totals). */
  readonly packageCount?: () => number | undefined;
  /**
   * The batch's net effect, read once the watcher is in sync; `commit` records what the
   * build read as the new baseline, called when the build finished (built or failed);
   * `abandon` when it did not (cancelled, or the cycle failed). `changedUnderBuild`: build
   * inputs that changed while the build ran without needing a build by themselves.
   * @default every file of the batch changed, nothing to commit
   */
  readonly netEffect?: (batch: Batch) => NetEffect;
  /** Generator rules, and the window that folds their outputs into the cycle. @default none */
  readonly rules?: {
    readonly set: () => RuleSet;
    readonly window: RuleOutputWindow;
  };
}

/** A batch's net effect and what the build read (see {@link ReloadCycleDeps.netEffect}). */
export interface NetEffect {
  readonly plan: BatchPlan;
  /** Reads these files too (a rule's outputs): the build reads them and commits them as built. */
  include(paths: readonly string[]): void;
  commit(): void;
  abandon(): void;
  /** Build inputs that changed under the running build without needing a build by themselves. */
  changedUnderBuild(): readonly string[];
}

/** The environment that tells the app it runs under gohot, and how often it was reloaded. */
export function gohotEnv(starts: number): Record<string, string> {
  return { GOHOT: '1', GOHOT_RELOAD: String(starts) };
}

const buildEverything = (batch: Batch): NetEffect => ({
  plan: { action: 'build', files: batch.files, unchanged: [] } satisfies BatchPlan,
  include() {},
  commit() {},
  abandon() {},
  changedUnderBuild: () => [],
});

/**
 * The ldflags of a dev build: without `debug`, DWARF and the symbol table are dropped
 * (`-s -w`), which cuts link time, the bulk of an incremental build, by about a quarter.
 */
export function devLdflags(build: { readonly ldflags: string; readonly debug: boolean }): string {
  if (build.debug) return build.ldflags;
  return build.ldflags === '' ? DEV_LDFLAGS : `${DEV_LDFLAGS} ${build.ldflags}`;
}

/**
 * Waits until a leading-edge cycle's quiet window has passed (at once for any other cycle);
 * false when `signal` aborted first.
 */
async function windowPassed(timing: CycleTiming, signal: AbortSignal): Promise<boolean> {
  const left = (timing.provisionalUntil ?? 0) - performance.now();
  if (left > 0 && !signal.aborted) {
    await delay(left, undefined, { signal }).catch(() => undefined);
  }
  return !signal.aborted;
}

/**
 * Creates the cycle the scheduler runs: sync the watcher, build (cancellable), then swap
 * the running app. The swap is not cancellable: once a build succeeded, the new binary is
 * started even if another change arrived meanwhile (that change gets its own cycle). A new
 * binary with the content ID of the one the running app was started from is the same
 * program: the app keeps running (see `decideSwap`).
 */
export function createReloadCycle(deps: ReloadCycleDeps) {
  let started = false;
  let starts = 0;
  // The app this cycle started last, with the build ID its binary had right after the build.
  let current: StartedApp | undefined;
  // The output file holds a build the running app was not started from (a build cancelled in
  // its window, or one whose beforeStart hook failed): a restart-only change builds first.
  let outputStale = false;

  const apps = deps.apps ?? createAppSwap({ supervisor: deps.supervisor, emit: deps.emit });

  // Stops the running app and starts the binary with `settings`; `onReady` runs once the
  // app is ready or its check gave up (at once without a check), never holding the cycle.
  const swapApp = async (
    settings: RunSettings,
    onReady: Parameters<typeof apps.swap>[3],
  ): Promise<number> => {
    const config = deps.config();
    const env = { ...process.env, ...settings.env, ...gohotEnv(starts) };
    const spec = { binary: deps.runDir.binary, args: settings.args, env, cwd: deps.cwd };
    const pid = await apps.swap(spec, config.run.stopSignal, config.run.ready, onReady);
    starts++;
    started = true;
    return pid;
  };

  // The app's env files are read at every start: an edit restarts with what it says now.
  const runSettings = (config: ResolvedConfig): RunSettings => ({
    args: config.run.args,
    env: {
      ...envFromFiles(config.run.envFiles, deps.moduleRoot(), process.env),
      ...config.run.env,
    },
  });

  return async function runCycle(
    batch: Batch,
    signal: AbortSignal,
    timing: CycleTiming = { waitedMs: 0 },
  ): Promise<CycleOutcome> {
    // Sync before build: a save of several files is fully seen before go build reads them.
    await deps.syncWatcher();
    if (signal.aborted) return 'cancelled';

    const effect = (deps.netEffect ?? buildEverything)(batch);
    try {
      return await cycle(batch, signal, effect, timing);
    } finally {
      // A no-op after commit; otherwise the build did not finish and its reads are no baseline.
      effect.abandon();
    }
  };

  async function cycle(
    batch: Batch,
    signal: AbortSignal,
    effect: NetEffect,
    timing: CycleTiming,
  ): Promise<CycleOutcome> {
    const { commit, changedUnderBuild } = effect;
    let plan = effect.plan;
    // Outputs of rules that ran in a cycle that never built: this one builds them.
    if (plan.action === 'nothing' && (deps.rules?.window.carried.length ?? 0) > 0) {
      plan = { action: 'build', files: [], unchanged: plan.unchanged };
    }
    if (plan.unchanged.length > 0) {
      deps.emit({
        type: 'decision',
        stage: 'build',
        action: plan.action === 'nothing' ? 'skip' : 'drop',
        subject: batch.generation,
        reason: { by: 'no-net-change', files: plan.unchanged },
      });
    }
    if (plan.action === 'nothing') return 'done';
    const config = deps.config();
    const netBatch: Batch = { ...batch, files: plan.files };
    if (plan.action === 'restart' && current !== undefined && !outputStale) {
      // Read before the app stops: a broken env file fails the cycle and keeps the app.
      const settings = runSettings(config);
      if (!(await windowPassed(timing, signal))) return 'cancelled';
      commit();
      if (!(await beforeStart(config, signal))) return 'done';
      const binary = current.binary;
      const pid = await swapApp(settings, (_ready, times) =>
        deps.emit({
          type: 'restarted',
          batch: netBatch,
          restartMs: times.stopMs + times.startMs,
          pid: times.pid,
        }),
      );
      current = { pid, binary, settings };
      return 'done';
    }
    let rulesMs: number | undefined;
    if (deps.rules !== undefined) {
      const ran = await runRulesOf(batch, netBatch, plan.files, signal, effect);
      if (ran.status !== 'ok') return ran.status;
      rulesMs = ran.durationMs;
    }
    // Checked again before every build: a directory someone else re-created is never used.
    deps.runDir.verify();
    const output = deps.runDir.binary;
    const spec: BuildSpec = {
      goBin: deps.goBin,
      cwd: deps.moduleRoot(),
      pkg: deps.mainPackage(),
      output,
      flags: goBuildFlags(config.build),
      tags: config.build.tags,
      ldflags: devLdflags(config.build),
      // A name in gohot's private run directory: never a predictable path in a shared /tmp.
      debugTrace: deps.traceBuilds
        ? path.join(path.dirname(output), `build-trace-${batch.generation}.json`)
        : undefined,
      buildvcs: config.build.buildvcs,
      json: deps.useJson,
      progress: true,
      // go's work files and the C compiler's temporaries (cgo-gcc-input-*.c, cc*.s: go and
      // gcc use TMPDIR for those, not only GOTMPDIR) go to gohot's private directory, never
      // into the project: a TMPDIR inside the module retriggered builds in a loop.
      env: {
        ...envFromFiles(config.build.envFiles, deps.moduleRoot(), process.env),
        ...process.env,
        GOTMPDIR: deps.runDir.goTmpDir,
        TMPDIR: deps.runDir.goTmpDir,
        ...config.build.env,
      },
    };
    deps.emit({
      type: 'build-started',
      generation: batch.generation,
      files: plan.files,
    });
    const buildStart = performance.now();
    const progress = createProgressCounter({
      onProgress: (done) =>
        deps.emit({
          type: 'build-progress',
          generation: batch.generation,
          done,
          total: deps.packageCount?.(),
          elapsedMs: performance.now() - buildStart,
        }),
    });
    const result = await runBuild(spec, signal, (pkg) => progress.add(pkg));
    if (spec.debugTrace !== undefined) {
      // Also for a cancelled or failed build: the trace shows how far go got.
      const spans = loadGoDebugTrace(spec.debugTrace);
      if (spans.length > 0) {
        deps.emit({ type: 'build-trace', generation: batch.generation, spans });
      }
    }
    if (result.status === 'ok') {
      outputStale = true;
      deps.emit({
        type: 'build-finished',
        generation: batch.generation,
        durationMs: result.durationMs,
        output: result.output,
      });
    }
    // A build of a leading-edge cycle that ended within its window: wait for the window, in
    // which a newer save still cancels it (nothing is restarted or reported before).
    if (result.status !== 'cancelled') await windowPassed(timing, signal);
    if (result.status === 'cancelled' || signal.aborted) {
      deps.emit({
        type: 'decision',
        stage: 'build',
        action: 'cancel',
        subject: batch.generation,
        reason: cancelReasonOf(signal),
        durationMs: result.durationMs,
      });
      return 'cancelled';
    }
    if (result.status === 'failed') {
      // A checkout still writing when the build started: the compiler read a half-written
      // file ("expected 'package', found 'EOF'"). Its files changed since, so this failure is
      // not the project's: the batch goes back to the scheduler, judged again against the
      // last finished build, and builds once the files are complete.
      const underBuild = changedUnderBuild();
      if (underBuild.length > 0) {
        deps.emit({
          type: 'decision',
          stage: 'build',
          action: 'retry',
          subject: batch.generation,
          reason: { by: 'inputs-changed-while-failing', files: underBuild },
        });
        return 'cancelled';
      }
    }
    // A finished build moves the baseline, failed or not: changes made while it ran were
    // judged against what it read, and they must not be judged again against older content.
    commit();
    if (result.status === 'failed') {
      const state = deps.supervisor.state();
      deps.emit({
        type: 'build-failed',
        batch: netBatch,
        diagnostics: result.diagnostics,
        text: result.text,
        durationMs: result.durationMs,
        keptPid: state.status === 'running' ? state.app.pid : undefined,
      });
      return 'done';
    }

    // Read right after the build: the next build replaces the file. When go's early cutoff
    // left the file untouched (docs/facts.md#early-cutoff), it reads as the same program.
    const built = identifyBinary(output);
    const settings = runSettings(config);
    if (config.hooks.afterBuild.length > 0) {
      // Reported, and the new build is started anyway: the build itself succeeded.
      const after = await hook('afterBuild', config, swapSignal(signal));
      if (after.status === 'cancelled') return 'cancelled';
      if (after.status === 'failed') emitHookFailed(after, undefined);
    }
    const state = deps.supervisor.state();
    const swap = decideSwap({
      running: state.status === 'running' && state.app.pid === current?.pid ? current : undefined,
      built,
      settings,
      requested: batch.triggers.some((t) => t.kind === 'manual'),
      // Built first because the output was stale; the restart-only change still restarts.
      restartOnly: plan.action === 'restart',
    });
    if (swap.action === 'keep') {
      deps.emit({
        type: 'decision',
        stage: 'build',
        action: 'keep',
        subject: batch.generation,
        reason: swap.reason,
        batch: netBatch,
        pid: swap.pid,
        durationMs: result.durationMs,
      });
      // The same program as the running app's.
      outputStale = false;
      return 'done';
    }
    deps.emit({
      type: 'decision',
      stage: 'build',
      action: 'restart',
      subject: batch.generation,
      reason: swap.reason,
    });

    if (!(await beforeStart(config, signal))) return 'done';
    const first = !started && state.status === 'idle';
    const pid = await swapApp(settings, (ready, times) =>
      deps.emit({
        type: 'reloaded',
        batch: netBatch,
        buildMs: result.durationMs,
        restartMs: times.stopMs + times.startMs,
        pid: times.pid,
        first,
        ...(rulesMs === undefined ? {} : { rulesMs }),
        timings: {
          quietWindowMs: timing.waitedMs,
          buildMs: result.durationMs,
          stopMs: times.stopMs,
          startMs: times.startMs,
          readyMs: ready.status === 'ready' ? ready.ms : undefined,
        },
        ready,
      }),
    );
    current = { pid, binary: built, settings };
    outputStale = false;
    return 'done';
  }

  /** Runs one hook's commands from the module root, its output reported line by line. */
  function hook(name: HookName, config: ResolvedConfig, signal: AbortSignal) {
    return runHook(name, config.hooks[name], {
      cwd: deps.moduleRoot(),
      env: { ...process.env, GOHOT: '1' },
      timeoutMs: config.hooks.timeoutMs,
      signal,
      onLine: (text, stream) => deps.emit({ type: 'hook-output', hook: name, stream, text }),
    });
  }

  function runningPid(): number | undefined {
    const state = deps.supervisor.state();
    return state.status === 'running' ? state.app.pid : undefined;
  }

  function emitHookFailed(r: HookResult & { status: 'failed' }, keptPid: number | undefined) {
    deps.emit({ type: 'hook-failed', hook: r.hook, command: r.command, end: r.end, keptPid });
  }

  /** After a build the swap is not cancelled by newer changes, only by a shutdown. */
  function swapSignal(signal: AbortSignal): AbortSignal {
    return shutdownOnly(signal, () => cancelReasonOf(signal).by === 'shutdown');
  }

  /** Runs hooks.beforeStart; false when the app must not be (re)started (it failed). */
  async function beforeStart(config: ResolvedConfig, signal: AbortSignal): Promise<boolean> {
    if (config.hooks.beforeStart.length === 0) return true;
    const r = await hook('beforeStart', config, swapSignal(signal));
    if (r.status === 'failed') emitHookFailed(r, runningPid());
    return r.status === 'ok';
  }

  /**
   * Runs the rules this batch matched (all of them for a start, a manual rebuild or a config
   * change) with the output window open, then syncs the watcher so that every file they
   * wrote is folded into this cycle: the build reads it, and its content is recorded as
   * built, so a generator that rewrites or touches its outputs starts no further cycle.
   */
  async function runRulesOf(
    batch: Batch,
    netBatch: Batch,
    files: readonly string[],
    signal: AbortSignal,
    effect: NetEffect,
  ): Promise<{ readonly status: 'ok' | 'done' | 'cancelled'; readonly durationMs?: number }> {
    const stage = deps.rules!;
    const forced = batch.triggers.some((t) => t.kind !== 'change' && t.kind !== 'restart');
    const rules = stage.set().select(files, forced);
    const { window } = stage;
    const config = deps.config();
    if (rules.length === 0 && config.hooks.beforeBuild.length === 0) {
      effect.include(window.close());
      return { status: 'ok' };
    }
    window.open();
    let last = rules[0]?.name ?? 'hooks.beforeBuild';
    const ran = await runRules(rules, {
      moduleRoot: deps.moduleRoot(),
      env: { ...process.env, GOHOT: '1' },
      signal,
      onStart: (rule) => {
        last = rule.name;
        deps.emit({ type: 'rule-started', generation: batch.generation, rule: rule.name });
      },
    });
    // beforeBuild runs in the same window: what it writes (go generate) is built now too.
    let before: HookResult | undefined;
    if (ran.status === 'ok' && config.hooks.beforeBuild.length > 0 && !signal.aborted) {
      last = 'hooks.beforeBuild';
      before = await hook('beforeBuild', config, signal);
    }
    const result: RulesResult =
      before?.status === 'cancelled'
        ? { status: 'cancelled', rule: last, reason: before.reason }
        : ran;
    // What the rules wrote reaches the window before it closes: nothing of it is a trigger.
    await deps.syncWatcher();
    const outputs = window.close();
    if (result.status === 'cancelled' || signal.aborted) {
      window.carry(outputs);
      deps.emit({
        type: 'rule-cancelled',
        generation: batch.generation,
        rule: result.status === 'cancelled' ? result.rule : last,
        reason: cancelReasonOf(signal),
      });
      return { status: 'cancelled' };
    }
    if (result.status === 'failed') {
      // Like a failed build: the batch's files count as seen; the outputs wait for a build.
      window.carry(outputs);
      effect.commit();
      const state = deps.supervisor.state();
      deps.emit({
        type: 'rule-failed',
        batch: netBatch,
        rule: result.rule,
        end: result.end,
        text: result.text,
        durationMs: result.durationMs,
        keptPid: state.status === 'running' ? state.app.pid : undefined,
      });
      return { status: 'done' };
    }
    if (before?.status === 'failed') {
      window.carry(outputs);
      effect.commit();
      emitHookFailed(before, runningPid());
      return { status: 'done' };
    }
    effect.include(outputs);
    return {
      status: 'ok',
      ...(rules.length > 0 ? { durationMs: result.durationMs } : {}),
    };
  }
}
