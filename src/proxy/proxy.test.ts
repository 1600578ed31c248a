import net from 'node:net';
import { describe, expect, it } from 'vitest';
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
