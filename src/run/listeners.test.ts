import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFixture } from '../../test/helpers/go-build.js';
import { waitUntil } from '../../test/helpers/wait-for.js';
import { GohotError } from '../errors.js';
import { openListeners } from './listeners.js';
import { createSupervisor } from './supervisor.js';
import type { HeldSockets, Supervisor } from './types.js';

const held: HeldSockets[] = [];
const supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  for (const h of held.splice(0)) h.close();
});

async function open(specs: Parameters<typeof openListeners>[0]): Promise<HeldSockets> {
  const sockets = await openListeners(specs);
  held.push(sockets);
  return sockets;
}

/** Connects and sends one HTTP request; resolves with the whole response. */
function request(port: number): { connected: Promise<void>; response: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const response = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      text += c;
    });
    socket.once('end', () => resolve(text));
    socket.once('error', reject);
  });
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  return { connected, response };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** True when a connection to `port` on loopback is refused: nothing listens there. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

function socketInode(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

describe('openListeners (run.listen)', () => {
  it('holds listening sockets without accepting: a client waits in the backlog until the app accepts it', async () => {
    const sockets = await open([
      { name: 'http', host: '127.0.0.1', port: 0 },
      { name: 'metrics', host: '127.0.0.1', port: 0 },
    ]);
    expect(sockets.names).toEqual(['http', 'metrics']);
    expect(sockets.fds).toHaveLength(2);
    for (const fd of sockets.fds) expect(socketInode(fd)).toMatch(/^socket:\[\d+\]$/);
    const port = sockets.addresses[0]?.port ?? 0;
    expect(port).toBeGreaterThan(0);

    // No app yet: the kernel completes the handshake (no ECONNREFUSED); nobody answers.
    const early = request(port);
    await early.connected;

    const binary = await buildFixture('socket-activated');
    const supervisor = createSupervisor({ stdio: 'pipe', listeners: sockets });
    supervisors.push(supervisor);
    const pid = supervisor.start({
      binary,
      args: [],
      env: { ...process.env, LISTEN_PID: '1', ADDR: '127.0.0.1:1' },
      cwd: tmpdir(),
    });
    // The request made before the app existed is answered by it, through the passed socket.
    const body = await early.response;
    expect(body).toMatch(new RegExp(`pid=${pid} activated=true`));
  });

  it('passes the sockets to the app only: other children of gohot do not inherit them', async () => {
    const sockets = await open([{ name: 'http', host: '127.0.0.1', port: 0 }]);
    const inode = socketInode(sockets.fds[0] ?? -1);
    const fds = await new Promise<string>((resolve, reject) =>
      execFile('/bin/sh', ['-c', 'ls -l /proc/$$/fd'], (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    expect(fds).not.toContain(inode);
  });

  it('refuses an address in use with RUN_LISTEN_FAILED naming it, and closes the sockets opened before it', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    // A port of its own for the first socket, so the test can see it closed again.
    const firstPort = await freePort();
    try {
      const err = await openListeners([
        { name: 'first', host: '127.0.0.1', port: firstPort },
        { name: 'web', host: '127.0.0.1', port },
      ]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GohotError);
      expect((err as GohotError).code).toBe('RUN_LISTEN_FAILED');
      expect((err as GohotError).message).toContain(`127.0.0.1:${port} (run.listen "web")`);
      expect((err as GohotError).message).toContain('EADDRINUSE');
      expect((err as GohotError).hint).toContain('Another program listens');
      // Closing a handle completes on a later turn of the loop. While anything holds the
      // socket a connection succeeds (it waits in the backlog); once closed, it is refused.
      await waitUntil(`the socket opened on the way (port ${firstPort}) to be closed`, () =>
        refused(firstPort),
      );
    } finally {
      busy.close();
    }
  });

  // Regression: the message named an IPv6 address without brackets ("::1:8080").
  it('names an IPv6 address in brackets', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '::1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const err = await openListeners([{ name: 'v6', host: '::1', port }]).catch((e: unknown) => e);
      expect((err as GohotError).code).toBe('RUN_LISTEN_FAILED');
      expect((err as GohotError).message).toContain(
        `Cannot listen on [::1]:${port} (run.listen "v6")`,
      );
      expect((err as GohotError).hint).toContain(`Another program listens on [::1]:${port}`);
    } finally {
      busy.close();
    }
  });
});
