import type { BatchPlan } from '../classify/net-effect.js';
import { DEV_LDFLAGS, runBuild } from '../compile/build.js';
import { identifyBinary } from '../compile/build-id.js';
import { decideSwap, type RunSettings, type StartedApp } from '../compile/swap.js';
import type { BuildSpec } from '../compile/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Emit } from '../report/events.js';
import type { RunDir } from '../run/run-dir.js';
import type { Supervisor } from '../run/types.js';
import { type Batch, type CycleOutcome, cancelReasonOf } from '../schedule/scheduler.js';

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
  /** Called with the pid of each app started. */
  readonly onStarted?: (pid: number) => void;
  /**
   * The batch's net effect, read once the watcher is in sync; `commit` records what the
   * build read as the new baseline, called when the build finished (built or failed);
   * `abandon` when it did not (cancelled, or the cycle failed).
   * @default every file of the batch changed, nothing to commit
   */
  readonly netEffect?: (batch: Batch) => {
    readonly plan: BatchPlan;
    commit(): void;
    abandon(): void;
  };
}

/** The environment that tells the app it runs under gohot, and how often it was reloaded. */
export function gohotEnv(starts: number): Record<string, string> {
  return { GOHOT: '1', GOHOT_RELOAD: String(starts) };
}

const buildEverything = (batch: Batch) => ({
  plan: { action: 'build', files: batch.files, unchanged: [] } satisfies BatchPlan,
  commit() {},
  abandon() {},
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

  const startApp = (settings: RunSettings): number => {
    const pid = deps.supervisor.start({
      binary: deps.runDir.binary,
      args: settings.args,
      env: { ...process.env, ...settings.env, ...gohotEnv(starts) },
      cwd: deps.cwd,
    });
    starts++;
    started = true;
    deps.onStarted?.(pid);
    return pid;
  };

  // Told before the stop, so that a proxy holds new requests for the next app.
  const stopApp = async () => {
    const state = deps.supervisor.state();
    if (state.status === 'running') deps.emit({ type: 'app-stopping', pid: state.app.pid });
    await deps.supervisor.stop();
  };

  return async function runCycle(batch: Batch, signal: AbortSignal): Promise<CycleOutcome> {
    // Sync before build: a save of several files is fully seen before go build reads them.
    await deps.syncWatcher();
    if (signal.aborted) return 'cancelled';

    const effect = (deps.netEffect ?? buildEverything)(batch);
    try {
      return await cycle(batch, signal, effect);
    } finally {
      // A no-op after commit; otherwise the build did not finish and its reads are no baseline.
      effect.abandon();
    }
  };

  async function cycle(
    batch: Batch,
    signal: AbortSignal,
    { plan, commit }: { readonly plan: BatchPlan; commit(): void },
  ): Promise<CycleOutcome> {
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
    if (plan.action === 'restart' && current !== undefined) {
      const swapStart = performance.now();
      await stopApp();
      const settings: RunSettings = { args: config.run.args, env: config.run.env };
      const pid = startApp(settings);
      current = { pid, binary: current.binary, settings };
      deps.emit({
        type: 'restarted',
        batch: netBatch,
        restartMs: performance.now() - swapStart,
        pid,
      });
      commit();
      return 'done';
    }
    // Checked again before every build: a directory someone else re-created is never used.
    deps.runDir.verify();
    const output = deps.runDir.binary;
    const spec: BuildSpec = {
      goBin: deps.goBin,
      cwd: deps.moduleRoot(),
      pkg: deps.mainPackage(),
      output,
      flags: config.build.flags,
      tags: config.build.tags,
      ldflags: devLdflags(config.build),
      buildvcs: config.build.buildvcs,
      json: deps.useJson,
      // go's work files and the C compiler's temporaries (cgo-gcc-input-*.c, cc*.s: go and
      // gcc use TMPDIR for those, not only GOTMPDIR) go to gohot's private directory, never
      // into the project: a TMPDIR inside the module retriggered builds in a loop.
      env: {
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
    const result = await runBuild(spec, signal);
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
    const settings: RunSettings = { args: config.run.args, env: config.run.env };
    const state = deps.supervisor.state();
    const swap = decideSwap({
      running: state.status === 'running' && state.app.pid === current?.pid ? current : undefined,
      built,
      settings,
      requested: batch.triggers.some((t) => t.kind === 'manual'),
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
      return 'done';
    }
    deps.emit({
      type: 'decision',
      stage: 'build',
      action: 'restart',
      subject: batch.generation,
      reason: swap.reason,
    });

    const swapStart = performance.now();
    const first = !started && state.status === 'idle';
    await stopApp();
    const pid = startApp(settings);
    const restartMs = performance.now() - swapStart;
    current = { pid, binary: built, settings };
    deps.emit({
      type: 'reloaded',
      batch: netBatch,
      buildMs: result.durationMs,
      restartMs,
      pid,
      first,
    });
    return 'done';
  }
}
