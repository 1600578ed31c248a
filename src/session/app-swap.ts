import type { Emit } from '../report/events.js';
import {
  type ReadyAbort,
  type ReadyCheck,
  type ReadyOutcome,
  waitForReady,
} from '../run/readiness.js';
import type { StartSpec, Supervisor } from '../run/types.js';

/** What the stop and start of one app took, and how it became ready (or why not). */
export interface SwapTimes {
  readonly pid: number;
  readonly stopMs: number;
  readonly startMs: number;
}

/** The app's stop and start, with readiness checks: see {@link createAppSwap}. */
export type AppSwap = ReturnType<typeof createAppSwap>;

/**
 * Stops and starts the app for the reload cycle, reporting `app-stopping`, `app-stopped`,
 * `app-started` and `app-ready`, and runs the readiness check of each app it starts. A
 * check never holds a cycle up: it runs on its own and is given up (AbortSignal) when the
 * app exits, which is a crash and never "ready", or when gohot stops it first.
 */
export function createAppSwap(deps: {
  readonly supervisor: Supervisor;
  readonly emit: Emit;
  /**
   * Called with each app's pid right after the spawn, before anything about it is reported:
   * a gohot SIGKILLed the moment its "started pid" line is read has recorded its app already.
   */
  readonly onSpawned?: (pid: number) => void;
}) {
  const { supervisor, emit } = deps;
  let checking: AbortController | undefined;

  const stop = async (signal: NodeJS.Signals): Promise<number> => {
    checking?.abort({ by: 'stopped' } satisfies ReadyAbort);
    checking = undefined;
    const state = supervisor.state();
    const pid =
      state.status === 'running' || state.status === 'stopping' ? state.app.pid : undefined;
    const startedAt = performance.now();
    if (pid !== undefined) emit({ type: 'app-stopping', pid, signal });
    const exit = await supervisor.stop();
    const durationMs = performance.now() - startedAt;
    if (pid !== undefined) {
      const sigkill = exit?.kind === 'stopped' && exit.sigkill;
      emit({ type: 'app-stopped', pid, durationMs, sigkill });
    }
    return durationMs;
  };

  /**
   * Stops the running app and starts `spec`; `onReady` gets the outcome of `check`, at once
   * (before this returns) when there is no check.
   */
  const swap = async (
    spec: Omit<StartSpec, 'output'>,
    stopSignal: NodeJS.Signals,
    check: ReadyCheck,
    onReady: (outcome: ReadyOutcome, times: SwapTimes) => void,
  ): Promise<number> => {
    const stopMs = await stop(stopSignal);
    const spawnAt = performance.now();
    const pid = supervisor.start({ ...spec, output: check.kind === 'log' ? 'tap' : 'inherit' });
    const startMs = performance.now() - spawnAt;
    deps.onSpawned?.(pid);
    emit({ type: 'app-started', pid });
    const times: SwapTimes = { pid, stopMs, startMs };
    const finish = (outcome: ReadyOutcome) => {
      if (outcome.status === 'ready') {
        emit({ type: 'app-ready', pid, how: outcome.how, ms: outcome.ms });
      }
      onReady(outcome, times);
    };
    const state = supervisor.state();
    if (check.kind === 'none' || state.status !== 'running') {
      finish(
        check.kind === 'none' || state.status === 'running'
          ? { status: 'ready', how: 'spawned', ms: startMs }
          : { status: 'exited' },
      );
      return pid;
    }
    const controller = new AbortController();
    checking = controller;
    void state.app.exited.then(() => {
      // The supervisor saw the exit first: `ended` there is an exit gohot did not ask for.
      const now = supervisor.state();
      const crashed = now.status === 'exited' && now.pid === pid && now.exit.kind === 'ended';
      controller.abort((crashed ? { by: 'exited' } : { by: 'stopped' }) satisfies ReadyAbort);
    });
    void waitForReady(check, {
      signal: controller.signal,
      startedAt: spawnAt,
      lines: state.lines,
    }).then((outcome) => {
      if (checking === controller) checking = undefined;
      finish(outcome);
    });
    return pid;
  };

  return { stop, swap };
}
