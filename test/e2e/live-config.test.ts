import { cp, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtBy,
  freePort,
  type GohotProcess,
  ownerRecords,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();

// Restarted, or kept when the binary came out the same (nothing here changes the program).
const builds = (g: GohotProcess) => g.count(builtBy(/changed/));

describe('changes to gohot.json and go.mod while running (end to end)', () => {
  // Regression: a bad "main" in an edit made gohot skip the rest of that edit for good.
  it('a bad "main" in a config edit keeps the running package and still applies the other keys', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    await g.waitForOutput(/-> started pid/);
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({
        main: './cmd/nope',
        watch: { patterns: ['**/*.go', 'go.mod', '**/*.txt'] },
      }),
    );
    await g.waitForOutput(/Still building \./);
    // The edit's other keys apply: the new patterns reopen the watcher, then gohot rebuilds.
    // Whatever the build took (was: a pattern for "built <n> ms", but a build over a second prints 1.33 s).
    await g.waitForOutput(builtBy(/config changed/));
    const before = builds(g);
    // *.txt is watched now: the patterns of the same edit took effect.
    await writeFile(path.join(dir, 'notes.txt'), 'a note\n');
    await g.waitForOutput(builtBy(/notes\.txt changed/));
    expect(builds(g)).toBe(before + 1);
  });

  // Regression: a reopen that failed (replace target missing) was never retried.
  it('a replace target that appears later is watched once go.mod is saved again', async () => {
    const top = await tempDir('late-lib');
    const app = path.join(top, 'app');
    await cp(await fixture('hello-http'), app, { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(app, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);

    const goMod =
      'module example.com/hello-http\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n';
    await writeFile(path.join(app, 'go.mod'), goMod);
    await g.waitForOutput(/warning: .*lib/);
    expect(g.output()).not.toMatch(/watch roots changed/);

    await mkdir(path.join(top, 'lib'));
    await writeFile(path.join(top, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.21\n');
    await writeFile(path.join(top, 'lib', 'lib.go'), 'package lib\n\nconst Name = "late lib"\n');
    await writeFile(
      path.join(app, 'message.go'),
      'package main\n\nimport "example.com/lib"\n\nvar message = lib.Name\n',
    );
    await writeFile(path.join(app, 'go.mod'), `${goMod}\n`);
    await g.waitForOutput(/watch roots changed: \., \.\.\/lib/);
    await waitForBody(url, /late lib/, g);
    await writeFile(path.join(top, 'lib', 'lib.go'), 'package lib\n\nconst Name = "lib v2"\n');
    await waitForBody(url, /lib v2/, g);
  });

  // Regression: Ctrl-C while the first walk ran killed gohot before it could clean up.
  it('Ctrl-C during start-up exits 130 and leaves no owner record', async () => {
    const dir = await fixture('hello-http');
    await mkdir(path.join(dir, 'big'));
    for (let i = 0; i < 20_000; i += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, j) =>
          writeFile(
            path.join(dir, 'big', `f${i + j}.go`),
            `package big\n\nvar v${i + j} = ${i + j}\n`,
          ),
        ),
      );
    }
    const g = await startGohot(dir, { env: { ADDR: '127.0.0.1:0' } });
    await waitFor(() => ownerRecords(g.tmpDir).length > 0, {
      what: "gohot's owner record in its run directory",
      intervalMs: 2,
      // go env and go list come first; on a loaded machine they alone took over 10 s.
      timeoutMs: 60_000,
      describe: g.output,
    });
    expect(g.output()).not.toMatch(/-> started pid/);
    expect(await g.stop('SIGINT')).toBe(130);
    expect(ownerRecords(g.tmpDir)).toEqual([]);
  });

  // Regression: the watcher a config edit opened never recorded hashes, so every touch built.
  it('after a watch.patterns edit, a touch is still no change', async () => {
    const dir = await fixture('hello-http');
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: '127.0.0.1:0' } });
    await g.waitForOutput(/-> started pid/);
    await g.waitForOutput(/go list: built from/);
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ watch: { patterns: ['**/*.go', '**/go.mod', '**/go.sum'] } }),
    );
    await g.waitForOutput(builtBy(/config changed/));
    const before = builds(g);
    const now = new Date();
    await utimes(path.join(dir, 'message.go'), now, now);
    await g.waitForOutput(/message\.go: event, but the content is unchanged/);
    await writeFile(
      path.join(dir, 'main.go'),
      `${await readFile(path.join(dir, 'main.go'), 'utf8')}\nvar _ = 1\n`,
    );
    await g.waitForOutput(builtBy(/main\.go changed/));
    expect(builds(g)).toBe(before + 1);
  });

  // Regression: a model listed while a config edit opened a new watcher was dropped with the
  // old state, so a package the edit of main.go imported stayed "not imported".
  it('a package imported in the same save as a watch.patterns edit reloads', async () => {
    const dir = await fixture('hello-http');
    await mkdir(path.join(dir, 'lib'));
    await writeFile(path.join(dir, 'lib', 'lib.go'), 'package lib\n\nconst Name = "lib-1"\n');
    // Many directories: opening a watcher takes longer than go list does.
    for (let i = 0; i < 3000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, async (_, j) => {
          const d = path.join(dir, 'junk', `d${i + j}`);
          await mkdir(d, { recursive: true });
          await writeFile(path.join(d, 'x.go'), `package d${i + j}\n`);
        }),
      );
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { args: ['-v'], env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot/, g);
    await g.waitForOutput(/go list: built from/);
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ watch: { patterns: ['**/*.go', '**/go.mod', '**/go.sum'] } }),
    );
    await writeFile(
      path.join(dir, 'message.go'),
      'package main\n\nimport "example.com/hello-http/lib"\n\nvar message = "lib=" + lib.Name\n',
    );
    await waitForBody(url, /lib=lib-1/, g);
    await g.waitForOutput(builtBy(/config changed/));
    await writeFile(path.join(dir, 'lib', 'lib.go'), 'package lib\n\nconst Name = "lib-2"\n');
    await waitForBody(url, /lib=lib-2/, g);
  });
});
