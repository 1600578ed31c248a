import { describe, expect, it } from 'vitest';
import type { SessionEvent } from './events.js';
import { createTerminalReporter, shouldUseColor } from './terminal.js';

function render(event: SessionEvent, verbose = false): string[] {
  const out: string[] = [];
  const r = createTerminalReporter({
    write: (l) => out.push(l),
    color: false,
    verbose,
    cwd: '/m',
    now: () => new Date(2026, 0, 1, 12, 1, 3),
  });
  r.report(event);
  return out;
}

describe('terminal reporter', () => {
  it('prints one line per reload with trigger, build time, pid and restart time', () => {
    expect(
      render({
        type: 'reloaded',
        generation: 2,
        trigger: 'internal/api/handler.go changed',
        buildMs: 412.4,
        restartMs: 35,
        pid: 4242,
        first: false,
      }),
    ).toEqual([
      '12:01:03 gohot  internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (35 ms)',
    ]);
  });

  it('prints build errors as path:line:col relative to the cwd and says the old app keeps running', () => {
    const lines = render({
      type: 'build-failed',
      generation: 3,
      files: ['/m/main.go'],
      trigger: 'main.go changed',
      diagnostics: [
        { file: '/m/main.go', line: 7, column: 2, message: 'undefined: foo', importPath: 'x' },
      ],
      text: '# x\n./main.go:7:2: undefined: foo\n',
      durationMs: 120,
      keptPid: 99,
    });
    expect(lines[0]).toMatch(
      /main\.go changed -> build failed 120 ms; previous version keeps running \(pid 99\)/,
    );
    expect(lines[1]).toBe('main.go:7:2: undefined: foo');
  });

  it('debug lines only with verbose', () => {
    const e: SessionEvent = { type: 'debug', stage: 'schedule', message: 'queued' };
    expect(render(e)).toEqual([]);
    expect(render(e, true)).toEqual(['12:01:03 gohot  [schedule] queued']);
  });

  it('reports an app that exited on its own with code or signal', () => {
    expect(
      render({
        type: 'app-exited',
        pid: 5,
        exit: { kind: 'ended', app: { kind: 'exited', code: 3 } },
      })[0],
    ).toMatch(/app \(pid 5\) exited with code 3; waiting for a change/);
    expect(
      render({
        type: 'app-exited',
        pid: 5,
        exit: { kind: 'ended', app: { kind: 'killed', signal: 'SIGSEGV' } },
      })[0],
    ).toMatch(/killed by SIGSEGV/);
  });

  it('honours NO_COLOR and non-TTY streams', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(pipe, {})).toBe(false);
  });
});
