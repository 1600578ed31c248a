import { writeFileSync } from 'node:fs';
import { readFile, rename, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtBinaries,
  freePort,
  type GohotProcess,
  httpGet,
  ownerRecords,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

async function startHello(args: string[] = []) {
  const dir = await fixture('hello-http');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const gohot = await startGohot(dir, { args, env: { ADDR: `127.0.0.1:${port}` } });
  await waitForBody(url, /hello from gohot/, gohot);
  // The app can answer before gohot has printed its start line: tests count those lines.
  await gohot.waitForOutput(STARTS);
  return { dir, url, gohot, messageFile: path.join(dir, 'message.go') };
}

const reloads = (g: GohotProcess) => g.count(STARTS);
const message = /message\.go changed/;

describe('gohot run (end to end, real go toolchain)', () => {
  it('an edit is built, restarted and served; one save is exactly one build', async () => {
    const { url, gohot, messageFile } = await startHello();
    expect(gohot.output()).toMatch(/watching \. \((native|polling)/);
    expect(reloads(gohot)).toBe(1);

    await writeFile(messageFile, 'package main\n\nconst message = "edited once"\n');
    await waitForBody(url, /edited once/, gohot);
    // The new app serves before gohot prints its line (after removing the old binary), and
    // the line holds any build duration (was: a pattern for "built <n> ms", but a slow build prints 1.33 s).
    await gohot.waitForOutput(reloadedBy(message));
    expect(reloads(gohot)).toBe(2);

    // An editor's atomic save (temp file + rename over the original) is one change.
    const tmp = `${messageFile}.swp`;
    await writeFile(tmp, 'package main\n\nconst message = "edited by rename"\n');
    await rename(tmp, messageFile);
    await waitForBody(url, /edited by rename/, gohot);
    await gohot.waitForOutput(reloadedBy(message), { count: 2 });
    expect(reloads(gohot)).toBe(3);

    // A later save is built after everything the rename caused: a second build of the
    // rename would show up as one restart too many here.
    await writeFile(messageFile, 'package main\n\nconst message = "after the rename"\n');
    await gohot.waitForOutput(reloadedBy(message), { count: 3 });
    expect(reloads(gohot)).toBe(4);
  });

  it('with --poll (or GOHOT_POLL=1) the same loop works by polling, and the start-up line says so', async () => {
    const { url, gohot, messageFile } = await startHello(['--poll', '--poll-interval', '100ms']);
    expect(gohot.output()).toMatch(/watching \. \(polling every 100ms: forced by --poll\)/);
    await writeFile(messageFile, 'package main\n\nconst message = "polled"\n');
    await waitForBody(url, /polled/, gohot);
    // Counted once gohot printed the restart (it comes after the new app serves).
    await gohot.waitForOutput(reloadedBy(message));
    expect(reloads(gohot)).toBe(2);
  });

  it('no-op saves, touch, test files and unrelated files do not rebuild, and -v says why', async () => {
    const { dir, gohot, messageFile, url } = await startHello(['--verbose']);
    // Test files are explained by the package graph: wait for go list's answer.
    await gohot.waitForOutput(/go list: built from/);
    const same = await readFile(messageFile, 'utf8');
    // The same bytes written in place without truncating first (flag r+): a truncate and a
    // write seen apart would be two real changes (empty, then back), not a no-op.
    await writeFile(messageFile, same, { flag: 'r+' });
    await gohot.waitForOutput(/message\.go: event, but the content is unchanged/);
    const now = new Date();
    await utimes(messageFile, now, now);
    await gohot.waitForOutput(/message\.go: event, but the content is unchanged/, { count: 2 });
    await writeFile(path.join(dir, 'message_test.go'), 'package main\n');
    await writeFile(path.join(dir, 'NOTES.md'), 'notes\n');
    await gohot.waitForOutput(/message_test\.go: not rebuilt, test file: not part of the binary/);
    await gohot.waitForOutput(/NOTES\.md: event for a file no watch pattern tracks/);
    // A real change after the no-ops proves the watcher was listening the whole time.
    await writeFile(messageFile, 'package main\n\nconst message = "after no-ops"\n');
    await waitForBody(url, /after no-ops/, gohot);
    await gohot.waitForOutput(reloadedBy(message));
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
    const dir = await fixture('hello-http');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const files = Array.from({ length: 300 }, (_, i) => path.join(dir, `gen_${i}.go`));
    await Promise.all(files.map((f, i) => writeFile(f, `package main\n\nvar v${i} = ${i}\n`)));
    const gohot = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, gohot);
    await gohot.waitForOutput(STARTS);
    expect(reloads(gohot)).toBe(1);

    // Written back to back without yielding, as a checkout does: a storm slower than a
    // build (a test process descheduled under load) would fairly be two builds.
    for (const [i, f] of files.entries())
      writeFileSync(f, `package main\n\nvar v${i} = ${i + 1}\n`);
    writeFileSync(
      path.join(dir, 'message.go'),
      'package main\n\nconst message = "after the storm"\n',
    );
    await waitForBody(url, /after the storm/, gohot);
    // Whatever the build took (was: a pattern for "built <n> ms", but a build over a second prints 1.33 s).
    await gohot.waitForOutput(reloadedBy(/gen_\d+\.go and \d+ more changed/));
    expect(reloads(gohot)).toBe(2);
  });

  // The binary stays in the project's run directory (was: a fresh directory, removed at
  // exit): the next session's build to the same path lets go skip an up-to-date link.
  it('Ctrl-C stops the app, exits 130 and removes its owner record, keeping the binary', async () => {
    const { url, gohot } = await startHello();
    const code = await gohot.stop('SIGINT');
    expect(code).toBe(130);
    expect(await httpGet(url)).toBeUndefined();
    expect(gohot.output()).toMatch(/stopping \(SIGINT received/);
    expect(ownerRecords(gohot.tmpDir)).toEqual([]);
    expect(builtBinaries(gohot.tmpDir)).toHaveLength(1);
  });

  it('SIGTERM exits 143', async () => {
    const { gohot } = await startHello();
    expect(await gohot.stop('SIGTERM')).toBe(143);
  });
});
