import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import {
  CONTROL_DIR,
  findProjectSockets,
  MAX_SOCKET_PATH_BYTES,
  projectSocketPrefix,
  socketPathFor,
} from './socket-path.js';

const uid = process.geteuid?.() ?? 0;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtimeDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-rt-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function listen(socket: string): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

describe('control socket paths', () => {
  it('names a socket by the hash of the module root and the pid', () => {
    const socket = socketPathFor('/run/user/1000/gohot/ctl', '/src/app', 4242);
    expect(socket).toBe(`/run/user/1000/gohot/ctl/${projectSocketPrefix('/src/app')}-4242.sock`);
    expect(projectSocketPrefix('/src/app')).toMatch(/^[0-9a-f]{16}$/);
    expect(projectSocketPrefix('/src/app')).not.toBe(projectSocketPrefix('/src/app2'));
  });

  it('refuses a path longer than a Unix socket path can be', () => {
    const dir = `/${'d'.repeat(MAX_SOCKET_PATH_BYTES)}`;
    let err: unknown;
    try {
      socketPathFor(dir, '/src/app', 1);
    } catch (e) {
      err = e;
    }
    expect(isGohotError(err) && err.code).toBe('CONTROL_SOCKET_UNUSABLE');
  });

  it("finds the project's sockets in private control directories, newest first", async () => {
    const rt = await runtimeDir();
    const ctl = path.join(rt, 'gohot', CONTROL_DIR);
    mkdirSync(ctl, { recursive: true, mode: 0o700 });
    const older = socketPathFor(ctl, '/src/app', 1);
    const newer = socketPathFor(ctl, '/src/app', 2);
    await listen(older);
    await listen(newer);
    utimesSync(older, new Date(1_000_000), new Date(1_000_000));
    await listen(socketPathFor(ctl, '/src/other', 3));
    // Named like a socket, but a regular file: not one.
    writeFileSync(socketPathFor(ctl, '/src/app', 4), '');
    const env = { XDG_RUNTIME_DIR: rt };
    expect(findProjectSockets('/src/app', env, uid).map((f) => [f.path, f.pid])).toEqual([
      [newer, 2],
      [older, 1],
    ]);
  });

  it('does not look in a control directory other users can reach', async () => {
    const rt = await runtimeDir();
    const ctl = path.join(rt, 'gohot', CONTROL_DIR);
    mkdirSync(ctl, { recursive: true, mode: 0o700 });
    await listen(socketPathFor(ctl, '/src/app', 1));
    chmodSync(ctl, 0o755);
    expect(findProjectSockets('/src/app', { XDG_RUNTIME_DIR: rt }, uid)).toEqual([]);
  });
});
