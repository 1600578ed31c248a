import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFixture } from '../../test/helpers/go-build.js';
import { isAlive, processesInGroup, processGroupOf } from '../../test/helpers/processes-linux.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { GohotError } from '../errors.js';
import { createSupervisor, killGroupNow } from './supervisor.js';
import {
  type ExitInfo,
  RunErrorCode,
  type StartSpec,
  type Supervisor,
  type SupervisorOptions,
} from './types.js';

const supervisors: Supervisor[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  // Never leave a fixture running, whatever the test did.
  await Promise.all(supervisors.splice(0).map((s) => s.stop().catch(() => undefined)));
});

function supervise(options: SupervisorOptions = {}): Supervisor {
  const supervisor = createSupervisor({ stdio: 'pipe', ...options });
  supervisors.push(supervisor);
  return supervisor;
}

function spec(binary: string, env: NodeJS.ProcessEnv = {}): StartSpec {
  return { binary, args: [], env: { ...process.env, ...env }, cwd: tmpdir() };
}

interface Captured {
  /** stdout lines with their arrival time (performance.now()). */
  readonly lines: Array<{ readonly atMs: number; readonly text: string }>;
  /** stdout + stderr so far, for timeout messages. */
  text(): string;
}

/** The child of the running (or stopping) app; only there does an app exist. */
function childOf(sup: Supervisor): ChildProcess {
  const state = sup.state();
  if (state.status !== 'running' && state.status !== 'stopping') {
    throw new Error(`no app: the supervisor is ${state.status}`);
  }
  return state.app.child;
}

function capture(child: ChildProcess | undefined): Captured {
  if (!child?.stdout || !child.stderr) throw new Error('the child has no piped stdout/stderr');
  const lines: Array<{ atMs: number; text: string }> = [];
  let all = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    all += chunk;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ atMs: performance.now(), text });
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    all += `[stderr] ${chunk}`;
  });
  return { lines, text: () => all };
}

/** Waits for a stdout line matching `pattern` and returns its first capture group. */
function waitForLine(out: Captured, pattern: RegExp): Promise<string> {
  return waitUntil(
    `a stdout line matching ${pattern}`,
    () => {
      for (const line of out.lines) {
        const m = pattern.exec(line.text);
        if (m) return m[1] ?? m[0];
      }
      return undefined;
    },
    { describe: () => `output so far:\n${out.text()}` },
  );
}

