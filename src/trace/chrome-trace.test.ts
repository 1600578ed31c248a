import { describe, expect, it } from 'vitest';
import { chromeTraceProblems } from '../../test/helpers/chrome-trace.js';
import type { SessionEvent } from '../report/events.js';
import { jsonHeader } from '../report/json-events.js';
import { createBufferedSink } from './buffered-sink.js';
import { CHROME_TRACKS, createChromeTraceReporter, GO_LANE_TID } from './chrome-trace.js';

function capture() {
  let text = '';
  let closed = 0;
  const sink = createBufferedSink({
    path: '/mem',
    write: (t) => {
      text += t;
    },
    close: () => {
      closed++;
    },
  });
  return { sink, text: () => text, closed: () => closed };
}

const batch = { generation: 2, triggers: [{ kind: 'manual' as const }], files: [] };
const EVENTS: SessionEvent[] = [
  { type: 'model-list-started', time: 5, first: true },
  { type: 'decision', time: 10, stage: 'schedule', action: 'start', subject: 2, batch },
  { type: 'build-started', time: 12, generation: 2, files: [] },
  {
    type: 'model-listed',
    time: 20,
    packages: 1,
    editable: 1,
    files: 1,
    errors: [],
    durationMs: 15,
    first: true,
  },
  {
    type: 'build-trace',
    time: 300,
    generation: 2,
    spans: [
      { name: 'Running build command', startUs: 0, durationUs: 250_000, lane: 0 },
      { name: 'Executing action (link-install m)', startUs: 200_000, durationUs: 40_000, lane: 1 },
    ],
  },
  { type: 'build-finished', time: 300, generation: 2, durationMs: 288, output: '/r/app' },
  {
    type: 'reloaded',
    time: 330,
    batch,
    buildMs: 288,
    restartMs: 25,
    pid: 7,
    first: false,
    timings: { quietWindowMs: 10, buildMs: 288, stopMs: 12, startMs: 3, readyMs: 10 },
    ready: { status: 'ready', how: 'tcp', ms: 10 },
  },
  { type: 'decision', time: 331, stage: 'schedule', action: 'finish', subject: 2, outcome: 'done' },
  { type: 'stopping', time: 400, reason: { by: 'request' } },
];

describe('the Chrome trace reporter', () => {
  it('writes a valid trace: spans per stage, go spans under the build, metadata per track', () => {
    const out = capture();
    const r = createChromeTraceReporter(
      out.sink,
      jsonHeader('0.1.0', () => 1),
    );
    for (const e of EVENTS) r.report(e);
    r.close();
    r.close();
    expect(out.closed()).toBe(1);
    const doc = JSON.parse(out.text());
    expect(chromeTraceProblems(doc)).toEqual([]);
    type Ev = {
      name: string;
      ph: string;
      ts: number;
      dur?: number;
      tid: number;
      args?: { name?: string };
    };
    const events = doc.traceEvents as Ev[];
    const build = events.find((e) => e.name === 'build #2 built')!;
    expect(build).toMatchObject({ ph: 'X', tid: CHROME_TRACKS.build, ts: 12_000, dur: 288_000 });
    const goSpans = events.filter((e) => e.tid >= GO_LANE_TID && e.ph === 'X');
    expect(goSpans.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['Running build command', 12_000, 250_000],
      ['Executing action (link-install m)', 212_000, 40_000],
    ]);
    for (const g of goSpans) {
      expect(g.ts).toBeGreaterThanOrEqual(build.ts);
      expect(g.ts + g.dur!).toBeLessThanOrEqual(build.ts + build.dur!);
    }
    expect(events.find((e) => e.name === 'go list')).toMatchObject({ ts: 5000, dur: 15_000 });
    expect(events.find((e) => e.name === 'cycle #2 done')).toMatchObject({
      ts: 10_000,
      dur: 321_000,
    });
    expect(events.find((e) => e.name === 'restart pid 7')).toMatchObject({
      tid: CHROME_TRACKS.run,
    });
    const tracks = events.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
    expect(tracks).toEqual(
      expect.arrayContaining([
        'watch',
        'classify',
        'schedule',
        'model',
        'build',
        'run',
        'go build (lane 1)',
      ]),
    );
  });

  it('is a readable prefix before close: the viewer format tolerates the missing end', () => {
    const out = capture();
    const r = createChromeTraceReporter(out.sink, jsonHeader('0.1.0'));
    r.report(EVENTS[2]!);
    out.sink.flush();
    // What a hard-killed gohot leaves: the array unterminated.
    expect(() => JSON.parse(out.text())).toThrow();
    expect(JSON.parse(`${out.text()}]}`).traceEvents.length).toBeGreaterThan(10);
  });
});
