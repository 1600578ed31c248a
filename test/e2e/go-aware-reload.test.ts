import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtBy,
  CLI,
  freePort,
  type GohotProcess,
  reloadedBy,
  STARTS,
  useGohot,
  waitForBody,
} from '../helpers/gohot-cli.js';

const { start: startGohot, fixture } = useGohot();

/** Every build gohot started (with -v it prints one line per build). */
const BUILDS = /build #\d+ started/;

async function startApp(ws: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const g = await startGohot(path.join(ws, 'app'), {
    args: ['-v'],
    env: { ADDR: `127.0.0.1:${port}` },
  });
  await waitForBody(url, /^app=app-1$/m, g);
  // The package graph is listed once the app runs: decisions below depend on it.
  await g.waitForOutput(/go list: built from \d+ packages/);
  return { g, url };
}

/** Edits a file by replacing `from` with `to` (the edit must change something). */
async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `${file} changes`).not.toBe(text);
  await writeFile(file, next);
}

/**
 * Proves an edit ran no build: its own "not rebuilt" line comes, then a real edit of
 * marker.go reloads, and that reload is the only build since `before` builds.
 */
async function expectNoBuildSince(
  g: GohotProcess,
  url: string,
  ws: string,
  before: number,
  n: number,
) {
  await edit(path.join(ws, 'app', 'marker.go'), /app-\d+/, `app-${n}`);
  await waitForBody(url, new RegExp(`^app=app-${n}$`, 'm'), g);
  // Only marker.go in the trigger: an earlier edit that needed a build would be named too.
  await g.waitForOutput(reloadedBy(/gohot {2}marker\.go changed/), { count: n - 1 });
  expect(g.count(BUILDS)).toBe(before + 1);
}

/**
 * Creates app/extra (not imported yet: its file gets that reason), then makes main import
 * and serve it, and waits until the app serves extra-1.
 */
async function importNewPackage(ws: string, g: GohotProcess, url: string) {
  const extra = path.join(ws, 'app', 'extra');
  mkdirSync(extra);
  writeFileSync(path.join(extra, 'extra.go'), 'package extra\n\nconst Name = "extra-1"\n');
  await g.waitForOutput(/extra\/extra\.go: not rebuilt, extra is not imported by \./);
  const main = path.join(ws, 'app', 'main.go');
  const original = await readFile(main, 'utf8');
  await writeFile(
    main,
    original
      .replace(
        '"example.com/app/platform"',
        '"example.com/app/extra"\n\t"example.com/app/platform"',
      )
      .replace('platform.Name())', 'platform.Name()) + "extra=" + extra.Name + "\\n"'),
  );
  await waitForBody(url, /^extra=extra-1$/m, g);
  return { extra, main, original };
}

