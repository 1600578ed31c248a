import { describe, expect, it } from 'vitest';
import type { Batch } from '../schedule/scheduler.js';
import type { SessionEvent, SessionEventBody } from './events.js';
import { createTerminalReporter } from './terminal.js';

function render(events: SessionEventBody[], verbose = false): string[] {
  const out: string[] = [];
  const r = createTerminalReporter({
    write: (l) => out.push(l),
    color: false,
    verbose,
    cwd: '/m',
    now: () => new Date(2026, 0, 1, 12, 1, 3),
  });
  for (const e of events) r.report({ ...e, time: 1 } as SessionEvent);
  return out;
}

const batch: Batch = {
  generation: 4,
  triggers: [{ kind: 'change', files: ['/m/web/page.templ'] }],
  files: ['/m/web/page.templ'],
};

describe('terminal reporter: rules and hooks', () => {
  it('names the rules time in the reload line', () => {
    expect(
      render([
        {
          type: 'reloaded',
          batch,
          rulesMs: 80,
          buildMs: 300,
          restartMs: 20,
          pid: 7,
          first: false,
          timings: { quietWindowMs: 10, buildMs: 300, stopMs: 12, startMs: 8, readyMs: 8 },
          ready: { status: 'ready', how: 'spawned', ms: 8 },
        },
      ]),
    ).toEqual([
      '12:01:03 gohot  web/page.templ changed -> generated 80 ms -> built 300 ms -> restarted pid 7 (stop 12 ms, start 8 ms; waited 10 ms)',
    ]);
  });

  it('prints a failed rule with how it ended and its output, each line prefixed', () => {
    expect(
      render([
        {
          type: 'rule-failed',
          batch,
          rule: 'templ',
          end: { status: 'exited', code: 3 },
          text: 'generating\npage.templ:1:1: unexpected "}"\n',
          durationMs: 50,
          keptPid: 9,
        },
      ]),
    ).toEqual([
      '12:01:03 gohot  web/page.templ changed -> rule templ failed (exit code 3) 50 ms; previous version keeps running (pid 9)',
      'templ | generating',
      'templ | page.templ:1:1: unexpected "}"',
    ]);
  });

  it('says when a rule was cancelled, and shows rule starts only with -v', () => {
    const events: SessionEventBody[] = [
      { type: 'rule-started', generation: 4, rule: 'templ' },
      {
        type: 'rule-cancelled',
        generation: 4,
        rule: 'templ',
        reason: { by: 'superseded', trigger: { kind: 'change', files: ['/m/web/page.templ'] } },
      },
    ];
    expect(render(events)).toEqual([
      '12:01:03 gohot  rule templ cancelled (#4), superseded: web/page.templ changed',
    ]);
    expect(render(events, true)[0]).toBe('12:01:03 gohot  rule templ started (#4)');
  });

  it('prefixes hook output with the hook and reports a failure with its exit code', () => {
    expect(
      render([
        { type: 'hook-output', hook: 'beforeStart', stream: 'stdout', text: 'migrated \u001b[2J' },
        {
          type: 'hook-failed',
          hook: 'beforeStart',
          command: ['./migrate', 'up'],
          end: { status: 'timed-out', timeoutMs: 2000 },
          keptPid: 5,
        },
        {
          type: 'hook-failed',
          hook: 'afterBuild',
          command: ['cp', 'a'],
          end: { status: 'exited', code: 1 },
          keptPid: undefined,
        },
      ]),
    ).toEqual([
      '12:01:03 gohot  beforeStart | migrated \\x1b[2J',
      '12:01:03 gohot  beforeStart hook failed (timed out after 2.00 s): ./migrate up; previous version keeps running (pid 5)',
      '12:01:03 gohot  afterBuild hook failed (exit code 1): cp a; starting the new build anyway',
    ]);
  });
});
