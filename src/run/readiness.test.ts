import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.js';
import { tapOutput } from './output-tap.js';
import { type ReadyAbort, type ReadyCheck, waitForReady } from './readiness.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    (server as http.Server).closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** A port nothing listens on (yet): bound once by the kernel, then released. */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await closeServer(probe);
  return port;
}

function listen(server: net.Server, port = 0): Promise<number> {
  closers.push(() => closeServer(server));
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

const run = (check: ReadyCheck, signal = new AbortController().signal, lines?: never) =>
  waitForReady(check, { signal, startedAt: performance.now(), lines });

describe('waitForReady', () => {
  it('without a check, the app is ready when spawned', async () => {
    expect(await run({ kind: 'none' })).toMatchObject({ status: 'ready', how: 'spawned' });
  });

  it('http: a 5xx is not ready; the first status below 500 is', async () => {
    const statuses: number[] = [];
    const server = http.createServer((_req, res) => {
      // Two "still starting" answers, then a 404: any status below 500 is an app that serves.
      const status = statuses.length < 2 ? 503 : 404;
      statuses.push(status);
      res.writeHead(status).end();
    });
    const port = await listen(server);
    const outcome = await run({
      kind: 'http',
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 60_000,
    });
    expect(outcome).toMatchObject({ status: 'ready', how: 'http' });
    expect(statuses).toEqual([503, 503, 404]);
  });

  it('http: ready only once the server listens', async () => {
    const port = await unusedPort();
    const server = http.createServer((_req, res) => res.end('ok'));
    let listening = false;
    const pending = run({
      kind: 'http',
      url: `http://127.0.0.1:${port}/healthz`,
      timeoutMs: 60_000,
    }).then((o) => ({ ...o, listening }));
    await listen(server, port);
    listening = true;
    expect(await pending).toMatchObject({ status: 'ready', how: 'http', listening: true });
  });

  it('tcp: ready only once the port accepts', async () => {
    const port = await unusedPort();
    const server = net.createServer((s) => s.destroy());
    let listening = false;
    const pending = run({ kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 60_000 }).then((o) => ({
      ...o,
      listening,
    }));
    await listen(server, port);
    listening = true;
    expect(await pending).toMatchObject({ status: 'ready', how: 'tcp', listening: true });
  });

  it('gives up after its timeout', async () => {
    const port = await unusedPort();
    expect(await run({ kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 50 })).toEqual({
      status: 'timed-out',
      how: 'tcp',
      timeoutMs: 50,
    });
  });

  it.each<[ReadyAbort, string]>([
    [{ by: 'exited' }, 'exited'],
    [{ by: 'stopped' }, 'stopped'],
  ])('an abort by %j ends the check as %s, never as ready', async (reason, status) => {
    const port = await unusedPort();
    const controller = new AbortController();
    const pending = run(
      { kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 60_000 },
      controller.signal,
    );
    controller.abort(reason);
    expect(await pending).toEqual({ status });
  });

  it('log: ready at the first line that matches, output forwarded unchanged', async () => {
    // The child prints a line, then waits for the test before it prints the ready line.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `process.stdout.write('booting\\n');
         process.stdin.once('data', () => { process.stderr.write('db ok\\nlistening on 127.0.0.1:1\\n'); process.exit(0); });`,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    closers.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const forwarded = { stdout: '', stderr: '' };
    stdout.on('data', (c: Buffer) => (forwarded.stdout += c.toString()));
    stderr.on('data', (c: Buffer) => (forwarded.stderr += c.toString()));
    const lines = tapOutput(child, { stdout, stderr });
    const seen: string[] = [];
    lines((line) => seen.push(line));

    let ready = false;
    const pending = waitForReady(
      { kind: 'log', pattern: 'listening on \\S+', timeoutMs: 60_000 },
      { signal: new AbortController().signal, startedAt: performance.now(), lines },
    ).then((o) => {
      ready = true;
      return o;
    });
    await waitFor(() => seen.includes('booting'), {
      what: 'the first line',
      describe: () => seen.join('\n'),
    });
    expect(ready).toBe(false);
    child.stdin.end('go\n');
    expect(await pending).toMatchObject({ status: 'ready', how: 'log' });
    await exited;
    expect(forwarded).toEqual({ stdout: 'booting\n', stderr: 'db ok\nlistening on 127.0.0.1:1\n' });
    expect(seen).toEqual(['booting', 'db ok', 'listening on 127.0.0.1:1']);
  });
});
