import { describe, expect, it } from 'vitest';
import { builtBy, STARTS } from '../../test/helpers/gohot-cli.js';
import type { ReadyOutcome } from '../run/readiness.js';
import type { Batch } from '../schedule/scheduler.js';
import type { SessionEvent, SessionEventBody } from './events.js';
import { createTerminalReporter, shouldUseColor } from './terminal.js';

function render(events: SessionEventBody | SessionEventBody[], verbose = false): string[] {
  const out: string[] = [];
  const r = createTerminalReporter({
    write: (l) => out.push(l),
    color: false,
    verbose,
    cwd: '/m',
    now: () => new Date(2026, 0, 1, 12, 1, 3),
  });
  for (const e of Array.isArray(events) ? events : [events]) {
    r.report({ ...e, time: 1 } as SessionEvent);
  }
  return out;
}

const batch = (files: string[], generation = 2): Batch => ({
  generation,
  triggers: [{ kind: 'change', files }],
  files,
});

describe('terminal reporter', () => {
  it('marks the start of every build, for an editor problem matcher (docs/events.md)', () => {
    expect(render({ type: 'build-started', generation: 3, files: ['/m/a.go'] })).toEqual([
      '12:01:03 gohot  build #3 started',
    ]);
    // The events added for the trace say nothing on the terminal.
    expect(
      render([
        { type: 'model-list-started', first: true },
        {
          type: 'changes-observed',
          changes: [{ path: '/m/a.go', kind: 'modified', via: 'event' }],
        },
        { type: 'build-finished', generation: 3, durationMs: 5, output: '/r/app' },
        { type: 'watcher-stopped', roots: ['/m'], watchedDirs: 1, misses: 0 },
      ]),
    ).toEqual([]);
  });

  const reloaded = (
    ready: ReadyOutcome,
    first = false,
  ): Extract<SessionEventBody, { type: 'reloaded' }> => ({
    type: 'reloaded',
    batch: first
      ? { generation: 1, triggers: [{ kind: 'start' }], files: [] }
      : batch(['/m/internal/api/handler.go']),
    buildMs: 412.4,
    restartMs: 15,
    pid: 4242,
    first,
    timings: {
      quietWindowMs: 10,
      buildMs: 412.4,
      stopMs: 12,
      startMs: 3,
      readyMs: ready.status === 'ready' ? ready.ms : undefined,
    },
    ready,
  });

  it.each<[ReadyOutcome, boolean, string]>([
    [
      { status: 'ready', how: 'http', ms: 35 },
      false,
      'internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (stop 12 ms, start 3 ms, ready 35 ms; waited 10 ms)',
    ],
    [
      { status: 'ready', how: 'spawned', ms: 3 },
      false,
      'internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (stop 12 ms, start 3 ms; waited 10 ms)',
    ],
    [
      { status: 'ready', how: 'log', ms: 35 },
      true,
      'initial build -> built 412 ms -> started pid 4242 (start 3 ms, ready 35 ms)',
    ],
    [
      { status: 'timed-out', how: 'tcp', timeoutMs: 30_000 },
      false,
      'internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (stop 12 ms, start 3 ms, not ready after 30.0 s; waited 10 ms)',
    ],
    [
      { status: 'exited' },
      false,
      'internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (stop 12 ms, start 3 ms, exited before it was ready; waited 10 ms)',
    ],
    [
      { status: 'stopped' },
      false,
      'internal/api/handler.go changed -> built 412 ms -> restarted pid 4242 (stop 12 ms, start 3 ms, stopped before it was ready; waited 10 ms)',
    ],
  ])('one line per reload: trigger, build, then where the time went (%j)', (ready, first, text) => {
    const [line] = render(reloaded(ready, first));
    expect(line).toBe(`12:01:03 gohot  ${text}`);
    // The e2e helpers find reloads by this prefix.
    expect(line).toMatch(first ? STARTS : builtBy(/handler\.go changed/));
  });

  it('build progress: in place on a terminal, cleared before the next line', () => {
    const out: string[] = [];
    const r = createTerminalReporter({
      write: (l) => out.push(`${l}\n`),
      writeInPlace: (t) => out.push(t),
      color: false,
      cwd: '/m',
      now: () => new Date(2026, 0, 1, 12, 1, 3),
    });
    const progress = (done: number, elapsedMs: number, total?: number) =>
      r.report({ type: 'build-progress', generation: 1, done, total, elapsedMs, time: elapsedMs });
    progress(3, 500, 188);
    progress(40, 2500, 188);
    progress(41, 2800, undefined);
    r.report({ ...reloaded({ status: 'ready', how: 'spawned', ms: 1 }, true), time: 3000 });
    expect(out).toEqual([
      '\r\u001b[K12:01:03 gohot  building: 40/188 packages compiled (2.50 s)',
      '\r\u001b[K12:01:03 gohot  building: 41 packages compiled (2.80 s)',
      '\r\u001b[K',
      '12:01:03 gohot  initial build -> built 412 ms -> started pid 4242 (start 3 ms)\n',
    ]);
  });

  it('build progress without a terminal: a line at most every 10 s; a cancel says how far it got', () => {
    const lines = render([
      { type: 'build-progress', generation: 2, done: 1, total: 9, elapsedMs: 100 },
      { type: 'build-progress', generation: 2, done: 5, total: 9, elapsedMs: 2100 },
    ]);
    expect(lines).toEqual(['12:01:03 gohot  building: 5/9 packages compiled (2.10 s)']);
    const out: string[] = [];
    const r = createTerminalReporter({
      write: (l) => out.push(l),
      color: false,
      cwd: '/m',
      now: () => new Date(2026, 0, 1, 12, 1, 3),
    });
    for (const [done, at] of [
      [2, 2000],
      [3, 5000],
      [4, 12_001],
    ] as const) {
      r.report({ type: 'build-progress', generation: 2, done, total: 9, elapsedMs: at, time: at });
    }
    r.report({
      type: 'decision',
      stage: 'build',
      action: 'cancel',
      subject: 2,
      reason: { by: 'superseded', trigger: { kind: 'change', files: ['/m/b.go'] } },
      durationMs: 12_500,
      time: 12_500,
    });
    expect(out).toEqual([
      '12:01:03 gohot  building: 2/9 packages compiled (2.00 s)',
      '12:01:03 gohot  building: 4/9 packages compiled (12.0 s)',
      '12:01:03 gohot  build #2 cancelled after 12.5 s: superseded: b.go changed (4/9 packages compiled by then)',
    ]);
  });

  it('prints the summary when the session ended', () => {
    const lines = render([
      reloaded({ status: 'ready', how: 'spawned', ms: 1 }, true),
      reloaded({ status: 'ready', how: 'http', ms: 35 }),
      {
        type: 'decision',
        stage: 'classify',
        action: 'ignore',
        subject: '/m/a.go',
        reason: { by: 'comments-only', lines: 'same' } as never,
        change: { kind: 'modified', path: '/m/a.go' } as never,
        relist: false,
      },
      { type: 'ended' },
    ]);
    expect(lines.slice(-2)).toEqual([
      '12:01:03 gohot  summary: 1 reload, 2 builds; 1 restart avoided (1 comment-only)',
      '12:01:03 gohot  timings: build median 412 ms, p90 412 ms; save to ready median 469 ms, p90 469 ms',
    ]);
  });

  it('prints build errors as path:line:col relative to the cwd and says the old app keeps running', () => {
    const lines = render({
      type: 'build-failed',
      batch: batch(['/m/main.go'], 3),
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

  it('an identical binary: one line with trigger and build time, naming the pid kept', () => {
    expect(
      render({
        type: 'decision',
        stage: 'build',
        action: 'keep',
        subject: 2,
        reason: { by: 'identical-binary', contentId: 'D4KKaxbyrRdk1Fy-Hep1' },
        batch: batch(['/m/main.go']),
        pid: 1234,
        durationMs: 301.2,
      }),
    ).toEqual([
      '12:01:03 gohot  main.go changed -> built 301 ms -> binary unchanged: kept pid 1234',
    ]);
  });

  it('why the app restarts only with verbose; an unreadable build ID once as a warning', () => {
    const restart = (reason: Extract<SessionEventBody, { action: 'restart' }>['reason']) =>
      ({ type: 'decision', stage: 'build', action: 'restart', subject: 3, reason }) as const;
    const changed = restart({ by: 'binary-changed', from: 'aaa', to: 'bbb' });
    expect(render(changed)).toEqual([]);
    expect(render(changed, true)).toEqual([
      '12:01:03 gohot  [build] build #3: restarting the app: the binary changed (content ID aaa -> bbb)',
    ]);
    const problem = {
      code: 'BUILD_ID_UNREADABLE',
      message: '/r/app is an ELF binary without a Go build ID.',
      hint: 'gohot restarts the app after every successful build.',
    };
    const unreadable = restart({ by: 'build-id-unreadable', of: 'new', problem });
    const warning =
      '12:01:03 gohot  warning: build #3: restarting the app: cannot tell whether the binary changed, the build ID of the new binary is unreadable: /r/app is an ELF binary without a Go build ID.';
    expect(
      render([
        unreadable,
        unreadable,
        restart({ by: 'build-id-unreadable', of: 'running', problem }),
      ]),
    ).toEqual([warning, `  ${problem.hint}`]);
    expect(render([unreadable, unreadable], true)).toEqual([
      warning,
      `  ${problem.hint}`,
      warning.replace('warning: ', '[build] '),
    ]);
  });

  it('decision lines only with verbose', () => {
    const e: SessionEventBody = {
      type: 'decision',
      stage: 'schedule',
      action: 'queue',
      subject: { kind: 'manual' },
      reason: { quietWindowMs: 10 },
    };
    expect(render(e)).toEqual([]);
    expect(render(e, true)).toEqual([
      '12:01:03 gohot  [schedule] queued: rebuild requested (quiet window 10 ms)',
    ]);
  });

  it.each<[SessionEventBody, string]>([
    [
      {
        type: 'decision',
        stage: 'watch',
        action: 'skip-dir',
        subject: '/m/web/node_modules',
        reason: { by: 'name', name: 'node_modules' },
      },
      '[watch] web/node_modules: not watched, node_modules directories are never watched',
    ],
    [
      {
        type: 'decision',
        stage: 'watch',
        action: 'skip-dir',
        subject: '/m/gen',
        reason: { by: 'exclude', pattern: '!gen/' },
      },
      '[watch] gen: not watched, excluded by "!gen/"',
    ],
    [
      {
        type: 'decision',
        stage: 'watch',
        action: 'skip-file',
        subject: '/m/a_test.go',
        reason: { by: 'exclude', pattern: '!**/*_test.go' },
      },
      '[watch] a_test.go: event for a file no watch pattern tracks (excluded by "!**/*_test.go")',
    ],
    [
      {
        type: 'decision',
        stage: 'classify',
        action: 'rebuild',
        subject: '/m/a.go',
        reason: { by: 'pattern', verdict: { by: 'glob', pattern: '**/*.go' } },
        change: { path: '/m/a.go', kind: 'modified', via: 'event' },
        relist: false,
      },
      '[classify] a.go: rebuild, included by "**/*.go" (modified, via event)',
    ],
    [
      {
        type: 'decision',
        stage: 'classify',
        action: 'rebuild',
        subject: '/m/a.go',
        reason: { by: 'package-source', pkg: 'ex/app', role: 'go', edit: 'code' },
        change: { path: '/m/a.go', kind: 'modified', via: 'event' },
        relist: false,
      },
      '[classify] a.go: rebuild, code changed in ex/app (modified, via event)',
    ],

    [
      {
        type: 'decision',
        stage: 'build',
        action: 'cancel',
        subject: 4,
        reason: { by: 'shutdown' },
        durationMs: 12.4,
      },
      'build #4 cancelled after 12 ms: gohot is stopping',
    ],
    [
      {
        type: 'decision',
        stage: 'schedule',
        action: 'cancel',
        subject: 4,
        reason: { by: 'superseded', trigger: { kind: 'change', files: ['/m/b.go'] } },
      },
      '[schedule] cycle #4 cancelled, superseded: b.go changed',
    ],
  ])('words the decision %#', (event, text) => {
    expect(render(event, true)).toEqual([`12:01:03 gohot  ${text}`]);
  });

  it('says when a build is cancelled or kept and why, also without --verbose', () => {
    expect(
      render({
        type: 'decision',
        stage: 'build',
        action: 'cancel',
        subject: 2,
        reason: { by: 'superseded', trigger: { kind: 'change', files: ['/m/a.go'] } },
        durationMs: 5,
      }),
    ).toEqual(['12:01:03 gohot  build #2 cancelled after 5 ms: superseded: a.go changed']);
    expect(
      render({
        type: 'decision',
        stage: 'schedule',
        action: 'keep',
        subject: 7,
        reason: { by: 'streak', cancelled: 2 },
      }),
    ).toEqual([
      '12:01:03 gohot  build #7 keeps running despite newer changes: 2 builds in a row were cancelled; they get one build after it',
    ]);
  });

  it('says why a source change did not reload, also without --verbose', () => {
    expect(
      render({
        type: 'decision',
        stage: 'build',
        action: 'skip',
        subject: 4,
        reason: { by: 'no-net-change', files: ['/m/a.go', '/m/b.go', '/m/c.go'] },
      }),
    ).toEqual([
      '12:01:03 gohot  a.go and 2 more: same content as the last build saw; nothing to build',
    ]);
    const change = { path: '/m/a.go', kind: 'modified', via: 'event' } as const;
    expect(
      render({
        type: 'decision',
        stage: 'classify',
        action: 'ignore',
        subject: '/m/a.go',
        reason: { by: 'comments-only', pkg: 'ex/app', lines: 'same' },
        change,
        relist: false,
      }),
    ).toEqual([
      '12:01:03 gohot  a.go: not rebuilt, only comments or white space changed (ex/app) (modified, via event)',
    ]);
    const unchanged: SessionEventBody = {
      type: 'decision',
      stage: 'classify',
      action: 'ignore',
      subject: '/m/a.go',
      reason: { by: 'content-unchanged' },
      change,
      relist: false,
    };
    expect(render(unchanged)).toEqual([]);
    expect(render(unchanged, true)).toHaveLength(1);
  });

  it('names a skipped directory once, however often a walk meets it', () => {
    const e: SessionEventBody = {
      type: 'decision',
      stage: 'watch',
      action: 'skip-dir',
      subject: '/m/.git',
      reason: { by: 'hidden', name: '.git' },
    };
    expect(render([e, e], true)).toHaveLength(1);
  });

  it('shows warnings from the watcher without verbose, debug observations only with it', () => {
    const warn: SessionEventBody = {
      type: 'watch',
      observation: { type: 'dir-unreadable', path: '/m/secret', code: 'EACCES' },
    };
    const quiet: SessionEventBody = {
      type: 'watch',
      observation: { type: 'event-burst', root: '/m' },
    };
    expect(render([warn, quiet])).toEqual([
      '12:01:03 gohot  warning: skipping unreadable directory secret (EACCES)',
    ]);
    expect(render(quiet, true)).toEqual(['12:01:03 gohot  [watch] event burst in .: reconciling']);
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

  it('says why it stops and what a rejected config edit keeps', () => {
    expect(render({ type: 'stopping', reason: { by: 'signal', signal: 'SIGINT' } })).toEqual([
      '12:01:03 gohot  stopping (SIGINT received; press Ctrl-C again to force)',
    ]);
    const rejected = render({
      type: 'config-rejected',
      error: { code: 'CONFIG_INVALID', message: 'gohot.json:2:3: bad.', hint: 'Fix it.' },
    });
    expect(rejected).toEqual([
      '12:01:03 gohot  warning: gohot.json:2:3: bad. The last good config stays in effect.',
      '  Fix it.',
    ]);
  });

  // Regression: file names and config keys with ESC or newlines were printed raw, so a file
  // named "\x1b]0;pwned\x07.go" could rewrite the terminal (title, colours, cursor).
  it('escapes control characters in paths, patterns, diagnostics and errors', () => {
    const evil = '/m/a\u001b[2J\nb.go';
    const lines = render([
      {
        ...reloaded({ status: 'ready', how: 'spawned', ms: 1 }),
        batch: batch([evil]),
      },
      {
        type: 'build-failed',
        batch: batch([evil]),
        diagnostics: [{ file: evil, line: 1, column: 2, message: 'x\u001b[31m', importPath: 'p' }],
        text: '',
        durationMs: 1,
        keptPid: undefined,
      },
      {
        type: 'config-rejected',
        error: { code: undefined, message: 'bad key "\u009b2J"', hint: 'fix\u0007' },
      },
    ]);
    const controls = [...lines.join('')].filter((ch) => {
      const code = ch.charCodeAt(0);
      return code < 0x20 || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(lines[0]).toContain('a\\x1b[2J\\nb.go changed');
    expect(lines[2]).toBe('a\\x1b[2J\\nb.go:1:2: x\\x1b[31m');
    expect(lines[4]).toBe('  fix\\x07');
  });

  it('honours NO_COLOR and non-TTY streams', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(pipe, {})).toBe(false);
  });
});

describe('terminal reporter: the started line', () => {
  const started = (airConfig: string | undefined): SessionEventBody => ({
    type: 'started',
    goVersion: 'go1.26.0',
    moduleRoot: '/m',
    mainPackage: '.',
    configSource: undefined,
    runDir: '/run/gohot-1',
    roots: [],
    trackedFiles: 3,
    polledSubtrees: 0,
    airConfig,
  });

  it('says once that gohot init --from-air converts the .air.toml of a module without gohot.json', () => {
    const lines = render(started('/m/.air.toml'));
    expect(lines.filter((l) => l.includes('init --from-air'))).toEqual([
      '12:01:03 gohot  .air.toml found and no gohot.json: `gohot init --from-air` converts it',
    ]);
  });

  it('says nothing about air when there is no .air.toml', () => {
    expect(render(started(undefined)).join('\n')).not.toContain('air');
  });
});
