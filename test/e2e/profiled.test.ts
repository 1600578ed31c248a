import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

describe('gohot under the Node profiler (end to end)', () => {
  // Regression: gohot handled SIGPROF like SIGTERM; `node --cpu-prof` sends it every few
  // milliseconds, so a profiled gohot stopped at once with exit code 155.
  it('keeps running under --cpu-prof and writes the profile on a normal stop', async () => {
    const dir = await fixture('hello-http');
    const profiles = await tempDir('profiles');
    const port = await freePort();
    const g = await startGohot(dir, {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    await waitForBody(`http://127.0.0.1:${port}/`, /hello from gohot/, g);
    expect(await g.stop('SIGTERM')).toBe(143);
    expect((await readdir(profiles)).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(1);
  });
});
