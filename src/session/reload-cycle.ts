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
}

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
  // The app this cycle started last, with the build ID its binary had right after the build.
  let current: StartedApp | undefined;

  return async function runCycle(batch: Batch, signal: AbortSignal): Promise<CycleOutcome> {
    // Sync before build: a save of several files is fully seen before go build reads them.
    await deps.syncWatcher();
    if (signal.aborted) return 'cancelled';

    const config = deps.config();
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
      files: batch.files,
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
    if (result.status === 'failed') {
      const state = deps.supervisor.state();
      deps.emit({
        type: 'build-failed',
        batch,
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
        batch,
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
    await deps.supervisor.stop();
    const pid = deps.supervisor.start({
      binary: output,
      args: settings.args,
      env: { ...process.env, ...settings.env },
      cwd: deps.cwd,
    });
    const restartMs = performance.now() - swapStart;
    deps.onStarted?.(pid);
    started = true;
    current = { pid, binary: built, settings };
    deps.emit({
      type: 'reloaded',
      batch,
      buildMs: result.durationMs,
      restartMs,
      pid,
      first,
    });
    return 'done';
  };
}
