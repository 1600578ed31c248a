import { type Emit, errorInfo } from '../report/events.js';
import type { SchedulerDecision } from '../schedule/scheduler.js';
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
