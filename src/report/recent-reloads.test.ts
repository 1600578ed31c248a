import { describe, expect, it } from 'vitest';
import type { Batch } from '../schedule/scheduler.js';
import type { SessionEvent } from './events.js';
import { createRecentReloads } from './recent-reloads.js';

const batch = (generation: number): Batch => ({
  generation,
  triggers: [{ kind: 'change', files: [`/p/${generation}.go`] }],
  files: [`/p/${generation}.go`],
});

const reloaded = (generation: number, time = generation * 1000): SessionEvent => ({
  type: 'reloaded',
  batch: batch(generation),
  buildMs: 400,
  restartMs: 30,
  pid: 100 + generation,
  first: generation === 1,
  timings: { quietWindowMs: 10, buildMs: 400, stopMs: 5, startMs: 3, readyMs: 3 },
  ready: { status: 'ready', how: 'spawned', ms: 3 },
  time,
});

describe('recent reloads', () => {
  it('keeps the last N reloads, oldest first, with wall-clock times from the monotonic stamps', () => {
    const recent = createRecentReloads(3, Date.UTC(2026, 0, 1));
    for (let g = 1; g <= 5; g++) recent.report(reloaded(g));
    expect(recent.list().map((r) => r.batch.generation)).toEqual([3, 4, 5]);
    expect(recent.list()[0]).toMatchObject({
      outcome: 'reloaded',
      at: '2026-01-01T00:00:03.000Z',
      buildMs: 400,
      restartMs: 30,
      pid: 103,
    });
  });

  it('records restarts, failed builds and kept apps, and nothing else', () => {
    const recent = createRecentReloads(10, 0);
    recent.report({ type: 'restarted', batch: batch(1), restartMs: 20, pid: 7, time: 1 });
    recent.report({
      type: 'build-failed',
      batch: batch(2),
      diagnostics: [{ file: '/p/a.go', line: 1, column: 1, message: 'x', importPath: undefined }],
      text: 'x',
      durationMs: 90,
      keptPid: undefined,
      time: 2,
    });
    recent.report({
      type: 'decision',
      stage: 'build',
      action: 'keep',
      subject: 3,
      reason: { by: 'identical-binary', contentId: 'abc' },
      batch: batch(3),
      pid: 7,
      durationMs: 50,
      time: 3,
    });
    recent.report({ type: 'stopping', reason: { by: 'request' }, time: 4 });
    expect(recent.list().map((r) => r.outcome)).toEqual(['restarted', 'build-failed', 'kept']);
    expect(recent.list()[1]).toMatchObject({ diagnostics: 1, keptPid: null, buildMs: 90 });
  });
});
