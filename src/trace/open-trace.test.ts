import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../report/events.js';
import { ignoringOwnFiles } from './open-trace.js';

describe('ignoringOwnFiles', () => {
  // Regression: a trace written inside the watched tree logged its own writes as untracked
  // files every flush (5 per second), which were flushed again, forever.
  it('drops the events about the trace file itself and passes everything else', () => {
    const seen: string[] = [];
    const r = ignoringOwnFiles({ report: (e) => seen.push(e.type) }, ['/m/trace.json']);
    const own = '/m/trace.json';
    const events: SessionEvent[] = [
      {
        type: 'decision',
        time: 1,
        stage: 'watch',
        action: 'skip-file',
        subject: own,
        reason: { by: 'no-match' },
      },
      {
        type: 'changes-observed',
        time: 2,
        changes: [{ path: own, kind: 'modified', via: 'event' }],
      },
      {
        type: 'changes-observed',
        time: 3,
        changes: [{ path: '/m/a.go', kind: 'modified', via: 'event' }],
      },
      {
        type: 'decision',
        time: 4,
        stage: 'watch',
        action: 'skip-file',
        subject: '/m/b.txt',
        reason: { by: 'no-match' },
      },
      { type: 'build-started', time: 5, generation: 1, files: [] },
    ];
    for (const e of events) r.report(e);
    expect(seen).toEqual(['changes-observed', 'decision', 'build-started']);
  });
});
