import { type Emit, errorInfo, type StopReason } from '../report/events.js';
import type { Scheduler, SchedulerDecision } from '../schedule/scheduler.js';
import type { Watcher } from '../watch/types.js';
import { scheduleEvent } from './to-events.js';

/** The scheduler's decisions as events: a failed cycle is reported and survived. */
export function reportSchedulerDecisions(emit: Emit): (d: SchedulerDecision) => void {
  return (d) => {
    if (d.type === 'failed') {
      emit({
        type: 'failed',
        during: 'cycle',
        generation: d.generation,
        error: errorInfo(d.error),
      });
      return;
    }
    const event = scheduleEvent(d);
    if (event) emit(event);
  };
}

/** Reactions (config reload, project refresh) that run one at a time, in order. */
export interface SerialReactions {
  /** Queues a task; its failure is reported as `during` and survived. */
  run(during: 'config-reload' | 'project-refresh', task: () => Promise<void>): void;
  /** Resolves once every task queued so far, and every task they queued, has finished. */
  drained(): Promise<void>;
}

/** Creates the reaction queue of a session; nothing runs once `stopped()` is true. */
export function createSerialReactions(emit: Emit, stopped: () => boolean): SerialReactions {
  let chain = Promise.resolve();
  return {
    run(during, task) {
      if (stopped()) return;
      chain = chain
        .then(() => (stopped() ? undefined : task()))
        .catch((err: unknown) => {
          if (!stopped())
            emit({ type: 'failed', during, generation: undefined, error: errorInfo(err) });
        });
    },
    async drained() {
      // A reaction queued before `stopped` was set may still be running: let it finish.
      for (let settled = chain; ; settled = chain) {
        await settled;
        if (settled === chain) break;
      }
    },
  };
}

/** What a session's watch loop is made of, for {@link stopWatchLoop}. */
export interface WatchLoopParts {
  /** Aborted first: a go env / go list of a reaction never holds the shutdown up. */
  readonly lifetime: AbortController;
  readonly emit: Emit;
  readonly scheduler: Pick<Scheduler, 'close'>;
  readonly reactions: SerialReactions;
  readonly watcher: Watcher | undefined;
}

/**
 * The common part of a graceful stop: abort the lifetime, say why, cancel the running cycle,
 * let queued reactions finish, release the watches.
 */
export async function stopWatchLoop(parts: WatchLoopParts, reason: StopReason): Promise<void> {
  parts.lifetime.abort();
  parts.emit({ type: 'stopping', reason });
  await parts.scheduler.close();
  await parts.reactions.drained();
  await parts.watcher?.close();
}
