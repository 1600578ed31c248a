import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/helpers/wait-for.js';
import type { SessionEvent } from '../report/events.js';
import { openListeners } from '../run/listeners.js';
import { editorLink, startProxy } from './proxy.js';

describe('editorLink', () => {
  it.each([
    ['vscode://file/{abs}:{line}:{col}', 'vscode://file//home/me/app/main.go:3:7'],
    ['idea://open?file={abs}&line={line}', 'idea://open?file=/home/me/app/main.go&line=3'],
    ['{rel}#L{line}', 'main.go#L3'],
  ])('%s', (template, expected) => {
    expect(
      editorLink(template, { abs: '/home/me/app/main.go', rel: 'main.go', line: 3, column: 7 }),
    ).toBe(expected);
  });

  it('percent-encodes spaces in the path', () => {
    expect(editorLink('{abs}', { abs: '/a b/c.go', rel: 'c.go', line: 1, column: 1 })).toBe(
      '/a%20b/c.go',
    );
  });
});

/** A port nothing listens on: bound once by the kernel, then released. */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const ready = { status: 'exited' } as const;
const batch = { generation: 1, triggers: [{ kind: 'start' as const }], files: [] };

describe('startProxy follows the app', () => {
  // Regression: the proxy started probing on 'reloaded', which with a readiness check comes
  // once the check gave up, after 'app-exited': the crashed app's requests were held for
  // the whole hold timeout instead of getting the crash page at once.
  it('an app that exited before its readiness check answered stays exited', async () => {
    const [listenPort, appPort] = [await unusedPort(), await unusedPort()];
    const proxy = await startProxy(
      {
        listen: { host: '127.0.0.1', port: listenPort },
        target: `http://127.0.0.1:${appPort}`,
        // A held request would outlast the test.
        holdTimeoutMs: 600_000,
        editorUrl: '{abs}',
        reloadOnly: [],
        targetHeld: false,
      },
      '/tmp',
    );
    try {
      proxy.report({ type: 'app-started', pid: 4242, time: 0 });
      proxy.report({
        type: 'app-exited',
        pid: 4242,
        exit: { kind: 'ended', app: { kind: 'exited', code: 3 } },
        time: 1,
      });
      proxy.report({
        type: 'reloaded',
        batch,
        buildMs: 1,
        restartMs: 1,
        pid: 4242,
        first: true,
        timings: { quietWindowMs: 0, buildMs: 1, stopMs: 0, startMs: 1, readyMs: undefined },
        ready,
        time: 2,
      });
      const res = await fetch(`${proxy.url}/`);
      expect(res.status).toBe(502);
      expect(await res.text()).toMatch(/The app exited/);
    } finally {
      await proxy.close();
    }
  });
});

/** Connections to local IPv4 `port` in TCP state `state` (/proc/net/tcp: 01 established, 08 close-wait). */
function connectionsIn(port: number, state: '01' | '08'): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(hex) && f[3] === state).length;
}

const crashed: SessionEvent = {
  type: 'app-exited',
  pid: 4242,
  exit: { kind: 'ended', app: { kind: 'exited', code: 3 } },
  time: 1,
};

describe('startProxy in front of a socket of run.listen', () => {
  // Regression: gohot holds that socket, so a connection to it succeeds with no app running:
  // after the app crashed, every request through the proxy waited in the socket's backlog
  // (until the browser gave up) instead of getting the crash page.
  it('answers with the crash page once the app exited', async () => {
    const held = await openListeners([{ name: 'http', host: '127.0.0.1', port: 0 }]);
    const appPort = held.addresses[0]?.port ?? 0;
    const proxy = await startProxy(
      {
        listen: { host: '127.0.0.1', port: await unusedPort() },
        target: `http://127.0.0.1:${appPort}`,
        holdTimeoutMs: 600_000,
        editorUrl: '{abs}',
        reloadOnly: [],
        targetHeld: true,
      },
      '/tmp',
    );
    try {
      proxy.report({ type: 'app-started', pid: 4242, time: 0 });
      // The proxy's own port check connected and let go: it is queued, half closed.
      await waitUntil('the port check of the proxy', () => connectionsIn(appPort, '08') > 0);
      const waiting = fetch(`${proxy.url}/`);
      await waitUntil(
        'the request to wait in the backlog of the held socket',
        () => connectionsIn(appPort, '01') > 0,
      );
      proxy.report(crashed);
      // Its connection ends with the app's agent: it gets the page saying it was cut.
      const first = await waiting;
      expect(first.status).toBe(502);
      const later = await fetch(`${proxy.url}/`);
      expect(later.status).toBe(502);
      expect(await later.text()).toMatch(/The app exited/);
    } finally {
      await proxy.close();
      held.close();
    }
  });
});
