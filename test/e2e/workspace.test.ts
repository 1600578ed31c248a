import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/fixture.js';
import { type GohotProcess, startGohot } from '../helpers/gohot-cli.js';

const running: GohotProcess[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGKILL');
});

describe('code outside the module root (end to end)', () => {
  it('an edit in a `replace ../lib` target of a go.work module reloads the app', async () => {
    const ws = await copyFixture('workspace-replace');
    const g = await startGohot(path.join(ws, 'app'));
    running.push(g);
    await g.waitForOutput(/^lib$/m);
    // go.work's directory holds app, worker and lib: it is the one watch root.
    expect(g.output()).toMatch(/watching \.\. \(/);

    await writeFile(
      path.join(ws, 'lib', 'lib.go'),
      'package lib\n\nfunc Name() string {\n\treturn "lib v2"\n}\n',
    );
    await g.waitForOutput(/^lib v2$/m);
    expect(g.output()).toMatch(/\.\.\/lib\/lib\.go changed -> built \d+ ms -> restarted pid/);

    // An edit of go.work itself (above the module) is seen and rebuilds.
    await writeFile(path.join(ws, 'go.work'), 'go 1.21\n\nuse (\n\t./app\n)\n');
    await g.waitForOutput(/\.\.\/go\.work changed -> built \d+ ms -> restarted pid/);
  });
});