/** The error thrown by `fn`, or a failure when it does not throw. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

describe('createSupervisor with real processes', () => {
  it('starts hello-http in its own group and stops it gracefully with SIGTERM', async () => {
    const binary = await buildFixture('hello-http');
    // A grace far longer than any test: sigkill false then proves the app's own shutdown
    // ended it (was: a bound on the stop's duration, which a loaded machine can break).
    const sup = supervise({ stopTimeoutMs: 600_000 });
    const pid = sup.start(spec(binary, { ADDR: '127.0.0.1:0' }));
    expect(sup.state()).toMatchObject({ status: 'running', app: { pid } });
    expect(processGroupOf(pid)).toBe(pid);
    const out = capture(childOf(sup));
    const addr = await waitForLine(out, /^listening on (\S+)$/);
    const res = await fetch(`http://${addr}/`);
    expect(await res.text()).toBe('hello from gohot\n');

    const exit = await sup.stop();

    expect(exit).toEqual({
      kind: 'stopped',
      app: { kind: 'exited', code: 0 },
      sigkill: false,
      strays: [],
    });
    expect(sup.state()).toEqual({ status: 'exited', pid, exit, cleanup: undefined });
    // Serialises as-is, for an event stream.
    expect(JSON.parse(JSON.stringify(exit))).toEqual(exit);
    expect(isAlive(pid)).toBe(false);
    expect(killGroupNow(pid)).toBe(false);
    await expect(fetch(`http://${addr}/`)).rejects.toThrow();
  });

  it('SIGKILLs the group when the app ignores SIGTERM past the grace period', async () => {
    const binary = await buildFixture('ignores-sigterm');
    const sup = supervise({ stopTimeoutMs: 300 });
    const pid = sup.start(spec(binary));
    await waitForLine(capture(childOf(sup)), /^ready$/);

    const t0 = performance.now();
    const stopping = sup.stop();
    expect(sup.state()).toMatchObject({ status: 'stopping', app: { pid } });
    const exit = await stopping;
    const stopMs = performance.now() - t0;

    expect(exit).toEqual({
      kind: 'stopped',
      app: { kind: 'killed', signal: 'SIGKILL' },
      sigkill: true,
      strays: [],
    });
    // The grace was honoured (a lower bound only: a busy machine can only make it later).
    expect(stopMs).toBeGreaterThanOrEqual(295);
    expect(isAlive(pid)).toBe(false);
  });

  it('kills a grandchild that ignores SIGTERM after its parent exited on SIGTERM', async () => {
    const binary = await buildFixture('spawns-grandchild');
    const sup = supervise({ stopTimeoutMs: 300 });
    const pid = sup.start(spec(binary, { PARENT_MODE: 'exit-on-term' }));
    const out = capture(childOf(sup));
    const child = Number(await waitForLine(out, /^child=(\d+)$/));
    expect(Number(await waitForLine(out, /^pid=(\d+)$/))).toBe(pid);
    expect(isAlive(child)).toBe(true);
    expect(processesInGroup(pid).sort()).toEqual([pid, child].sort());

    // The grandchild's zombie, which an init may reap late or never, must not count as a
    // live member: if it did, the group would never look empty and stop() would reject with
    // RUN_UNKILLABLE (was: a bound on the stop's duration).
    const exit = await sup.stop();
    expect(exit).toEqual({
      kind: 'stopped',
      app: { kind: 'killed', signal: 'SIGTERM' },
      sigkill: true,
      strays: [child],
    });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(child)).toBe(false);
    expect(processesInGroup(pid)).toEqual([]);
  });

  it('kills parent and grandchild together when both ignore SIGTERM', async () => {
    const binary = await buildFixture('spawns-grandchild');
    const sup = supervise({ stopTimeoutMs: 300 });
    const pid = sup.start(spec(binary, { PARENT_MODE: 'ignore-term' }));
    const child = Number(await waitForLine(capture(childOf(sup)), /^child=(\d+)$/));
    expect(processesInGroup(pid).sort()).toEqual([pid, child].sort());

    const exit = await sup.stop();

    expect(exit).toEqual({
      kind: 'stopped',
      app: { kind: 'killed', signal: 'SIGKILL' },
      sigkill: true,
      strays: [],
    });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(child)).toBe(false);
  });

  it('reports an app that exits on its own once and never restarts it', async () => {
    const binary = await buildFixture('exits-early');
    const onUnexpectedExit = vi.fn<(exit: ExitInfo, pid: number) => void>();
    const sup = supervise({ onUnexpectedExit });
    const pid = sup.start(spec(binary));
    const out = capture(childOf(sup));
    await waitUntil('the app to exit', () => sup.state().status === 'exited', {
      describe: out.text,
    });

    const expected: ExitInfo = { kind: 'ended', app: { kind: 'exited', code: 3 } };
    expect(sup.state()).toEqual({ status: 'exited', pid, exit: expected, cleanup: undefined });
    expect(onUnexpectedExit.mock.calls).toEqual([[expected, pid]]);
    expect(await waitForLine(out, /^exits-early: giving up$/)).toBe('exits-early: giving up');
    // Nothing was started in its place, and stop() has nothing to stop.
    expect(await sup.stop()).toBeUndefined();
    expect(sup.state()).toMatchObject({ status: 'exited', pid });
    expect(isAlive(pid)).toBe(false);
    expect(onUnexpectedExit).toHaveBeenCalledTimes(1);

    // A new start after an exit is allowed and reports its own exit, once.
    const second = sup.start(spec(binary));
    expect(second).not.toBe(pid);
    await waitUntil('the second app to exit', () => sup.state().status === 'exited');
    expect(onUnexpectedExit).toHaveBeenCalledTimes(2);
  });

  it('cleans up grandchildren left behind by an app that exited on its own', async () => {
    const binary = await buildFixture('spawns-grandchild');
    const onUnexpectedExit = vi.fn<(exit: ExitInfo, pid: number) => void>();
    const sup = supervise({ stopTimeoutMs: 300, onUnexpectedExit });
    sup.start(spec(binary, { PARENT_MODE: 'exit-now' }));
    const out = capture(childOf(sup));
    const child = Number(await waitForLine(out, /^child=(\d+)$/));
    await waitUntil('the parent to exit', () => sup.state().status === 'exited', {
      describe: out.text,
    });
    expect(onUnexpectedExit.mock.calls).toEqual([
      [{ kind: 'ended', app: { kind: 'exited', code: 0 } }, expect.any(Number)],
    ]);
    expect(sup.state()).toMatchObject({ status: 'exited', cleanup: expect.any(Promise) });

    // stop() after an unexpected exit waits for the stray cleanup (SIGTERM ignored -> SIGKILL).
    expect(await sup.stop()).toBeUndefined();
    expect(isAlive(child)).toBe(false);
  });

  it('passes stdout through line by line while the app runs', async () => {
    const binary = await buildFixture('chatty-stdout');
    // The app prints "tick <n+1>" only once <gate>/<n> exists: each line must arrive on its
    // own while the app waits (was: ticks 50 ms apart had to arrive at least 50 ms apart,
    // which a test process descheduled under load does not see).
    const gate = await mkdtemp(join(tmpdir(), 'gohot-tick-gate-'));
    try {
      const sup = supervise();
      sup.start(spec(binary, { TICK_GATE: gate }));
      const child = childOf(sup);
      const out = capture(child);
      for (let n = 0; n < 3; n++) {
        await waitUntil(`tick ${n}`, () => out.lines.length > n, { describe: out.text });
        const expected = Array.from({ length: n + 1 }, (_, i) => `tick ${i}`);
        expect(out.lines.map((l) => l.text)).toEqual(expected);
        await writeFile(join(gate, String(n)), '');
      }

      // Still running: the lines were not held back until exit.
      expect(child.exitCode).toBeNull();
      expect(child.signalCode).toBeNull();
      expect(sup.state().status).toBe('running');
      expect(out.lines.slice(0, 3).map((l) => l.text)).toEqual(['tick 0', 'tick 1', 'tick 2']);

      const exit = await sup.stop();
      expect(exit).toEqual({
        kind: 'stopped',
        app: { kind: 'killed', signal: 'SIGTERM' },
        sigkill: false,
        strays: [],
      });
    } finally {
      await rm(gate, { recursive: true, force: true });
    }
  });

  it('throws when start is called while an app is running or stopping', async () => {
    const binary = await buildFixture('chatty-stdout');
    const sup = supervise();
    const pid = sup.start(spec(binary));

    const whileRunning = thrownBy(() => sup.start(spec(binary)));
    expect(whileRunning).toBeInstanceOf(GohotError);
    expect(whileRunning).toMatchObject({ code: RunErrorCode.alreadyRunning });
    expect(sup.state()).toMatchObject({ status: 'running', app: { pid } });

    const stopping = sup.stop();
    expect(thrownBy(() => sup.start(spec(binary)))).toMatchObject({
      code: RunErrorCode.alreadyRunning,
    });
    await stopping;
    const next = sup.start(spec(binary));
    expect(sup.state()).toMatchObject({ status: 'running', app: { pid: next } });
  });

  it('treats stop() when idle as a no-op', async () => {
    const sup = supervise();
    expect(await sup.stop()).toBeUndefined();
    expect(sup.state()).toEqual({ status: 'idle' });
  });

  // Pins: a restart and a shutdown racing to stop the same app ran two signal sequences
  // (two SIGTERMs, two grace timers, two SIGKILLs). Concurrent stops must share one.
  it('runs one signal sequence for two concurrent stop() calls', async () => {
    const binary = await buildFixture('ignores-sigterm');
    const sup = supervise({ stopTimeoutMs: 300 });
    const pid = sup.start(spec(binary));
    await waitForLine(capture(childOf(sup)), /^ready$/);
    const kill = vi.spyOn(process, 'kill');

    const [a, b] = await Promise.all([sup.stop(), sup.stop()]);

    expect(a).toBe(b);
    expect(a).toMatchObject({ sigkill: true, app: { signal: 'SIGKILL' } });
    const groupSignals = kill.mock.calls
      .filter(([target, signal]) => target === -pid && signal !== 0)
      .map(([, signal]) => signal);
    expect(groupSignals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('killGroupNow SIGKILLs the whole group synchronously', async () => {
    const binary = await buildFixture('spawns-grandchild');
    const sup = supervise();
    const pid = sup.start(spec(binary, { PARENT_MODE: 'ignore-term' }));
    const child = Number(await waitForLine(capture(childOf(sup)), /^child=(\d+)$/));

    expect(killGroupNow(pid)).toBe(true);

    await waitUntil('parent and grandchild to die', () => !isAlive(pid) && !isAlive(child));
    await waitUntil('the exit to be recorded', () => sup.state().status === 'exited');
    expect(sup.state()).toMatchObject({
      status: 'exited',
      exit: { kind: 'ended', app: { kind: 'killed', signal: 'SIGKILL' } },
    });
  });
});

describe('createSupervisor spawn errors', () => {
  // What each hint must say (was: only that there is one).
  const hints = {
    missing: /removed after the build.*Save a file to build it again/,
    'no-x': /chmod \+x .*no-x/,
    dir: /replaced the build output/,
    foreign: /GOOS\/GOARCH/,
    bare: /removed after the build/,
    'no-cwd': /Start gohot again from an existing directory/,
  } as const;

  it.each([
    ['a missing binary', 'missing', RunErrorCode.binaryNotFound, /does not exist/],
    ['a binary without execute permission', 'no-x', RunErrorCode.binaryNotExecutable, /mode 0644/],
    ['a directory', 'dir', RunErrorCode.binaryNotExecutable, /not a regular file/],
    // Regression: Node ran a headerless file through /bin/sh (e.g. a binary for another GOARCH).
    ['a file with no ELF header', 'foreign', RunErrorCode.binaryNotExecutable, /no ELF header/],
    // The app is gohot's own build output: a bare name is a file in the cwd, not a PATH lookup.
    ['a bare name missing in the cwd', 'bare', RunErrorCode.binaryNotFound, /does not exist/],
    ['a missing working directory', 'no-cwd', RunErrorCode.cwdNotFound, /working directory/],
  ] as const)('rejects %s with a clear GohotError', async (_name, kind, code, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'gohot-spawn-'));
    try {
      await writeFile(join(dir, 'no-x'), '#!/bin/sh\n');
      await chmod(join(dir, 'no-x'), 0o644);
      await writeFile(join(dir, 'foreign'), Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]));
      await chmod(join(dir, 'foreign'), 0o755);
      const start: Record<typeof kind, StartSpec> = {
        missing: { ...spec(join(dir, 'app')), cwd: dir },
        'no-x': { ...spec(join(dir, 'no-x')), cwd: dir },
        dir: { ...spec(dir), cwd: dir },
        foreign: { ...spec(join(dir, 'foreign')), cwd: dir },
        bare: { ...spec('gohot-no-such-app'), cwd: dir, env: { PATH: dir } },
        'no-cwd': { ...spec('/bin/true'), cwd: join(dir, 'gone') },
      };
      const sup = supervise();
      const err = thrownBy(() => sup.start(start[kind]));
      expect(err).toBeInstanceOf(GohotError);
      expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
      expect((err as GohotError).hint).toMatch(hints[kind]);
      expect(sup.state()).toEqual({ status: 'idle' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
