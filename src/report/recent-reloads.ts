import type { Batch } from '../schedule/scheduler.js';
import type { ReloadTimings, Reporter, SessionEvent } from './events.js';

/** How many reloads a session keeps for `gohot inspect`. */
export const RECENT_RELOADS = 20;

/** One finished cycle of a session, with its timings, as `gohot inspect` shows it. */
export type RecentReload = {
  /** Wall-clock time the cycle finished, ISO 8601. */
  readonly at: string;
  readonly batch: Batch;
} & (
  | {
      /** Built, and the app (re)started. */
      readonly outcome: 'reloaded';
      readonly buildMs: number;
      readonly restartMs: number;
      readonly pid: number;
      /** The first start of the session. */
      readonly first: boolean;
      /** Where the time went: quiet window, build, stop, start, until ready. */
      readonly timings: ReloadTimings;
    }
  | {
      /** Only restart-only files changed: restarted without a build. */
      readonly outcome: 'restarted';
      readonly restartMs: number;
      readonly pid: number;
    }
  | {
      /** Built, and the binary was the program already running: the app stayed. */
      readonly outcome: 'kept';
      readonly buildMs: number;
      readonly pid: number;
    }
  | {
      readonly outcome: 'build-failed';
      readonly buildMs: number;
      /** Compiler diagnostics of the failed build. */
      readonly diagnostics: number;
      /** The previous app that keeps serving, if any. */
      readonly keptPid: number | null;
    }
);

/** A reporter that keeps the last reloads of a session. */
export interface RecentReloads extends Reporter {
  /** The kept reloads, oldest first. */
  list(): readonly RecentReload[];
}

/**
 * Creates the ring buffer of the last `capacity` reloads. `timeOrigin` turns the events'
 * monotonic time stamps into wall-clock time (performance.timeOrigin by default).
 */
export function createRecentReloads(
  capacity: number = RECENT_RELOADS,
  timeOrigin: number = performance.timeOrigin,
): RecentReloads {
  const kept: RecentReload[] = [];
  const keep = (reload: RecentReload) => {
    kept.push(reload);
    if (kept.length > capacity) kept.splice(0, kept.length - capacity);
  };
  const at = (event: SessionEvent) => new Date(timeOrigin + event.time).toISOString();
  return {
    report(event) {
      switch (event.type) {
        case 'reloaded':
          keep({
            at: at(event),
            batch: event.batch,
            outcome: 'reloaded',
            buildMs: event.buildMs,
            restartMs: event.restartMs,
            pid: event.pid,
            first: event.first,
            timings: event.timings,
          });
          return;
        case 'restarted':
          keep({
            at: at(event),
            batch: event.batch,
            outcome: 'restarted',
            restartMs: event.restartMs,
            pid: event.pid,
          });
          return;
        case 'build-failed':
          keep({
            at: at(event),
            batch: event.batch,
            outcome: 'build-failed',
            buildMs: event.durationMs,
            diagnostics: event.diagnostics.length,
            keptPid: event.keptPid ?? null,
          });
          return;
        case 'decision':
          if (event.stage === 'build' && event.action === 'keep') {
            keep({
              at: at(event),
              batch: event.batch,
              outcome: 'kept',
              buildMs: event.durationMs,
              pid: event.pid,
            });
          }
          return;
        default:
          return;
      }
    },
    list: () => [...kept],
  };
}
