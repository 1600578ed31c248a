import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, removeTemp } from '../helpers/fixture.js';
import { CLI, type GohotProcess, startGohot } from '../helpers/gohot-cli.js';
import { isAlive } from '../helpers/processes-linux.js';
import { waitFor, waitUntil } from '../helpers/wait-for.js';

const running: GohotProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGTERM');
  await Promise.all(dirs.splice(0).map(removeTemp));
});

async function hello(): Promise<string> {
  const dir = await copyFixture('hello-http');
  dirs.push(dir);
  return dir;
}

describe('gohot never orphans its app (end to end)', () => {
  // Regression: Ctrl-\ (SIGQUIT), SIGUSR2 and SIGALRM killed gohot with their default action
  // and left the app (in its own process group) holding its port.
  it.each(['SIGQUIT', 'SIGUSR2', 'SIGALRM'] as const)(
    '%s stops the app gracefully and exits 128 + n',
    async (sig) => {
      const g = await startGohot(await hello(), { env: { ADDR: '127.0.0.1:0' } });
      running.push(g);
      await g.waitForOutput(/-> started pid \d+/);
      const appPid = Number(/-> started pid (\d+)/.exec(g.output())?.[1]);
      expect(isAlive(appPid)).toBe(true);
      expect(await g.stop(sig)).toBe(128 + os.constants.signals[sig]);
      expect(g.output()).toMatch(new RegExp(`stopping \\(${sig} received`));
      expect(isAlive(appPid)).toBe(false);
    },
  );

  // Regression: a reader that went away (`gohot 2>&1 | head`) made the next write fail with
  // EPIPE, an uncaught error that killed gohot and left the app running.
  it('a closed output pipe stops the app, cleans up and exits', async () => {
    const dir = await hello();
    const proc = spawn(process.execPath, [CLI], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ADDR: '127.0.0.1:0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    let out = '';
    proc.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const appPid = await waitUntil(
        'the app to start',
        () => Number(/-> started pid (\d+)/.exec(out)?.[1]) || undefined,
        { timeoutMs: 60_000, describe: () => out },
      );
      // The reader goes away; the next line gohot prints (the reload) finds no reader.
      proc.stderr.destroy();
      proc.stdout.destroy();
      await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "x"\n');
      expect(await exited).toBe(128 + os.constants.signals.SIGPIPE);
      await waitFor(() => !isAlive(appPid), { what: `app pid ${appPid} to be gone` });
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });

  // Regression: a closed terminal (the pty's other end gone: SIGHUP, then EIO on every write)
  // killed gohot (signal 11 in 3 of 3 runs) and left the app holding its port. The terminal
  // is a real pty from util-linux `script`; SIGKILLing `script` closes it.
  it('a closed terminal stops the app', async () => {
    const dir = await hello();
    const proc = spawn('script', ['-qfec', `${process.execPath} ${CLI}`, '/dev/null'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ADDR: '127.0.0.1:0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const appPid = await waitUntil(
        'the app to start',
        () => Number(/-> started pid (\d+)/.exec(out)?.[1]) || undefined,
        { timeoutMs: 60_000, describe: () => out },
      );
      proc.kill('SIGKILL');
      await waitFor(() => !isAlive(appPid), {
        what: `app pid ${appPid} to be gone`,
        timeoutMs: 20_000,
      });
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});