describe('Go-aware reloads (end to end, go.work + replace + embed fixture)', () => {
  it('builds for what the binary is made of, and says why it did not for the rest', async () => {
    const ws = await fixture('go-aware');
    const { g, url } = await startApp(ws);
    const app = (...p: string[]) => path.join(ws, 'app', ...p);
    expect(g.count(BUILDS)).toBe(1);

    // Nothing of these can change the binary: each gets its reason, and no build runs.
    await edit(app('platform', 'platform_test.go'), 'func TestName', '// edited\nfunc TestName');
    await g.waitForOutput(/platform_test\.go: not rebuilt, test file: not part of the binary/);
    await edit(app('platform', 'windows_only.go'), 'WindowsOnly exists', 'WindowsOnly is');
    await g.waitForOutput(
      /windows_only\.go: not rebuilt, excluded from example\.com\/app\/platform by a build constraint/,
    );
    await edit(app('platform', 'platform_windows.go'), '"windows"', '"windows!"');
    await g.waitForOutput(/platform_windows\.go: not rebuilt, excluded from/);
    await edit(app('cmd', 'other', 'main.go'), /package main/, 'package main\n\nvar edited = 1');
    await g.waitForOutput(/cmd\/other\/main\.go: not rebuilt, cmd\/other is not imported by \./);
    await edit(app('internal', 'tools', 'tools.go'), 'tools-1', 'tools-2');
    await g.waitForOutput(
      /internal\/tools\/tools\.go: not rebuilt, internal\/tools is not imported by \./,
    );
    // A comment edit that keeps every line where it was, in the main package and in the lib.
    await edit(app('marker.go'), 'End-to-end tests edit this file.', 'Tests edit this file.');
    await g.waitForOutput(/marker\.go: not rebuilt, only comments or white space changed/);
    await edit(path.join(ws, 'lib', 'lib.go'), 'Marker is shown', 'Marker is what is shown');
    await g.waitForOutput(/lib\/lib\.go: not rebuilt, only comments or white space changed/);
    // An edit undone at once, and a touch: the same bytes as the build saw.
    const markerText = readFileSync(app('marker.go'), 'utf8');
    writeFileSync(app('marker.go'), markerText.replace('app-1', 'app-x'));
    writeFileSync(app('marker.go'), markerText);
    execFileSync('touch', [app('marker.go')]);
    await expectNoBuildSince(g, url, ws, 1, 2);
    expect(g.count(STARTS)).toBe(2);

    // What the binary is made of reloads and serves the new content.
    await edit(path.join(ws, 'lib', 'lib.go'), 'lib-1', 'lib-2');
    await waitForBody(url, /^lib=lib-2$/m, g);
    await edit(path.join(ws, 'sibling', 'sibling.go'), 'sibling-1', 'sibling-2');
    await waitForBody(url, /^sibling=sibling-2$/m, g);
    await writeFile(app('web', 'static', 'hello.txt'), 'static-2\n');
    await waitForBody(url, /^static=static-2$/m, g);
    await edit(app('web', 'templates', 'page.html'), 'page-1', 'page-2');
    await waitForBody(url, /^page=<p>go-aware: page-2<\/p>$/m, g);
    // A new file where //go:embed static/* looks: listed again, then built and served.
    await writeFile(app('web', 'static', 'new.txt'), 'brand new\n');
    await waitForBody(`${url}static/new.txt`, /^brand new\n$/, g);
    expect(g.count(STARTS)).toBe(7);
  });

  it('a checkout that deletes and re-creates 200 files with the same bytes builds nothing', async () => {
    const ws = await fixture('go-aware');
    const many = path.join(ws, 'app', 'many');
    mkdirSync(many);
    for (let i = 0; i < 200; i++) {
      writeFileSync(path.join(many, `f${i}.go`), `package many\n\nconst C${i} = ${i}\n`);
    }
    await edit(
      path.join(ws, 'app', 'main.go'),
      '"example.com/app/platform"',
      '_ "example.com/app/many"\n\t"example.com/app/platform"',
    );
    const { g, url } = await startApp(ws);

    const storm = (change?: number) => {
      const files = Array.from({ length: 200 }, (_, i) => path.join(many, `f${i}.go`));
      const texts = files.map((f) => readFileSync(f, 'utf8'));
      for (const f of files) unlinkSync(f);
      files.forEach((f, i) => {
        writeFileSync(f, i === change ? texts[i]!.replace(`= ${i}`, `= ${i + 1000}`) : texts[i]!);
      });
    };
    storm();
    await expectNoBuildSince(g, url, ws, 1, 2);

    storm(42);
    // C42 is used by nothing: the build runs, and keeps the app (same binary).
    await g.waitForOutput(builtBy(/gohot {2}many\/f42\.go changed/));
    // No build line names the files that came back (the -v lines of the queue may).
    const buildLines = g
      .output()
      .split('\n')
      .filter((l) => l.includes('-> built'));
    expect(buildLines.join('\n')).not.toMatch(/many\/f\d+\.go and \d+ more changed/);
    expect(g.count(BUILDS)).toBe(3);
  });

  it('a new package imported by main is built and watched; dropping the import leaves it out', async () => {
    const ws = await fixture('go-aware');
    const { g, url } = await startApp(ws);
    const { extra, main, original } = await importNewPackage(ws, g, url);
    writeFileSync(path.join(extra, 'extra.go'), 'package extra\n\nconst Name = "extra-2"\n');
    await waitForBody(url, /^extra=extra-2$/m, g);

    await writeFile(main, original);
    await waitForBody(url, /platform=linux\n$/, g);
    // Listed again without the import: extra/ is out of the closure.
    await g.waitForOutput(/\[model\] go list: built from/, { count: 2 });
    const builds = g.count(BUILDS);
    writeFileSync(path.join(extra, 'extra.go'), 'package extra\n\nconst Name = "extra-3"\n');
    await g.waitForOutput(/extra\/extra\.go: not rebuilt, extra is not imported by \./, {
      count: 2,
    });
    await expectNoBuildSince(g, url, ws, builds, 2);
  });
});

