import { chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';
import { getText } from '../helpers/http-text.js';
import { startLoadLoop } from '../helpers/load-loop.js';
import { isAlive as isProcessAlive } from '../helpers/processes-linux.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start, fixture, tempDir } = useGohot();

const RESTARTS = 30;
const WORKERS = 4;

/** One request on a new connection (no keep-alive): a refused connect shows as ECONNREFUSED. */
const getFresh = (url: string) => getText(url, false, { connection: 'close' });

describe('run.listen: gohot holds the app socket across restarts (socket activation)', () => {
  it(`a client loop sees no refused or failed connection over ${RESTARTS} restarts`, async () => {
    const dir = await fixture('socket-activated');
    const port = await freePort();
    await writeFile(path.join(dir, 'config.txt'), 'start');
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({
        run: { listen: [`http=127.0.0.1:${port}`] },
        watch: { restartOnly: ['config.txt'] },
      }),
    );
    const url = `http://127.0.0.1:${port}/`;
    // ADDR is a port nobody serves: the app must use the socket it is given.
    const gohot = await start(dir, { env: { ADDR: '127.0.0.1:1' } });
    await gohot.waitForOutput(new RegExp(`holding 127\\.0\\.0\\.1:${port} \\(http\\) for the app`));
    await waitForBody(url, /activated=true message=one cfg=start/, gohot);

    const pids = new Set<string>();
    const loop = startLoadLoop(
      WORKERS,
      () => getFresh(url),
      ({ status, body }) => {
        if (status !== 200) return `${status}: ${body.slice(0, 200)}`;
        pids.add(/pid=(\d+)/.exec(body)?.[1] ?? '?');
        return body.includes('activated=true') ? undefined : `not activated: ${body}`;
      },
    );
    const { failures } = loop;
    try {
      for (let i = 1; i <= RESTARTS; i++) {
        await writeFile(path.join(dir, 'config.txt'), `restart ${i}`);
        await waitUntil(
          `the client loop to see restart ${i}`,
          () => loop.lastBody().includes(`cfg=restart ${i}\n`),
          { describe: () => `failures: ${failures.join('\n')}\n${gohot.output()}` },
        );
      }
      // A rebuilt app gets the same socket.
      await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "two"\n');
      await waitUntil(
        'the client loop to see the rebuilt app',
        () => loop.lastBody().includes('activated=true message=two'),
        { describe: () => `failures: ${failures.join('\n')}\n${gohot.output()}` },
      );
    } finally {
      await loop.stop();
    }
    console.log(
      `run.listen: ${loop.sent()} requests on new connections during ${RESTARTS} restarts and a rebuild, ${failures.length} failed, slowest ${loop.slowestMs().toFixed(0)} ms, ${pids.size} app processes answered`,
    );
    expect(gohot.count(/config\.txt changed -> restarted pid \d+/)).toBeGreaterThanOrEqual(
      RESTARTS,
    );
    // Every restart's app answered through the held socket.
    expect(pids.size).toBeGreaterThanOrEqual(RESTARTS + 2);
    expect(failures).toEqual([]);
  });

  it('an address already in use stops start-up with RUN_LISTEN_FAILED, before any build', async () => {
    const dir = await fixture('socket-activated');
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      await writeFile(
        path.join(dir, 'gohot.json'),
        JSON.stringify({ run: { listen: [`127.0.0.1:${port}`] } }),
      );
      const gohot = await start(dir);
      expect(await gohot.exited).toBe(1);
      expect(gohot.output()).toContain(`Cannot listen on 127.0.0.1:${port}`);
      expect(gohot.count(/build #\d+ started/)).toBe(0);
    } finally {
      busy.close();
    }
  });

  // Regression: the app of a gohot killed with SIGKILL keeps the held sockets (it has them as
  // fd 3), and the next gohot opened run.listen before it stopped that orphan: it failed with
  // RUN_LISTEN_FAILED (EADDRINUSE) on the very port it was about to free.
  it('the next gohot after a SIGKILL stops the orphaned app and holds the same port', async () => {
    const dir = await fixture('socket-activated');
    const port = await freePort();
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ run: { listen: [`127.0.0.1:${port}`] } }),
    );
    const url = `http://127.0.0.1:${port}/`;
    const first = await start(dir, { env: { ADDR: '127.0.0.1:1' } });
    await waitForBody(url, /activated=true message=one/, first);
    await first.waitForOutput(/-> started pid \d+/);
    const orphan = Number(/-> started pid (\d+)/.exec(first.output())?.[1]);
    first.proc.kill('SIGKILL');
    await first.exited;
    // gohot could not clean up: its app still holds the socket.
    expect(isProcessAlive(orphan)).toBe(true);

    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "two"\n');
    const second = await start(dir, { env: { ADDR: '127.0.0.1:1', TMPDIR: first.tmpDir } });
    await second.waitForOutput(new RegExp(`stopped app pid ${orphan}, left running by gohot pid`));
    await second.waitForOutput(new RegExp(`holding 127\\.0\\.0\\.1:${port} \\(listen0\\)`));
    await waitForBody(url, /activated=true message=two/, second);
    expect(second.output()).not.toMatch(/Cannot listen on/);
    expect(isProcessAlive(orphan)).toBe(false);
  });

  // Regression: without a runnable /bin/sh (the trampoline that sets LISTEN_PID), every start
  // of the app failed with "The system refused to start .../app. Check that the binary is
  // built for this machine", naming the wrong program, and gohot ran on without an app.
  it('a /bin/sh that cannot run stops start-up with RUN_LISTEN_FAILED naming it', async () => {
    const dir = await fixture('socket-activated');
    const port = await freePort();
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ run: { listen: [`127.0.0.1:${port}`] } }),
    );
    // A file that is not executable, mounted over /bin/sh in a mount namespace of gohot's own.
    const noShell = path.join(await tempDir('no-shell'), 'sh');
    await writeFile(noShell, '#!/nonexistent\n');
    await chmod(noShell, 0o644);
    const gohot = await start(dir, {
      prefix: ['unshare', '-Urm', 'sh', '-c', 'mount --bind "$0" /bin/sh && exec "$@"', noShell],
    });
    let code: number | null | undefined;
    void gohot.exited.then((c) => {
      code = c;
    });
    await waitUntil(
      'gohot to stop at start-up, or to fail the first start of the app',
      () => code !== undefined || /reload #1 failed/.test(gohot.output()),
      { describe: () => gohot.output() },
    );
    expect(gohot.output()).not.toMatch(/refused to start/);
    expect(code).toBe(1);
    expect(gohot.output()).toMatch(/run\.listen starts the app through \/bin\/sh .*EACCES/);
    expect(gohot.count(/build #\d+ started/)).toBe(0);
  });

  // Regression: an edit of run.listen was reported as "config reloaded (run.listen)", and the
  // app kept the sockets of start-up without a word.
  it('an edit of run.listen says it takes effect when gohot starts again; the app keeps its socket', async () => {
    const dir = await fixture('socket-activated');
    const [port, other] = [await freePort(), await freePort()];
    const config = (p: number) => JSON.stringify({ run: { listen: [`127.0.0.1:${p}`] } });
    await writeFile(path.join(dir, 'gohot.json'), config(port));
    const gohot = await start(dir, { env: { ADDR: '127.0.0.1:1' } });
    const url = `http://127.0.0.1:${port}/`;
    await waitForBody(url, /activated=true message=one/, gohot);
    await writeFile(path.join(dir, 'gohot.json'), config(other));
    await gohot.waitForOutput(
      /config reloaded \(run\.listen; run\.listen takes effect when gohot starts again\)/,
    );
    await waitForBody(url, /activated=true message=one/, gohot);
  });

  // Regression: with the proxy in front, a request after the app crashed waited in the held
  // socket's backlog until the browser gave up, instead of getting the proxy's crash page.
  it('behind the proxy, a crashed app gets the crash page, not a request that never ends', async () => {
    const dir = await fixture('socket-activated');
    const [port, proxyPort] = [await freePort(), await freePort()];
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({
        run: { listen: [`127.0.0.1:${port}`] },
        proxy: { listen: String(proxyPort), target: `http://127.0.0.1:${port}` },
      }),
    );
    const gohot = await start(dir, { env: { ADDR: '127.0.0.1:1' } });
    const url = `http://127.0.0.1:${proxyPort}/`;
    await waitForBody(url, /activated=true message=one/, gohot);
    await writeFile(
      path.join(dir, 'crash.go'),
      'package main\n\nimport "os"\n\nfunc init() { os.Exit(3) }\n',
    );
    await gohot.waitForOutput(/exited with code 3/);
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/The app exited\. gohot holds its port/);
  });
});
