import { formatMs } from '../duration.js';
import type { SessionEventBody } from './events.js';
import type { AvoidedReason, Percentiles, SessionSummary } from './summary.js';

type Reloaded = Extract<SessionEventBody, { type: 'reloaded' }>;

/**
 * Where the time of a reload went, for the end of its line:
 * `stop 12 ms, start 3 ms, ready 35 ms; waited 10 ms`. The stop and the wait are left out
 * of the first start; `ready` only when a check was configured.
 */
export function describeReloadTimes(event: Pick<Reloaded, 'first' | 'timings' | 'ready'>): string {
  const t = event.timings;
  const parts: string[] = [];
  if (!event.first) parts.push(`stop ${formatMs(t.stopMs)}`);
  parts.push(`start ${formatMs(t.startMs)}`);
  const r = event.ready;
  if (r.status === 'ready' && r.how !== 'spawned') parts.push(`ready ${formatMs(r.ms)}`);
  else if (r.status === 'timed-out') parts.push(`not ready after ${formatMs(r.timeoutMs)}`);
  else if (r.status === 'exited') parts.push('exited before it was ready');
  else if (r.status === 'stopped') parts.push('stopped before it was ready');
  const waited = event.first ? '' : `; waited ${formatMs(t.quietWindowMs)}`;
  return `${parts.join(', ')}${waited}`;
}

/** `42/188 packages compiled`, or `42 packages compiled` without a total. */
export function describeProgress(done: number, total: number | undefined): string {
  return total === undefined || total < done
    ? `${done} packages compiled`
    : `${done}/${total} packages compiled`;
}

const AVOIDED_WORDS: Record<AvoidedReason, string> = {
  'comments-only': 'comment-only',
  'test-file': 'test file',
  'not-imported': 'not imported',
  'build-constraint': 'build constraint',
  'not-in-build': 'not in the build',
  'same-content': 'same content',
  'no-net-change': 'no net change',
  'identical-binary': 'identical binary',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const stats = (what: string, p: Percentiles) =>
  `${what} median ${formatMs(p.medianMs)}, p90 ${formatMs(p.p90Ms)}`;

/** The summary gohot prints on exit: counts, then timings; nothing when nothing was built. */
export function describeSummary(s: SessionSummary): string[] {
  if (s.builds === 0 && s.cancelledBuilds === 0 && s.retriedBuilds === 0 && s.reloads === 0)
    return [];
  const failed = [
    s.failedBuilds > 0 ? `${s.failedBuilds} failed` : '',
    s.cancelledBuilds > 0 ? `${s.cancelledBuilds} cancelled` : '',
    s.retriedBuilds > 0 ? `${s.retriedBuilds} retried` : '',
  ].filter(Boolean);
  const avoidedTotal = s.avoided.reduce((n, a) => n + a.count, 0);
  const avoided =
    avoidedTotal === 0
      ? 'no restarts avoided'
      : `${plural(avoidedTotal, 'restart')} avoided (${s.avoided.map((a) => `${a.count} ${AVOIDED_WORDS[a.reason]}`).join(', ')})`;
  const lines = [
    `summary: ${plural(s.reloads, 'reload')}, ${plural(s.builds, 'build')}${failed.length > 0 ? ` (${failed.join(', ')})` : ''}; ${avoided}`,
  ];
  const timings = [
    s.build ? stats('build', s.build) : '',
    s.saveToReady ? stats('save to ready', s.saveToReady) : '',
  ].filter(Boolean);
  if (timings.length > 0) lines.push(`timings: ${timings.join('; ')}`);
  return lines;
}