describe('decisions while the package graph is listed again (end to end)', () => {
  it('an edit in a package main has just started to import is built, even before go list answers', async () => {
    const ws = await fixture('go-aware');
    // A go whose `list` takes seconds: the edit below lands while the graph is stale.
    const slowGo = path.join(ws, 'slow-go');
    writeFileSync(
      slowGo,
      `#!/bin/sh\nif [ "$1" = list ]; then sleep 3; fi\nexec ${JSON.stringify(`${execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()}/bin/go`)} "$@"\n`,
      { mode: 0o755 },
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const g = await startGohot(path.join(ws, 'app'), {
      args: ['-v'],
      env: { ADDR: `127.0.0.1:${port}`, GOHOT_GO: slowGo },
    });
    await waitForBody(url, /^app=app-1$/m, g);
    await g.waitForOutput(/go list: built from \d+ packages/);
    const { extra } = await importNewPackage(ws, g, url);
    // go list is still sleeping: the old graph says extra is not imported.
    writeFileSync(path.join(extra, 'extra.go'), 'package extra\n\nconst Name = "extra-2"\n');
    await waitForBody(url, /^extra=extra-2$/m, g);
  });
});

describe('gohot explain (end to end)', () => {
  it('gives the reason of each decision, in words and as JSON', async () => {
    const ws = await fixture('go-aware');
    const app = path.join(ws, 'app');
    const paths = [
      'marker.go',
      'platform/platform_test.go',
      'platform/windows_only.go',
      'cmd/other/main.go',
      'web/static/hello.txt',
      'web/static/new.css',
      '../lib/lib.go',
      'README.md',
      'web',
    ];
    const text = execFileSync('node', [CLI, 'explain', ...paths], { cwd: app, encoding: 'utf8' });
    const block = (name: string) => text.split('\n\n').find((b) => b.startsWith(name)) ?? '';
    expect(block('marker.go')).toMatch(
      /on change: +an edit -> rebuild: code changed in example\.com\/app/,
    );
    expect(block('marker.go')).toMatch(/imported: +it is the main package/);
    expect(block('platform/platform_test.go')).toMatch(/test file: not part of the binary/);
    expect(block('platform/windows_only.go')).toMatch(/role: +excluded by a build constraint/);
    expect(block('cmd/other/main.go')).toMatch(/not rebuilt: cmd\/other is not imported by \./);
    expect(block('web/static/hello.txt')).toMatch(/role: +embedded with \/\/go:embed/);
    expect(block('web/static/new.css (does not exist)')).toMatch(
      /creating it -> listed again to decide/,
    );
    expect(block('../lib/lib.go')).toMatch(
      /imported: +yes: example\.com\/app -> example\.com\/lib/,
    );
    expect(block('README.md')).toMatch(/watched: +no: matches no pattern/);
    expect(block('web (directory)')).toMatch(/package: +example\.com\/app\/web/);

    const json = JSON.parse(
      execFileSync('node', [CLI, 'explain', '--json', 'marker.go', 'nope/x.go'], {
        cwd: app,
        encoding: 'utf8',
      }),
    );
    expect(json.version).toBe(1);
    expect(json.paths[0]).toMatchObject({
      path: 'marker.go',
      kind: 'file',
      package: { importPath: 'example.com/app', chain: ['example.com/app'], role: 'go' },
      onChange: { action: 'rebuild', reason: { by: 'package-source', edit: 'code' } },
    });
    expect(json.paths[1]).toMatchObject({
      kind: 'missing',
      package: null,
      onChange: { action: 'ignore', reason: { by: 'outside-closure', dir: 'nope' } },
    });
  });
});
