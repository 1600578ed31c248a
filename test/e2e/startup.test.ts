import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, useGohot, waitForBody } from '../helpers/gohot-cli.js';

const { start: startGohot, fixture, tempDir } = useGohot();

async function runToExit(cwd: string, args: string[] = []) {
  const g = await startGohot(cwd, { args });
  const code = await g.exited;
  return { code, output: g.output() };
}

describe('start-up problems are clear errors with a fix (end to end)', () => {
  it('several main packages: lists them and asks to choose, exit 1', async () => {
    const { code, output } = await runToExit(await fixture('multi-main'));
    expect(code).toBe(1);
    expect(output).toMatch(/cmd\/api/);
    expect(output).toMatch(/cmd\/worker/);
    expect(output).toMatch(/gohot run \.\/cmd\//);
  });

  it('an explicit package picks one of several mains', async () => {
    const dir = await fixture('multi-main');
    const g = await startGohot(dir, { args: ['run', './cmd/api'] });
    await g.waitForOutput(/-> started pid \d+/);
    expect(g.output()).toMatch(/main \.\/cmd\/api/);
  });

  it('started in a main package below the module root, "." is that package; a package argument is relative to the cwd', async () => {
    const dir = await fixture('multi-main');
    const here = await startGohot(path.join(dir, 'cmd', 'api'));
    await here.waitForOutput(/-> started pid \d+/);
    expect(here.output()).toMatch(/main \.,/);

    const sibling = await startGohot(path.join(dir, 'cmd'), { args: ['run', './worker'] });
    await sibling.waitForOutput(/-> started pid \d+/);
    expect(sibling.output()).toMatch(/main \.\/worker,/);
  });

  it('build tags take part in finding the main package', async () => {
    const dir = await fixture('hello-http');
    for (const f of ['main.go', 'message.go']) {
      const file = path.join(dir, f);
      await writeFile(file, `//go:build dev\n\n${await readFile(file, 'utf8')}`);
    }
    const g = await startGohot(dir, { args: ['--tags', 'dev'], env: { ADDR: '127.0.0.1:0' } });
    await g.waitForOutput(/-> started pid \d+/);
  });

  it('a directory without go.mod says how to create one', async () => {
    const dir = await tempDir('nomod');
    await writeFile(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(/go mod init/);
  });

  it('a library module without a main package is an error', async () => {
    const { code, output } = await runToExit(await fixture('not-main'));
    expect(code).toBe(1);
    expect(output).toMatch(/main package/i);
  });

  it('a broken gohot.json at start names file:line:col and exits 1', async () => {
    const dir = await fixture('hello-http');
    await writeFile(path.join(dir, 'gohot.json'), '{\n  "wach": {}\n}\n');
    const { code, output } = await runToExit(dir);
    expect(code).toBe(1);
    expect(output).toMatch(/gohot\.json:2:3/);
    expect(output).toMatch(/watch/);
  });

  it('a broken config edit while running keeps the last good config and the app', async () => {
    const dir = await fixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    await writeFile(path.join(dir, 'gohot.json'), '{ "run": { "args": [] } }\n');
    const g = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);
    await writeFile(path.join(dir, 'gohot.json'), '{ "run": { "args": [ } }\n');
    await g.waitForOutput(/last good config stays in effect/);
    await waitForBody(url, /hello from gohot/, g);
    // Still watching and building with the kept config.
    await writeFile(
      path.join(dir, 'message.go'),
      'package main\n\nconst message = "still alive"\n',
    );
    await waitForBody(url, /still alive/, g);
  });
});
