import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DEV_LDFLAGS, runBuild } from '../compile/build.js';
import type { BuildSpec } from '../compile/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Emit } from '../report/events.js';
import type { Supervisor } from '../run/types.js';
import { type Batch, type CycleOutcome, cancelReasonOf } from '../schedule/scheduler.js';

/** What one reload cycle needs; the session owns all of it. */
export interface ReloadCycleDeps {
  readonly goBin: string;
  /** The module root go build runs in (it can change with a go.work edit). */
  readonly moduleRoot: () => string;
  readonly cwd: string;
  readonly outDir: string;
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
 * started even if another change arrived meanwhile (that change gets its own cycle).
 */
export function createReloadCycle(deps: ReloadCycleDeps) {
  let previousBinary: string | undefined;

  return async function runCycle(batch: Batch, signal: AbortSignal): Promise<CycleOutcome> {
    // Sync before build: a save of several files is fully seen before go build reads them.
    await deps.syncWatcher();
    if (signal.aborted) return 'cancelled';

    const config = deps.config();
    const output = path.join(deps.outDir, `app-${batch.generation}`);
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
      env: { ...process.env, ...config.build.env },
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
      await rm(output, { force: true });
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

    const swapStart = performance.now();
    const first = previousBinary === undefined && deps.supervisor.state().status === 'idle';
    await deps.supervisor.stop();
    const pid = deps.supervisor.start({
      binary: output,
      args: config.run.args,
      env: { ...process.env, ...config.run.env },
      cwd: deps.cwd,
    });
    const restartMs = performance.now() - swapStart;
    deps.onStarted?.(pid);
    if (previousBinary) await rm(previousBinary, { force: true });
    previousBinary = output;
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
