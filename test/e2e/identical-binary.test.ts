import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goTestEnv, requireGo } from '../helpers/fixture.js';
import {
  builtBinaries,
  freePort,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();
const go = requireGo();

// message.go of hello-http, with a computed part whose source can change while the compiled
// program stays the same.
const messageGo = (body: string) =>
  `package main\n\nimport "strconv"\n\nvar message = "hello from gohot " + strconv.Itoa(answer())\n\nfunc answer() int {\n${body}\n}\n`;

const buildId = (file: string) =>
  execFileSync(go, ['tool', 'buildid', file], { env: goTestEnv(), encoding: 'utf8' })
    .trim()
    .split('/');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a build that produces the running binary again (end to end)', () => {
  it('keeps the app running when the compiler erased the edit; a real edit restarts it', async () => {
    const dir = await fixture('hello-http');
    const messageFile = path.join(dir, 'message.go');
    await writeFile(messageFile, messageGo('\tx := 1 + 1\n\treturn x'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(dir, { env: { ADDR: `127.0.0.1:${port}` } });
    await waitForBody(url, /hello from gohot 2/, g);
    await g.waitForOutput(STARTS);
    const pid = Number(/-> started pid (\d+)/.exec(g.output())?.[1]);
    const [binary] = builtBinaries(g.tmpDir);
    const before = buildId(binary!);

    // Constant folding makes both the same program (checked below with go tool buildid).
    await writeFile(messageFile, messageGo('\tx := 2\n\treturn x'));
    const kept = new RegExp(
      `message\\.go changed -> built .* -> binary unchanged: kept pid ${pid}`,
    );
    await g.waitForOutput(kept);
    // go linked again (main's source changed, so did the action IDs), into the same content.
    const folded = buildId(binary!);
    expect(folded[0]).not.toBe(before[0]);
    expect(folded[3]).toBe(before[3]);
    expect(g.count(STARTS)).toBe(1);
    expect(isAlive(pid)).toBe(true);
    expect(await readFile(path.join(path.dirname(binary!), 'owner.json'), 'utf8')).toContain(
      `"appPid":${pid}`,
    );

    // Renaming a local variable: the same again.
    await writeFile(messageFile, messageGo('\tsum := 2\n\treturn sum'));
    await g.waitForOutput(kept, { count: 2 });
    expect(buildId(binary!)[3]).toBe(before[3]);
    await waitForBody(url, /hello from gohot 2/, g);
    expect(g.count(STARTS)).toBe(1);

    // A real change is a new program: restarted and served.
    await writeFile(messageFile, messageGo('\tsum := 3\n\treturn sum'));
    await waitForBody(url, /hello from gohot 3/, g);
    await g.waitForOutput(reloadedBy(/message\.go changed/));
    expect(buildId(binary!)[3]).not.toBe(before[3]);
    expect(g.count(STARTS)).toBe(2);
    expect(g.count(/binary unchanged/)).toBe(2);
    const restarted = Number(/-> restarted pid (\d+)/.exec(g.output())?.[1]);
    expect(restarted).not.toBe(pid);
  });

  it('the line of a kept app names only the files that really changed', async () => {
    const dir = await fixture('hello-http');
    const mainFile = path.join(dir, 'main.go');
    const messageFile = path.join(dir, 'message.go');
    await writeFile(messageFile, messageGo('\tx := 1 + 1\n\treturn x'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    // A long quiet window, waited out also by the first save: all three saves below land
    // in one batch.
    await writeFile(
      path.join(dir, 'gohot.json'),
      JSON.stringify({ watch: { leadingEdge: false } }),
    );
    const g = await startGohot(dir, {
      args: ['-v', '--quiet-window', '2s'],
      env: { ADDR: `127.0.0.1:${port}` },
    });
    await waitForBody(url, /hello from gohot 2/, g);

    // main.go is edited (queued for the build) and undone, message.go folds to the same program.
    const mainText = await readFile(mainFile, 'utf8');
    await writeFile(mainFile, mainText.replace('hello-http:', 'hello:'));
    await g.waitForOutput(/\[schedule\] queued: main\.go changed/);
    await writeFile(mainFile, mainText);
    await g.waitForOutput(/main\.go: not rebuilt, same content as the last build saw/);
    await writeFile(messageFile, messageGo('\tx := 2\n\treturn x'));
    await g.waitForOutput(/main\.go: same content as the last build saw; left out of build/);
    await g.waitForOutput(/gohot {2}message\.go changed -> built .* -> binary unchanged: kept pid/);
    expect(g.output()).not.toMatch(/main\.go, message\.go changed/);
  });
});
