import { readlinkSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { errnoCode } from '../errors.js';
import { isProcessAlive, listGroupMembers } from './proc-linux.js';
import { type OutputStream, type RunOptions, type RunResult, runCommand } from './runner.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Kills process group `pgid` after the test if it is still there, whatever happened. */
function killAfterTest(pgid: number): void {
  cleanup.push(() => {
    if (listGroupMembers(pgid).length === 0) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gohot-runner-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A running `sh -c script`: its lines so far and its pending result. */
interface Running {
  readonly lines: Array<{ readonly line: string; readonly stream: OutputStream }>;
  readonly result: Promise<RunResult>;
  /** Waits for a stdout line `name=<number>` and returns the number. */
  value(name: string): Promise<number>;
}

function sh(script: string, options: RunOptions = {}): Running {
  const lines: Running['lines'] = [];
  const result = runCommand(
    { command: 'sh', args: ['-c', script], cwd: tmpdir(), env: process.env },
    { ...options, onLine: (line, stream) => lines.push({ line, stream }) },
  );
  return {
    lines,
    result,
    value: (name) =>
      waitUntil(
        `a line ${name}=<n>`,
        () => {
          for (const { line } of lines) {
            const m = new RegExp(`^${name}=(\\d+)$`).exec(line);
            if (m) return Number(m[1]);
          }
          return undefined;
        },
        { describe: () => JSON.stringify(lines) },
      ),
  };
}

describe('runCommand', () => {
  it('collects stdout and stderr and returns the exit code', async () => {
    const r = await sh('echo out; echo err >&2; printf tail; exit 3').result;
    expect(r).toMatchObject({ status: 'exited', code: 3, stdout: 'out\ntail', stderr: 'err\n' });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('hands out lines of both streams, a last line without newline included', async () => {
    const run = sh('echo a; echo b >&2; echo c; printf d >&2; printf e');
    await run.result;
    // Order within a stream is kept; across the two pipes it depends on when each is read.
    const of = (stream: OutputStream) =>
      run.lines.filter((l) => l.stream === stream).map((l) => l.line);
    expect(of('stdout')).toEqual(['a', 'c', 'e']);
    expect(of('stderr')).toEqual(['b', 'd']);
  });

  it('collects output larger than a pipe buffer completely', async () => {
    const r = await sh(`head -c 300000 /dev/zero | tr '\\0' a`).result;
    expect(r.status).toBe('exited');
    expect(r.stdout).toBe('a'.repeat(300_000));
  });

  it('reports a command ended by a signal it got from elsewhere', async () => {
    expect(await sh('kill -USR1 $$').result).toMatchObject({
      status: 'killed',
      signal: 'SIGUSR1',
    });
  });

  it('abort SIGKILLs the whole group, grandchild included, and resolves only once it is empty', async () => {
    const ac = new AbortController();
    const run = sh('echo pid=$$; sleep 300 & echo child=$!; wait', { signal: ac.signal });
    const pgid = await run.value('pid');
    const child = await run.value('child');
    expect(listGroupMembers(pgid).sort()).toEqual([pgid, child].sort());

    const reason = new Error('a newer change');
    ac.abort(reason);
    const r = await run.result;

    expect(r.status).toBe('cancelled');
    // The abort reason is passed through as-is, so the caller can say why.
    if (r.status === 'cancelled') expect(r.reason).toBe(reason);
    expect(listGroupMembers(pgid)).toEqual([]);
    expect(isProcessAlive(child)).toBe(false);
  });

  it('terminate policy: the stop signal first, SIGKILL for a grandchild that ignores it', async () => {
    const ac = new AbortController();
    // `trap '' TERM` is inherited by sleep: neither of them dies of SIGTERM.
    const run = sh(`trap '' TERM; echo pid=$$; sleep 300 & echo child=$!; wait`, {
      signal: ac.signal,
      stop: { kind: 'terminate', signal: 'SIGTERM', graceMs: 200 },
    });
    const pgid = await run.value('pid');
    const child = await run.value('child');
    ac.abort('shutting down');
    const r = await run.result;
    expect(r).toMatchObject({ status: 'cancelled', reason: 'shutting down' });
    expect(listGroupMembers(pgid)).toEqual([]);
    expect(isProcessAlive(child)).toBe(false);
  });

  it('terminate policy: a command that exits on the stop signal is not SIGKILLed', async () => {
    const ac = new AbortController();
    const run = sh('echo pid=$$; trap "echo got-term; exit 0" TERM; while :; do sleep 0.05; done', {
      signal: ac.signal,
      stop: { kind: 'terminate', signal: 'SIGTERM', graceMs: 30_000 },
    });
    const pgid = await run.value('pid');
    ac.abort('stop');
    const r = await run.result;
    expect(r.status).toBe('cancelled');
    // Its handler ran: it got SIGTERM, not SIGKILL.
    expect(r.stdout).toContain('got-term\n');
    expect(listGroupMembers(pgid)).toEqual([]);
  });

  // Pins: go build's compile children write to pipes of go's own, so "our pipes closed" came
  // before they were gone; completion must wait for the group.
  it('waits for a grandchild that stays in the group but not on our pipes', async () => {
    const dir = await tempDir();
    const [mark, done] = [join(dir, 'mark'), join(dir, 'done')];
    const run = sh(
      `(while [ ! -e '${mark}' ]; do sleep 0.01; done; touch '${done}') >/dev/null 2>&1 & echo pid=$$`,
    );
    const pgid = await run.value('pid');
    killAfterTest(pgid);
    await waitUntil('the leader to exit', () => !isProcessAlive(pgid));
    expect(listGroupMembers(pgid).length).toBeGreaterThan(0);
    await writeFile(mark, '');
    const r = await run.result;
    expect(r).toMatchObject({ status: 'exited', code: 0 });
    // The grandchild finished its work before the command counted as complete.
    expect((await stat(done)).isFile()).toBe(true);
    expect(listGroupMembers(pgid)).toEqual([]);
  });

  // Pins: completion waited for the pipes to close, so a daemonized helper that left the
  // group but kept the inherited stdout delayed a reload until the helper exited.
  it('a helper that left the group holding stdout does not delay completion', async () => {
    const run = sh(
      `setsid sleep 300 & echo helper=$!; head -c 100000 /dev/zero | tr '\\0' b; echo; echo end`,
    );
    const helper = await run.value('helper');
    killAfterTest(helper);
    const r = await run.result;
    expect(r).toMatchObject({ status: 'exited', code: 0 });
    // Everything the command wrote arrived, though the pipe never reached end of file.
    expect(r.stdout).toBe(`helper=${helper}\n${'b'.repeat(100_000)}\nend\n`);
    expect(isProcessAlive(helper)).toBe(true);
    // Still holding the write end of our stdout (Node's 'pipe' is a socket pair).
    expect(readlinkSync(`/proc/${helper}/fd/1`)).toMatch(/^(socket|pipe):/);
  });

  it('times out: ends the group and says so', async () => {
    const run = sh('echo pid=$$; sleep 300 & sleep 300', { timeoutMs: 100 });
    const r = await run.result;
    expect(r).toMatchObject({ status: 'timed-out', timeoutMs: 100 });
    const pgid = Number(/pid=(\d+)/.exec(r.stdout)?.[1]);
    expect(pgid).toBeGreaterThan(0);
    expect(listGroupMembers(pgid)).toEqual([]);
  });

  it('the first reason wins: a timeout after an abort stays a cancel', async () => {
    const ac = new AbortController();
    const run = sh('echo pid=$$; sleep 300', {
      signal: ac.signal,
      timeoutMs: 30_000,
      stop: { kind: 'terminate', signal: 'SIGTERM', graceMs: 30_000 },
    });
    await run.value('pid');
    ac.abort('first');
    expect(await run.result).toMatchObject({ status: 'cancelled', reason: 'first' });
  });

  it('an already aborted signal starts nothing', async () => {
    const dir = await tempDir();
    const r = await sh(`touch '${join(dir, 'ran')}'`, { signal: AbortSignal.abort('too late') })
      .result;
    expect(r).toMatchObject({ status: 'cancelled', reason: 'too late', stdout: '' });
    await expect(stat(join(dir, 'ran'))).rejects.toThrow();
  });

  it.each([
    ['a missing program', 'missing', 'ENOENT'],
    ['a file without execute permission', 'no-x', 'EACCES'],
  ])('returns not-started for %s', async (_name, file, errno) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'no-x'), '#!/bin/sh\n');
    await chmod(join(dir, 'no-x'), 0o644);
    const r = await runCommand({ command: join(dir, file), args: [], cwd: dir, env: {} });
    expect(r.status).toBe('not-started');
    if (r.status === 'not-started') expect(errnoCode(r.error)).toBe(errno);
  });
});
