import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import { requestControl } from './client.js';
import { type ControlServer, probeSocket, startControlServer } from './server.js';

const uid = process.geteuid?.() ?? 0;
const temps: string[] = [];
const servers: ControlServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function controlDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-ctl-'));
  temps.push(dir);
  return dir;
}

async function serve(socketPath: string, handle: () => unknown = () => ({ hi: true })) {
  const server = await startControlServer({ socketPath, uid, handle });
  servers.push(server);
  return server;
}

/** Leaves a socket file nobody listens on: a process that bound it was SIGKILLed. */
function staleSocket(socketPath: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script], { timeout: 30_000 });
  expect(lstatSync(socketPath).isSocket()).toBe(true);
}

const name = (pid: number) => `0123456789abcdef-${pid}.sock`;

describe('control server', () => {
  it('listens with mode 0600, answers, and removes its socket on close', async () => {
    const socket = path.join(await controlDir(), name(1));
    const server = await serve(socket);
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);
    expect(await requestControl(socket, 'hello')).toEqual({
      kind: 'answered',
      result: { hi: true },
    });
    await server.close();
    expect(existsSync(socket)).toBe(false);
  });

  it('replaces a stale socket of its own name and removes stale ones of the same project', async () => {
    const dir = await controlDir();
    const own = path.join(dir, name(1));
    const sibling = path.join(dir, name(2));
    const otherProject = path.join(dir, 'fedcba9876543210-3.sock');
    for (const s of [own, sibling, otherProject]) staleSocket(s);
    expect(await probeSocket(own)).toBe('stale');
    await serve(own);
    expect(await probeSocket(own)).toBe('live');
    expect(existsSync(sibling)).toBe(false);
    // Another project's socket is that project's gohot's business.
    expect(existsSync(otherProject)).toBe(true);
  });

  it('leaves a live socket of the same project alone', async () => {
    const dir = await controlDir();
    const first = await serve(path.join(dir, name(1)));
    await serve(path.join(dir, name(2)));
    expect(await probeSocket(first.path)).toBe('live');
  });

  it('refuses a path that is not a socket, and never removes it', async () => {
    const socket = path.join(await controlDir(), name(1));
    writeFileSync(socket, 'mine');
    const err = await serve(socket).catch((e: unknown) => e);
    expect(isGohotError(err) && err.code).toBe('CONTROL_SOCKET_UNSAFE');
    expect((err as Error).message).toMatch(/is not a socket/);
    expect(existsSync(socket)).toBe(true);
  });

  it("refuses another user's socket, and never removes it", async () => {
    const socket = path.join(await controlDir(), name(1));
    staleSocket(socket);
    chownSync(socket, 65534, 65534);
    const err = await serve(socket).catch((e: unknown) => e);
    expect(isGohotError(err) && err.code).toBe('CONTROL_SOCKET_UNSAFE');
    expect((err as Error).message).toMatch(/belongs to uid 65534/);
    expect(existsSync(socket)).toBe(true);
  });

  it('survives a client that hangs up in the middle of its responses', async () => {
    const socket = path.join(await controlDir(), name(1));
    // Responses far larger than the socket buffer: the server is writing when the client goes.
    const big = 'x'.repeat(1 << 20);
    await serve(socket, () => ({ big }));
    const gotFirstChunk = await new Promise<boolean>((resolve) => {
      const conn = net.connect(socket, () => {
        conn.write('{"v":1,"id":1,"method":"inspect"}\n'.repeat(50));
      });
      conn.once('data', () => {
        conn.destroy();
        resolve(true);
      });
      conn.once('error', () => resolve(false));
    });
    expect(gotFirstChunk).toBe(true);
    const reply = await requestControl(socket, 'inspect');
    expect(reply.kind === 'answered' && (reply.result as { big: string }).big.length).toBe(1 << 20);
  });

  it('answers a request line that is too long with an error and ends the connection', async () => {
    const socket = path.join(await controlDir(), name(1));
    await serve(socket);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const conn = net.connect(socket, () => conn.write('x'.repeat(70 * 1024)));
      conn.setEncoding('utf8');
      conn.on('data', (c: string) => {
        text += c;
      });
      conn.on('close', () => resolve(text));
    });
    expect(JSON.parse(answer)).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });
});
