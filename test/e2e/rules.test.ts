import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixture } from '../helpers/go-build.js';
import {
  freePort,
  type GohotProcess,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';
import { isAlive } from '../helpers/processes-linux.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture, tempDir } = useGohot();

const BUILDS = /build #\d+ started/;
const RULE_RUNS = /rule gen started/;

/**
 * The generated-code fixture with one rule: templ-like-gen turns page.tmpl into page_gen.go
 * and version_gen.go (rewriting both on every run). Started with -v, so builds are counted.
 */
async function startGenerated() {
  const dir = await fixture('generated-code');
  const state = await tempDir('gen-state');
  const gen = await buildFixture('templ-like-gen');
  await writeFile(
    path.join(dir, 'gohot.json'),
    JSON.stringify({
      rules: [{ name: 'gen', on: ['*.tmpl'], run: [gen, 'page.tmpl'], env: { GEN_STATE: state } }],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const g = await startGohot(dir, { args: ['-v'], env: { ADDR: `127.0.0.1:${port}` } });
  // The checked-in page_gen.go says "stale": the first build runs the rule first.
  await waitForBody(url, /^one v1 plain$/m, g);
  await g.waitForOutput(STARTS);
  // Saved as an editor saves (write a temporary file, rename it over): one change per save.
  // An in-place write is two events on a busy machine (truncated, then written), and the
  // second one rightly cancels the rule the first one started.
  const template = async (text: string) => {
    const tmp = path.join(dir, '.page.tmpl.swp');
    await writeFile(tmp, `${text}\n`);
    await rename(tmp, path.join(dir, 'page.tmpl'));
  };
  return { dir, state, url, g, template };
}

/** Waits for the generator's pid file (a slow run started) and returns the pid. */
async function slowRulePid(state: string, g: GohotProcess): Promise<number> {
  const file = path.join(state, 'gen.pid');
  return waitUntil(
    'the slow rule to write its pid',
    async () => (existsSync(file) ? Number(await readFile(file, 'utf8')) : undefined),
    { describe: () => g.output() },
  );
}

describe('rules: generators in the reload cycle (end to end)', () => {
  it('an edit of a rule input is one rule run, one build and one restart, 20 edits in a row too', async () => {
    const { dir, url, g, template } = await startGenerated();
    expect([g.count(RULE_RUNS), g.count(BUILDS), g.count(STARTS)]).toEqual([1, 1, 1]);

    // The first edit makes the generator write page_gen.go twice (a partial file first).
    await template('twice-1');
    await waitForBody(url, /^twice-1 v1 plain$/m, g);
    await g.waitForOutput(/page\.tmpl changed -> generated .* -> built .* -> restarted pid/);
    expect([g.count(RULE_RUNS), g.count(BUILDS), g.count(STARTS)]).toEqual([2, 2, 2]);

    for (let i = 2; i <= 20; i++) {
      await template(`edit-${i}`);
      await waitForBody(url, new RegExp(`^edit-${i} v1 plain$`, 'm'), g);
      await g.waitForOutput(STARTS, { count: i + 1 });
    }
    // A code edit after the last one: every cycle a rewritten output could have started
    // would have run before it.
    const main = path.join(dir, 'main.go');
    await writeFile(main, (await readFile(main, 'utf8')).replace('"plain"', '"final"'));
    await waitForBody(url, /^edit-20 v1 final$/m, g);
    await g.waitForOutput(STARTS, { count: 22 });
    expect([g.count(RULE_RUNS), g.count(BUILDS), g.count(STARTS)]).toEqual([21, 22, 22]);
    expect(g.output()).not.toMatch(/page_gen\.go changed|version_gen\.go changed/);
  });

  it('a new input edit kills a running rule; a code edit during a rule is built with it; a failing rule keeps the app', async () => {
    const { dir, state, url, g, template } = await startGenerated();

    await template('slow-a');
    const first = await slowRulePid(state, g);
    expect(isAlive(first)).toBe(true);
    await template('after-kill');
    await waitUntil('the first slow rule to be killed', () => !isAlive(first) || undefined, {
      describe: () => g.output(),
    });
    await waitForBody(url, /^after-kill v1 plain$/m, g);
    expect(g.output()).toMatch(/rule gen cancelled \(#\d+\), superseded/);

    // A save of main.go while the rule runs is not an output and not lost: the build after
    // the rule reads it.
    await rm(path.join(state, 'gen.pid'));
    const builds = g.count(BUILDS);
    await template('slow-b');
    const second = await slowRulePid(state, g);
    expect(second).not.toBe(first);
    const main = path.join(dir, 'main.go');
    await writeFile(main, (await readFile(main, 'utf8')).replace('"plain"', '"edited"'));
    await writeFile(path.join(state, 'release'), '');
    await waitForBody(url, /^slow-b v1 edited$/m, g);
    expect(g.count(BUILDS)).toBe(builds + 1);

    // A failing rule: its output is shown, no build, the app keeps serving.
    const beforeFail = g.count(BUILDS);
    await template('fail-x');
    await g.waitForOutput(/page\.tmpl changed -> rule gen failed \(exit code 3\)/);
    await g.waitForOutput(/gen \| templ-like-gen: page\.tmpl:1:1: unexpected "fail-x"/);
    expect(g.output()).toMatch(/previous version keeps running \(pid \d+\)/);
    expect(g.count(BUILDS)).toBe(beforeFail);
    await waitForBody(url, /^slow-b v1 edited$/m, g);

    await template('fixed');
    await waitForBody(url, /^fixed v1 edited$/m, g);
  });
});
