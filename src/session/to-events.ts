import type { ChangeDecision } from '../classify/classify.js';
import type { Decision, SessionEventBody } from '../report/events.js';
import type { SchedulerDecision } from '../schedule/scheduler.js';
import type { WatchObservation } from '../watch/types.js';

/** A classification as a decision event of the classify stage. */
export function classifyEvent(d: ChangeDecision): SessionEventBody {
  return {
    type: 'decision',
    stage: 'classify',
    action: d.action,
    subject: d.change.path,
    reason: d.reason,
    change: d.change,
    relist: d.relist,
  };
}

/** A scheduler decision as a decision event (undefined for a failure, reported on its own). */
export function scheduleEvent(d: SchedulerDecision): SessionEventBody | undefined {
  const decision = scheduleDecision(d);
  return decision && { type: 'decision', ...decision };
}

function scheduleDecision(d: SchedulerDecision): Decision | undefined {
  switch (d.type) {
    case 'queued':
      return {
        stage: 'schedule',
        action: 'queue',
        subject: d.trigger,
        reason: { quietWindowMs: d.quietWindowMs },
      };
    case 'superseded':
      return { stage: 'schedule', action: 'cancel', subject: d.generation, reason: d.reason };
    case 'kept':
      return { stage: 'schedule', action: 'keep', subject: d.generation, reason: d.reason };
    case 'started':
      return {
        stage: 'schedule',
        action: 'start',
        subject: d.batch.generation,
        batch: d.batch,
        ...(d.leadingEdge
          ? { reason: { by: 'leading-edge', quietWindowMs: d.leadingEdge.quietWindowMs } }
          : {}),
      };
    case 'finished':
      return { stage: 'schedule', action: 'finish', subject: d.generation, outcome: d.outcome };
    case 'requeued':
      return { stage: 'schedule', action: 'requeue', subject: d.generation, triggers: d.triggers };
    case 'held':
      return {
        stage: 'schedule',
        action: 'hold',
        subject: d.generation,
        reason: { by: 'inputs-written', maxHoldMs: d.maxHoldMs },
      };
    case 'failed':
      return undefined;
  }
}

/**
 * A watcher observation as an event: the watcher's own decisions (an event it did not count,
 * and why) become decision events of the watch stage; the rest stay observations.
 */
export function watchEvent(o: WatchObservation): SessionEventBody {
  switch (o.type) {
    case 'dir-skipped':
      return {
        type: 'decision',
        stage: 'watch',
        action: 'skip-dir',
        subject: o.path,
        reason: o.reason,
      };
    case 'file-untracked':
      return {
        type: 'decision',
        stage: 'watch',
        action: 'skip-file',
        subject: o.path,
        reason: o.verdict.reason,
      };
    case 'content-unchanged':
      return {
        type: 'decision',
        stage: 'watch',
        action: 'skip-unchanged',
        subject: o.path,
        reason: { by: 'same-content', via: o.via },
      };
    default:
      return { type: 'watch', observation: o };
  }
}
