import { describe, expect, it } from 'vitest';
import type { ReadyOutcome } from '../run/readiness.js';
import type { Trigger } from '../schedule/scheduler.js';
import type { SessionEvent, SessionEventBody } from './events.js';
import { createSummaryCollector, percentile, type SessionSummary } from './summary.js';
import { describeSummary } from './timings-text.js';

const change: Trigger = { kind: 'change', files: ['/m/a.go'] };

function reloaded(
  buildMs: number,
  o: {
    first?: boolean;
    trigger?: Trigger;
    readyMs?: number;
    quietMs?: number;
    stopMs?: number;
  } = {},
): SessionEventBody {
  const ready: ReadyOutcome =
    o.readyMs === undefined
      ? { status: 'exited' }
      : { status: 'ready', how: 'http', ms: o.readyMs };
  return {
    type: 'reloaded',
    batch: { generation: 1, triggers: [o.trigger ?? change], files: [] },
    buildMs,
    restartMs: 0,
    pid: 1,
    first: o.first ?? false,
    timings: {
      quietWindowMs: o.quietMs ?? 10,
      buildMs,
      stopMs: o.stopMs ?? 5,
      startMs: 1,
      readyMs: o.readyMs,
    },
    ready,
  };
}

const classified = (by: string, action = 'ignore', path = '/m/x.go'): SessionEventBody =>
  ({
    type: 'decision',
    stage: 'classify',
    action,
    subject: path,
    reason: { by },
    change: { kind: 'modified', path },
    relist: false,
  }) as unknown as SessionEventBody;
const ignored = (by: string) => classified(by);

const build = (
  action: 'skip' | 'keep' | 'cancel',
  durationMs = 0,
  files = ['/m/y.go'],
): SessionEventBody =>
  ({
    type: 'decision',
    stage: 'build',
    action,
    subject: 1,
    reason: { by: 'no-net-change', files },
    durationMs,
  }) as unknown as SessionEventBody;

function summarize(events: SessionEventBody[]): SessionSummary {
  const c = createSummaryCollector();
  for (const e of events) c.add({ ...e, time: 0 } as SessionEvent);
  return c.summary();
}

describe('percentile (nearest rank)', () => {
  it.each([
    [[5], 0.5, 5],
    [[5], 0.9, 5],
    [[1, 2], 0.5, 1],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
    [[], 0.5, 0],
  ])('%j at %s is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('session summary', () => {
  it.each<[string, SessionEventBody[], Partial<SessionSummary>]>([
    ['nothing happened', [], { reloads: 0, builds: 0, avoided: [], build: undefined }],
    [
      'the first start is a build, not a reload; its wait is no save',
      [reloaded(900, { first: true, trigger: { kind: 'start' }, readyMs: 50 })],
      {
        reloads: 0,
        builds: 1,
        saveToReady: undefined,
        build: { count: 1, medianMs: 900, p90Ms: 900 },
      },
    ],
    [
      'save to ready adds the wait, the build, the stop and the time to ready',
      [reloaded(100, { readyMs: 30, quietMs: 10, stopMs: 5 }), reloaded(300, { readyMs: 50 })],
      {
        reloads: 2,
        builds: 2,
        saveToReady: { count: 2, medianMs: 145, p90Ms: 365 },
        build: { count: 2, medianMs: 100, p90Ms: 300 },
      },
    ],
    [
      'an app that never became ready has no save-to-ready time; a manual rebuild is no save',
      [reloaded(100), reloaded(100, { trigger: { kind: 'manual' }, readyMs: 1 })],
      { reloads: 2, saveToReady: undefined },
    ],
    [
      'restarts avoided, counted by reason, most frequent first',
      [
        ignored('comments-only'),
        ignored('test-file'),
        ignored('comments-only'),
        ignored('outside-closure'),
        ignored('pattern'),
        build('skip'),
        build('keep', 200),
      ],
      {
        builds: 1,
        avoided: [
          { reason: 'comments-only', count: 2 },
          { reason: 'identical-binary', count: 1 },
          { reason: 'no-net-change', count: 1 },
          { reason: 'not-imported', count: 1 },
          { reason: 'test-file', count: 1 },
        ],
      },
    ],
    [
      // Regression: a truncate-then-write save of a comment edit counted twice (its empty
      // state asked for a build that the net effect then skipped).
      'a skipped build of files whose last change was already avoided is that same save',
      [
        classified('package-source', 'rebuild', '/m/a.go'),
        classified('comments-only', 'ignore', '/m/a.go'),
        build('skip', 0, ['/m/a.go']),
        classified('package-source', 'rebuild', '/m/b.go'),
        build('skip', 0, ['/m/a.go', '/m/b.go']),
      ],
      {
        avoided: [
          { reason: 'comments-only', count: 1 },
          { reason: 'no-net-change', count: 1 },
        ],
      },
    ],
    [
      'failed builds count as builds, cancelled ones apart',
      [
        {
          type: 'build-failed',
          batch: { generation: 1, triggers: [change], files: [] },
          diagnostics: [],
          text: '',
          durationMs: 70,
          keptPid: undefined,
        },
        build('cancel', 10),
        {
          type: 'restarted',
          batch: { generation: 2, triggers: [], files: [] },
          restartMs: 1,
          pid: 2,
        },
      ],
      { reloads: 1, builds: 1, failedBuilds: 1, cancelledBuilds: 1 },
    ],
  ])('%s', (_name, events, expected) => {
    expect(summarize(events)).toMatchObject(expected);
  });

  // Regression: a build that failed while a checkout still wrote its inputs ('retry': the
  // cycle gives its batch back as cancelled) was counted nowhere: the summary hid it.
  it('a retried build is counted apart, in the words too', () => {
    const retried = {
      type: 'decision',
      stage: 'build',
      action: 'retry',
      subject: 2,
      reason: { by: 'inputs-changed-while-failing', files: ['/m/b.go'] },
    } as SessionEventBody;
    const s = summarize([reloaded(900, { first: true, trigger: { kind: 'start' } }), retried]);
    expect(s).toMatchObject({ builds: 1, failedBuilds: 0, cancelledBuilds: 0, retriedBuilds: 1 });
    expect(describeSummary(s)[0]).toBe(
      'summary: 0 reloads, 1 build (1 retried); no restarts avoided',
    );
    expect(describeSummary(summarize([retried]))).not.toEqual([]);
  });

  it('words: counts, reasons and timings; nothing when nothing was built', () => {
    expect(describeSummary(summarize([]))).toEqual([]);
    expect(
      describeSummary(
        summarize([
          reloaded(1200, { first: true, trigger: { kind: 'start' } }),
          reloaded(400, { readyMs: 30 }),
          ignored('comments-only'),
          build('keep', 300),
          build('cancel'),
        ]),
      ),
    ).toEqual([
      'summary: 1 reload, 3 builds (1 cancelled); 2 restarts avoided (1 comment-only, 1 identical binary)',
      'timings: build median 400 ms, p90 1.20 s; save to ready median 445 ms, p90 445 ms',
    ]);
  });
});
