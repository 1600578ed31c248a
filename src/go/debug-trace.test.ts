import { describe, expect, it } from 'vitest';
import { parseGoDebugTrace } from './debug-trace.js';

// The shape go1.26.8 writes (docs/facts.md#go-debug-trace), shortened.
const COMPLETE = `[
{"name":"Running build command","ph":"B","ts":1000000.5,"pid":0,"tid":0}
,{"name":"load.PackagesAndErrors","ph":"B","ts":1000100,"pid":0,"tid":0}
,{"name":"load.PackagesAndErrors","ph":"E","ts":1000300,"pid":0,"tid":0}
,{"name":"Executing action (build example.com/m)","ph":"B","ts":1000400,"pid":0,"tid":1}
,{"name":"flow","ph":"s","ts":1000401,"pid":0,"tid":1,"id":3}
,{"name":"Executing action (build example.com/m)","ph":"E","ts":1000900,"pid":0,"tid":1}
,{"name":"Running build command","ph":"E","ts":1001000.5,"pid":0,"tid":0}
]`;

describe('parseGoDebugTrace', () => {
  it('pairs begin and end events per lane into spans from the first event', () => {
    expect(parseGoDebugTrace(COMPLETE)).toEqual([
      { name: 'Running build command', startUs: 0, durationUs: 1000, lane: 0 },
      { name: 'load.PackagesAndErrors', startUs: 99.5, durationUs: 200, lane: 0 },
      { name: 'Executing action (build example.com/m)', startUs: 399.5, durationUs: 500, lane: 1 },
    ]);
  });

  it('reads what a killed go left: no closing bracket, a cut line, spans never ended', () => {
    const cut = `${COMPLETE.split('\n').slice(0, 7).join('\n')}\n,{"name":"Executing act`;
    expect(parseGoDebugTrace(cut)).toEqual([
      { name: 'load.PackagesAndErrors', startUs: 99.5, durationUs: 200, lane: 0 },
      { name: 'Executing action (build example.com/m)', startUs: 399.5, durationUs: 500, lane: 1 },
    ]);
    expect(parseGoDebugTrace('')).toEqual([]);
    expect(parseGoDebugTrace('not json at all\n[')).toEqual([]);
  });
});
