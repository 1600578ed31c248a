import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  freePort,
  httpGet,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';
import { waitUntil } from '../helpers/wait-for.js';

const { start: startGohot, fixture } = useGohot();

/** Saves like an editor that writes a temp file and renames it over the original. */
function save(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** How many builds the --trace file says have finished. */
const buildsFinished = (trace: string) =>
  readFileSync(trace, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"build-finished"')).length;

const message = (s: string) => `package main\n\nconst message = "${s}"\n`;

/**
 * gohot -v on a copy of hello-http with `config` as gohot.json, serving; `trace` is its
 * --trace file (NDJSON), `files` are written before it starts.
 */
async function hello(config: object, files: Record<string, string> = {}) {
  const dir = await fixture('hello-http');
  writeFileSync(path.join(dir, 'gohot.json'), JSON.stringify(config));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const trace = path.join(dir, '..', `${path.basename(dir)}-trace.ndjson`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const gohot = await startGohot(dir, {
    args: ['-v', '--trace', trace],
    env: { ADDR: `127.0.0.1:${port}` },
  });
  await waitForBody(url, /hello from gohot/, gohot);
  await gohot.waitForOutput(STARTS);
  return { dir, url, gohot, trace };
}

/** A cycle started on the leading edge, the initial build's included. */
const LEADING = /cycle #\d+ started at once for 1 trigger\(s\): nothing else changed/;
const WAITS = /queued: message\.go changed \(quiet window 3000 ms\)/;

describe('the leading edge (end to end)', () => {
  it('a lone save starts its build at once, without waiting out a long quiet window', async () => {
    // A 10-minute window: had the build waited for it, its end would never be seen here. The
    // restart waits for the window (a save within it would still cancel the build).
    const { dir, url, gohot, trace } = await hello({ watch: { quietWindow: '10m' } });
    save(path.join(dir, 'message.go'), message('at once'));
    await waitUntil('the build of the save to finish', () => buildsFinished(trace) === 2);
    // The initial build and the save.
    expect(gohot.count(LEADING)).toBe(2);
    expect(await httpGet(url)).toMatch(/hello from gohot/);
  });

  it('a second save within the window cancels the young build; one build then has both', async () => {
    const { dir, url, gohot } = await hello({ watch: { quietWindow: '3s' } });
    const builds = gohot.count(/build #\d+ started/);
    save(path.join(dir, 'message.go'), message('first'));
    await gohot.waitForOutput(/build #\d+ started/, { count: builds + 1 });
    const main = path.join(dir, 'main.go');
    save(main, `${readFileSync(main, 'utf8')}\nfunc second() string { return "second" }\n`);
    await gohot.waitForOutput(/cycle #\d+ cancelled, superseded: main\.go changed/);
    await gohot.waitForOutput(reloadedBy(/message\.go, main\.go changed/));
    await waitForBody(url, /first/, gohot);
    // The cancelled build restarted nothing: the app was started once more, by the follow-up.
    expect(gohot.count(STARTS)).toBe(2);
    expect(gohot.count(LEADING)).toBe(2);
  });

  it('a build that finished within the window restarts nothing until the window has passed', async () => {
    const { dir, url, gohot, trace } = await hello({ watch: { quietWindow: '8s' } });
    save(path.join(dir, 'message.go'), message('first'));
    // The build of the first save has finished, its window (8 s) has not passed.
    await waitUntil("the first save's build to finish", () => buildsFinished(trace) === 2);
    expect(await httpGet(url)).toMatch(/hello from gohot/);
    const main = path.join(dir, 'main.go');
    save(main, `${readFileSync(main, 'utf8')}\nfunc second() string { return "second" }\n`);
    await gohot.waitForOutput(/cycle #\d+ cancelled, superseded: main\.go changed/);
    await gohot.waitForOutput(reloadedBy(/message\.go, main\.go changed/), { timeoutMs: 120_000 });
    await waitForBody(url, /first/, gohot);
    expect(gohot.count(STARTS)).toBe(2);
  });

  it('watch.leadingEdge false waits out the window, as before', async () => {
    const { dir, url, gohot } = await hello({
      watch: { quietWindow: '3s', leadingEdge: false },
    });
    save(path.join(dir, 'message.go'), message('waited'));
    await waitForBody(url, /waited/, gohot);
    expect(gohot.output()).toMatch(WAITS);
    expect(gohot.output()).not.toMatch(LEADING);
  });

  it('after a build cancelled in its window, a restart-only change builds before it restarts', async () => {
    const { dir, url, gohot, trace } = await hello(
      { watch: { quietWindow: '4s', restartOnly: ['settings.txt'] } },
      { 'settings.txt': 'one\n' },
    );
    const file = path.join(dir, 'message.go');
    const original = readFileSync(file, 'utf8');
    save(file, message('undone'));
    await waitUntil("the edit's build to finish", () => buildsFinished(trace) === 2);
    // Undone within the window: the build of "undone" is cancelled, nothing is left to build.
    save(file, original);
    await gohot.waitForOutput(/message\.go: same content as the last build saw; nothing to build/);
    // The output file still holds the "undone" build: a restart must not start it.
    save(path.join(dir, 'settings.txt'), 'two\n');
    await gohot.waitForOutput(/settings\.txt changed -> built .* -> restarted pid \d+/);
    // The restarted app may not listen yet: wait for its answer (the "undone" binary would
    // never give this one).
    await waitForBody(url, /hello from gohot/, gohot);
    expect(gohot.output()).toMatch(/restarting the app: files it reads at start-up changed/);
  });
});
