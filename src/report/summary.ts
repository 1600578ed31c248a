import type { ChangeReason } from '../classify/classify.js';
import type { SessionEvent } from './events.js';

/** Why a change did not restart the app, as the summary counts it. */
export type AvoidedReason =
  | 'comments-only'
  | 'test-file'
  | 'not-imported'
  | 'build-constraint'
  | 'not-in-build'
  | 'same-content'
  | 'no-net-change'
  | 'identical-binary';

/** A median and a 90th percentile (nearest rank), in ms. */
export interface Percentiles {
  readonly count: number;
  readonly medianMs: number;
  readonly p90Ms: number;
}

/** What one session did, computed from its events. */
export interface SessionSummary {
  /** Restarts after the first start: rebuilt and restarted, or restarted without a build. */
  readonly reloads: number;
  /** Builds that finished (succeeded or failed); cancelled ones are counted apart. */
  readonly builds: number;
  readonly failedBuilds: number;
  readonly cancelledBuilds: number;
  /** Builds that failed while their inputs were still being written: built again, apart. */
  readonly retriedBuilds: number;
  /** Changes that did not restart the app, by reason, most frequent first. */
  readonly avoided: readonly { readonly reason: AvoidedReason; readonly count: number }[];
  /** Durations of the builds that finished. */
  readonly build: Percentiles | undefined;
  /** From the first change seen to the new app being ready, for reloads caused by changes. */
  readonly saveToReady: Percentiles | undefined;
}

const CLASSIFY_AVOIDED: Partial<Record<ChangeReason['by'], AvoidedReason>> = {
  'comments-only': 'comments-only',
  'test-file': 'test-file',
  'outside-closure': 'not-imported',
  'constraint-excluded': 'build-constraint',
  'not-in-build': 'not-in-build',
  'content-unchanged': 'same-content',
};

/** The value at rank ceil(p * n) of the sorted values (nearest-rank percentile). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
  };
}

/** Collects the events of a session and computes its {@link SessionSummary}. Pure. */
export function createSummaryCollector() {
  let reloads = 0;
  let failedBuilds = 0;
  let cancelledBuilds = 0;
  let retriedBuilds = 0;
  const buildMs: number[] = [];
  const saveToReadyMs: number[] = [];
  const avoided = new Map<AvoidedReason, number>();
  // Per path: was its last classification a restart avoided? An editor that truncates and
  // then writes sends two events: the first asks for a build that the net effect then skips,
  // and that skip is the same save as the comment-only edit already counted.
  const lastAvoided = new Map<string, boolean>();
  const avoid = (reason: AvoidedReason) => avoided.set(reason, (avoided.get(reason) ?? 0) + 1);

  return {
    add(event: SessionEvent): void {
      switch (event.type) {
        case 'reloaded': {
          buildMs.push(event.buildMs);
          if (event.first) return;
          reloads++;
          const t = event.timings;
          const bySave = event.batch.triggers.some((x) => x.kind === 'change');
          if (bySave && t.readyMs !== undefined) {
            saveToReadyMs.push(t.quietWindowMs + t.buildMs + t.stopMs + t.readyMs);
          }
          return;
        }
        case 'restarted':
          reloads++;
          return;
        case 'build-failed':
          failedBuilds++;
          buildMs.push(event.durationMs);
          return;
        case 'decision':
          if (event.stage === 'classify') {
            const reason =
              event.action === 'ignore' ? CLASSIFY_AVOIDED[event.reason.by] : undefined;
            if (reason !== undefined) avoid(reason);
            lastAvoided.set(event.subject, reason !== undefined);
          } else if (event.stage === 'build' && event.action === 'skip') {
            if (!event.reason.files.every((f) => lastAvoided.get(f) === true))
              avoid('no-net-change');
          } else if (event.stage === 'build' && event.action === 'keep') {
            buildMs.push(event.durationMs);
            avoid('identical-binary');
          } else if (event.stage === 'build' && event.action === 'cancel') {
            cancelledBuilds++;
          } else if (event.stage === 'build' && event.action === 'retry') {
            retriedBuilds++;
          }
          return;
        default:
          return;
      }
    },
    summary(): SessionSummary {
      return {
        reloads,
        builds: buildMs.length,
        failedBuilds,
        cancelledBuilds,
        retriedBuilds,
        avoided: [...avoided]
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        build: percentiles(buildMs),
        saveToReady: percentiles(saveToReadyMs),
      };
    },
  };
}
