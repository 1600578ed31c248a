import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot } from '../helpers/gohot-cli.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();

describe('the proxy at start-up (end to end)', () => {
  // Regression: with --proxy, a start-up error after the proxy listened (an unsafe state
  // directory) was printed, but the proxy's listening socket kept gohot running for ever.
  it('a start-up error after the proxy listens still ends gohot with 1', async () => {
    const dir = await fixture('hello-http');
    const state = await tempDir('unsafe-state');
    // gohot's private directory, open to everyone: refused (STATE_DIR_UNSAFE).
    mkdirSync(path.join(state, 'gohot'));
    chmodSync(path.join(state, 'gohot'), 0o777);
    const [proxyPort, appPort] = [await freePort(), await freePort()];
    const g = await startGohot(dir, {
      args: ['--proxy', String(proxyPort), '--proxy-target', `http://127.0.0.1:${appPort}`],
      env: { TMPDIR: state, ADDR: `127.0.0.1:${appPort}` },
    });
    let code: number | null | undefined;
    void g.exited.then((c) => {
      code = c;
    });
    await waitUntil('gohot to exit after its start-up error', () => code !== undefined, {
      describe: () => g.output(),
    });
    expect(g.output()).toMatch(/proxy http:\/\/127\.0\.0\.1:\d+ ->/);
    expect(g.output()).toMatch(/will not use .* for its state/);
    expect(code).toBe(1);
  });
});
