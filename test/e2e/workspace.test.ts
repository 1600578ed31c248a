import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, reloadedBy, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

describe('code outside the module root (end to end)', () => {
  it('an edit in a `replace ../lib` target of a go.work module reloads the app', async () => {
    const ws = await fixture('workspace-replace');
    const g = await startGohot(path.join(ws, 'app'));
    await g.waitForOutput(/^lib$/m);
    // go.work's directory holds app, worker and lib: it is the one watch root.
    expect(g.output()).toMatch(/watching \.\. \(/);

    await writeFile(
      path.join(ws, 'lib', 'lib.go'),
      'package lib\n\nfunc Name() string {\n\treturn "lib v2"\n}\n',
    );
    await g.waitForOutput(/^lib v2$/m);
    // The app's own output can come before gohot's line about the restart: wait for it.
    // Whatever the build took (was: built \d+ ms, but a build over a second prints 1.33 s).
    await g.waitForOutput(reloadedBy(/\.\.\/lib\/lib\.go changed/));

    // An edit of go.work itself (above the module) is seen and rebuilds.
    await writeFile(path.join(ws, 'go.work'), 'go 1.21\n\nuse (\n\t./app\n)\n');
    await g.waitForOutput(reloadedBy(/\.\.\/go\.work changed/));
  });

  it('adding `replace ../lib` to go.mod while running starts watching ../lib', async () => {
    const top = await tempDir('replace');
    const app = path.join(top, 'app');
    await cp(await fixture('hello-http'), app, { recursive: true });
    await mkdir(path.join(top, 'lib'));
    await writeFile(path.join(top, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.21\n');
    await writeFile(path.join(top, 'lib', 'lib.go'), 'package lib\n\nconst Name = "lib v1"\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(app, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);
    expect(g.output()).not.toMatch(/\.\.\/lib/);

    await writeFile(
      path.join(app, 'message.go'),
      'package main\n\nimport "example.com/lib"\n\nvar message = lib.Name\n',
    );
    await writeFile(
      path.join(app, 'go.mod'),
      'module example.com/hello-http\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n',
    );
    await waitForBody(url, /lib v1/, g);
    await g.waitForOutput(/watch roots changed: \., \.\.\/lib/);

    await writeFile(path.join(top, 'lib', 'lib.go'), 'package lib\n\nconst Name = "lib v2"\n');
    await waitForBody(url, /lib v2/, g);
  });
});
