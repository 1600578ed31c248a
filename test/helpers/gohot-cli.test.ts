import { describe, expect, it } from 'vitest';
import type { SessionEvent, SessionEventBody } from '../../src/report/events.js';
import { createTerminalReporter } from '../../src/report/terminal.js';
import { builtBy, reloadedBy, STARTS } from './gohot-cli.js';

/** The terminal's line for one event, as the e2e tests read it. */
function lineOf(event: SessionEventBody): string {
  const lines: string[] = [];
  const reporter = createTerminalReporter({ write: (l) => lines.push(l), color: false, cwd: '/m' });
  reporter.report({ ...event, time: 0 } as SessionEvent);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const reloaded = (o: { first: boolean; rulesMs?: number; readyMs?: number }): SessionEventBody => ({
  type: 'reloaded',
  batch: {
    generation: 2,
    triggers: [{ kind: 'change', files: ['/m/page.tmpl'] }],
    files: ['/m/page.tmpl'],
  },
  buildMs: 412,
  restartMs: 3,
  pid: 4242,
  first: o.first,
  ...(o.rulesMs === undefined ? {} : { rulesMs: o.rulesMs }),
  timings: { quietWindowMs: 10, buildMs: 412, stopMs: 2, startMs: 1, readyMs: o.readyMs },
  ready:
    o.readyMs === undefined
      ? { status: 'ready', how: 'spawned', ms: 1 }
      : { status: 'ready', how: 'http', ms: o.readyMs },
});

describe('the reload-line patterns of the e2e helpers', () => {
  // Regression: builtBy expected ' -> built' right after the trigger, so the line of a
  // reload that ran a generator rule first ('-> generated 12 ms -> built') never matched.
  it.each([
    ['a restart', { first: false }],
    ['the first start', { first: true }],
    ['a reload with rules', { first: false, rulesMs: 12 }],
    ['a reload with a readiness check', { first: false, readyMs: 35 }],
  ])('match %s', (_, o) => {
    const line = lineOf(reloaded(o));
    expect(line).toMatch(STARTS);
    expect(line).toMatch(builtBy(/page\.tmpl changed/));
    if (!o.first) expect(line).toMatch(reloadedBy(/page\.tmpl changed/));
  });

  it('builtBy matches a build that kept the app', () => {
    const line = lineOf({
      type: 'decision',
      stage: 'build',
      action: 'keep',
      subject: 2,
      reason: { by: 'same-binary', id: 'x' },
      batch: {
        generation: 2,
        triggers: [{ kind: 'change', files: ['/m/a.go'] }],
        files: ['/m/a.go'],
      },
      pid: 4242,
      durationMs: 300,
    } as unknown as SessionEventBody);
    expect(line).toMatch(builtBy(/a\.go changed/));
    expect(line).not.toMatch(STARTS);
  });
});
