import { readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/fixture.js';
import {
  freePort,
  type GohotProcess,
  httpGet,
  startGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';

const running: GohotProcess[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop('SIGKILL');
});

async function startHello(extraArgs: string[] = []) {
  const dir = await copyFixture('hello-http');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const gohot = await startGohot(dir, extraArgs, { ADDR: `127.0.0.1:${port}` });
  running.push(gohot);
  await waitForBody(url, /hello from gohot/, gohot);
  return { dir, url, gohot, messageFile: path.join(dir, 'message.go') };
}

const reloads = (g: GohotProcess) => (g.output().match(/-> (re)?started pid \d+/g) ?? []).length;

describe('gohot run (end to end, real go toolchain)', () => {
  it('an edit is built, restarted and served; one save is exactly one build', async () => {
    const { url, gohot, messageFile } = await startHello();
    expect(gohot.output()).toMatch(/watching \. \((native|polling)/);
    expect(reloads(gohot)).toBe(1);

    await writeFile(messageFile, 'package main\n\nconst message = "edited once"\n');
    await waitForBody(url, /edited once/, gohot);
    await gohot.waitForOutput(/message\.go changed -> built \d+ ms -> restarted pid \d+/);
    expect(reloads(gohot)).toBe(2);

    // An editor's atomic save (temp file + rename over the original) is one change.
    const tmp = `${messageFile}.swp`;
    await writeFile(tmp, 'package main\n\nconst message = "edited by rename"\n');
    await rename(tmp, messageFile);
    await waitForBody(url, /edited by rename/, gohot);
    await gohot.waitForOutput(/restarted pid/, { count: 2 });
    expect(reloads(gohot)).toBe(3);
  });

  it('with --poll (or GOHOT_POLL=1) the same loop works by polling, and the start-up line says so', async () => {
    const { url, gohot, messageFile } = await startHello(['--poll', '--poll-interval', '100ms']);
    expect(gohot.output()).toMatch(/watching \. \(polling every 100ms: forced by --poll\)/);
    await writeFile(messageFile, 'package main\n\nconst message = "polled"\n');
    await waitForBody(url, /polled/, gohot);
    expect(reloads(gohot)).toBe(2);
  });

  it('no-op saves, touch, test files and unrelated files do not rebuild, and -v says why', async () => {
    const { dir, gohot, messageFile, url } = await startHello(['--verbose']);
    const same = await readFile(messageFile, 'utf8');
    await writeFile(messageFile, same);
    await gohot.waitForOutput(/message\.go: event, but the content is unchanged/);
    const now = new Date();
    await utimes(messageFile, now, now);
    await gohot.waitForOutput(/message\.go: event, but the content is unchanged/, { count: 2 });
    await writeFile(path.join(dir, 'message_test.go'), 'package main\n');
    await writeFile(path.join(dir, 'NOTES.md'), 'notes\n');
    await gohot.waitForOutput(/message_test\.go: event for a file no watch pattern tracks/);
    await gohot.waitForOutput(/NOTES\.md: event for a file no watch pattern tracks/);
    // A real change after the no-ops proves the watcher was listening the whole time.
    await writeFile(messageFile, 'package main\n\nconst message = "after no-ops"\n');
    await waitForBody(url, /after no-ops/, gohot);
    expect(reloads(gohot)).toBe(2);
  });

  it('a compile error keeps the old process serving and prints file:line:col; the fix reloads', async () => {
    const { url, gohot, messageFile } = await startHello();
    await writeFile(messageFile, 'package main\n\nconst message = "broken" +\n');
    await gohot.waitForOutput(/build failed/);
    await gohot.waitForOutput(/message\.go:\d+:\d+: /);
    expect(gohot.output()).toMatch(/previous version keeps running \(pid \d+\)/);
    expect(await httpGet(url)).toMatch(/hello from gohot/);

    await writeFile(messageFile, 'package main\n\nconst message = "fixed"\n');
    await waitForBody(url, /fixed/, gohot);
  });

  it('a branch-switch storm of 300 rewritten files is one restart after it settles', async () => {
    const dir = await copyFixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const files = Array.from({ length: 300 }, (_, i) => path.join(dir, `gen_${i}.go`));
    await Promise.all(files.map((f, i) => writeFile(f, `package main\n\nvar v${i} = ${i}\n`)));
    const gohot = await startGohot(dir, [], { ADDR: `127.0.0.1:${port}` });
    running.push(gohot);
    await waitForBody(url, /hello from gohot/, gohot);
    expect(reloads(gohot)).toBe(1);

    for (const [i, f] of files.entries())
      await writeFile(f, `package main\n\nvar v${i} = ${i + 1}\n`);
    await writeFile(
      path.join(dir, 'message.go'),
      'package main\n\nconst message = "after the storm"\n',
    );
    await waitForBody(url, /after the storm/, gohot);
    await gohot.waitForOutput(/gen_\d+\.go and \d+ more changed -> built/);
    expect(reloads(gohot)).toBe(2);
  });

  it('Ctrl-C stops the app, exits 130 and removes the temporary binaries', async () => {
    const { url, gohot } = await startHello();
    const code = await gohot.stop('SIGINT');
    expect(code).toBe(130);
    expect(await httpGet(url)).toBeUndefined();
    expect(gohot.output()).toMatch(/stopping \(SIGINT received/);
    expect(await readdir(gohot.tmpDir)).toEqual([]);
  });

  it('SIGTERM exits 143', async () => {
    const { gohot } = await startHello();
    expect(await gohot.stop('SIGTERM')).toBe(143);
  });
});
