import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, STARTS, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

describe('hooks (end to end)', () => {
  it('run around builds and starts with prefixed output; a failing beforeStart keeps the old app', async () => {
    const dir = await fixture('hello-http');
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({
        hooks: {
          beforeBuild: ['sh', '-c', 'echo before-build-ran'],
          afterBuild: [['sh', '-c', 'echo after-build-ran']],
          // A migration that fails while the file "broken-db" exists.
          beforeStart: ['sh', '-c', 'echo migrating; test ! -e broken-db'],
          timeout: '30s',
        },
      }),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);
    await g.waitForOutput(STARTS);
    expect(g.output()).toMatch(/gohot {2}beforeBuild \| before-build-ran/);
    expect(g.output()).toMatch(/gohot {2}afterBuild \| after-build-ran/);
    expect(g.output()).toMatch(/gohot {2}beforeStart \| migrating/);

    await writeFile(path.join(dir, 'broken-db'), '');
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "second"\n');
    await g.waitForOutput(
      /beforeStart hook failed \(exit code 1\): sh -c echo migrating; test ! -e broken-db; previous version keeps running \(pid \d+\)/,
    );
    await waitForBody(url, /hello from gohot/, g);
    expect(g.count(STARTS)).toBe(1);

    await rm(path.join(dir, 'broken-db'));
    await writeFile(path.join(dir, 'message.go'), 'package main\n\nconst message = "third"\n');
    await waitForBody(url, /third/, g);
    expect(g.count(/gohot {2}beforeStart \| migrating/)).toBe(3);
  });
});
