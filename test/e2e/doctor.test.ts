import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/doctor/types.js';
import { copyFixture, makeTempDir, useGoTemps } from '../helpers/fixture.js';
import { runGohotOnce } from '../helpers/run-once.js';

// `gohot doctor` on copies of fixtures, each with one problem: the problem and its fix are
// named, and the exit code is 1 exactly when reloading is blocked.
const { temp } = useGoTemps();

/** A clean environment for go: no GOFLAGS or GOPROXY of the machine running the tests. */
const CLEAN: NodeJS.ProcessEnv = {
  GOFLAGS: '',
  GOPROXY: 'https://proxy.golang.org,direct',
  GO111MODULE: undefined,
  CGO_ENABLED: undefined,
  CC: undefined,
  GOCACHE: undefined,
};

interface JsonCheck {
  id: string;
  status: 'ok' | 'warn' | 'block';
  title: string;
  detail: string | null;
  fix: string | null;
  finding: Record<string, unknown> & { kind: string };
}

async function doctor(cwd: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) {
  const text = await runGohotOnce(cwd, ['doctor', ...args], { ...CLEAN, ...env });
  const json = await runGohotOnce(cwd, ['doctor', '--json', ...args], { ...CLEAN, ...env });
  expect(json.code, json.stderr).toBe(text.code);
  const doc = JSON.parse(json.stdout) as {
    version: number;
    status: string;
    checks: JsonCheck[];
    skipped: { id: string; after: string }[];
  };
  const check = (id: string) => {
    const found = doc.checks.filter((c) => c.id === id);
    if (found.length === 0) throw new Error(`no ${id} check in:\n${json.stdout}`);
    return found[0]!;
  };
  return { code: text.code, text: text.stdout, stderr: text.stderr, doc, check };
}

/** The text line of a check and the lines indented under it. */
function block(text: string, id: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(ok|warn|BLOCK) +${id} `).test(l));
  if (start === -1) return '';
  const end = lines.findIndex((l, i) => i > start && !/^ {6,}/.test(l));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('gohot doctor (end to end)', () => {
  it('passes on the clean hello-http fixture, exit 0, every check in order', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app);
    expect(r.code, r.text + r.stderr).toBe(0);
    expect(r.doc.version).toBe(1);
    expect(r.doc.status).not.toBe('block');
    expect(r.text).not.toMatch(/^BLOCK/m);
    const ids = [...new Set(r.doc.checks.map((c) => c.id))];
    expect(ids).toEqual(CHECK_IDS.filter((id) => ids.includes(id)));
    expect(ids).toEqual([...CHECK_IDS]);
    for (const id of ['go', 'toolchain', 'module', 'config', 'main', 'packages', 'goflags']) {
      expect(r.check(id).status, id).toBe('ok');
    }
    for (const id of ['goproxy', 'vendor', 'gocache', 'filesystem']) {
      expect(r.check(id).status, id).toBe('ok');
    }
    expect(r.check('main').finding).toMatchObject({
      relPath: '.',
      importPath: 'example.com/hello-http',
    });
    expect(r.doc.skipped).toEqual([]);
    expect(r.text).toMatch(/No problems found|Nothing blocks reloading/);
  });

  it('counts the directories the watcher would watch, and leaves no probe files behind', async () => {
    const app = await temp(copyFixture('hello-http'));
    for (const d of ['a/b', 'c', 'node_modules/x', '.hidden/y', 'testdata']) {
      await mkdir(path.join(app, d), { recursive: true });
    }
    const r = await doctor(app);
    // The root, a, a/b and c; node_modules, hidden directories and testdata are never walked.
    expect(r.check('inotify').finding).toMatchObject({ kind: 'inotify', dirs: 4 });
    const mtime = r.check('mtime');
    expect(mtime.finding).toMatchObject({ kind: 'mtime', root: app });
    expect(mtime.finding.granularityNs).toBeGreaterThan(0);
    expect((await readdir(app)).filter((n) => n.startsWith('.gohot-doctor'))).toEqual([]);
  });

  it('GO111MODULE=off: GOPATH mode blocks, with the fix', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { GO111MODULE: 'off' });
    expect(r.code).toBe(1);
    expect(r.check('module')).toMatchObject({ status: 'block', finding: { kind: 'gopath-mode' } });
    expect(block(r.text, 'module')).toMatch(/GOPATH mode \(GO111MODULE=off\)/);
    expect(block(r.text, 'module')).toMatch(/fix: Unset GO111MODULE/);
    expect(r.doc.skipped).toContainEqual({ id: 'main', after: 'module' });
  });

  it('GOFLAGS=-mod=vendor: a warning that names the flag, exit 0', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { GOFLAGS: '-mod=vendor' });
    expect(r.code, r.text).toBe(0);
    expect(r.check('goflags')).toMatchObject({
      status: 'warn',
      finding: { notable: [{ kind: 'mod-vendor', flag: '-mod=vendor' }] },
    });
    expect(block(r.text, 'goflags')).toMatch(/builds read dependencies from vendor\//);
    expect(block(r.text, 'goflags')).toMatch(/fix: .*unset GOFLAGS/);
  });

  it("a GOFLAGS entry that go rejects blocks, and names go's complaint", async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { GOFLAGS: '-nonsense' });
    expect(r.code).toBe(1);
    expect(r.check('goflags')).toMatchObject({
      status: 'block',
      finding: { rejected: expect.stringMatching(/GOFLAGS.*-nonsense/) },
    });
    expect(block(r.text, 'goflags')).toMatch(/fix: Remove the flag from GOFLAGS/);
  });

  it('a directory that does not exist is a blocking check, not a crash', async () => {
    const dir = await temp(makeTempDir('doctor-gone'));
    const r = await doctor(dir, {}, ['-C', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.check('module')).toMatchObject({
      status: 'block',
      finding: { kind: 'step-failed', error: { code: 'CWD_NOT_FOUND' } },
    });
  });

  it('GOPROXY=off: a warning, exit 0', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { GOPROXY: 'off' });
    expect(r.code, r.text).toBe(0);
    expect(r.check('goproxy').status).toBe('warn');
    expect(block(r.text, 'goproxy')).toMatch(/module lookup disabled by GOPROXY=off/);
    expect(block(r.text, 'goproxy')).toMatch(/fix: Unset GOPROXY/);
  });

  it('CGO_ENABLED=1 with CC=/nonexistent blocks', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { CGO_ENABLED: '1', CC: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.check('cgo')).toMatchObject({
      status: 'block',
      finding: { kind: 'cgo-compiler', cc: '/nonexistent' },
    });
    expect(block(r.text, 'cgo')).toMatch(/C compiler "\/nonexistent" is not found/);
    expect(block(r.text, 'cgo')).toMatch(/fix: .*CGO_ENABLED=0/);
  });

  it('a GOCACHE below a regular file blocks (root cannot write there either)', async () => {
    const app = await temp(copyFixture('hello-http'));
    const dir = await temp(makeTempDir('doctor-cache'));
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const r = await doctor(app, { GOCACHE: path.join(file, 'cache') });
    expect(r.code).toBe(1);
    expect(r.check('gocache')).toMatchObject({
      status: 'block',
      finding: { problem: { by: 'not-writable', at: file, code: 'ENOTDIR' } },
    });
    expect(block(r.text, 'gocache')).toMatch(
      /cannot be written \(ENOTDIR\), so every go build fails/,
    );
    expect(block(r.text, 'gocache')).toMatch(/fix: Point GOCACHE at a writable absolute directory/);
  });

  it('a vendor directory out of sync with go.mod blocks', async () => {
    const app = await temp(copyFixture('go-aware-vendor'));
    const goMod = path.join(app, 'go.mod');
    await writeFile(goMod, (await readFile(goMod, 'utf8')).replace('vlib v0.0.0', 'vlib v0.0.1'));
    const r = await doctor(app);
    expect(r.code).toBe(1);
    const vendor = r.check('vendor');
    expect(vendor).toMatchObject({ status: 'block', finding: { kind: 'vendor-inconsistent' } });
    expect(vendor.finding.problems).toContainEqual(
      expect.stringMatching(/^example\.com\/vlib@v0\.0\.1: is explicitly required in go\.mod/),
    );
    expect(block(r.text, 'vendor')).toMatch(/fix: Run `go mod vendor`/);
  });

  it('the same vendor directory in sync passes', async () => {
    const app = await temp(copyFixture('go-aware-vendor'));
    const r = await doctor(app);
    expect(r.check('vendor')).toMatchObject({
      status: 'ok',
      finding: { kind: 'vendor-consistent' },
    });
  });

  it('GOTOOLCHAIN=local with a go.mod asking for go 1.99 blocks', async () => {
    const app = await temp(copyFixture('hello-http'));
    const goMod = path.join(app, 'go.mod');
    await writeFile(goMod, (await readFile(goMod, 'utf8')).replace(/^go .*$/m, 'go 1.99'));
    const r = await doctor(app, { GOTOOLCHAIN: 'local' });
    expect(r.code).toBe(1);
    expect(r.check('toolchain')).toMatchObject({
      status: 'block',
      finding: { kind: 'toolchain-unavailable', wants: 'go1.99.0', why: 'local' },
    });
    expect(block(r.text, 'toolchain')).toMatch(/GOTOOLCHAIN=local forbids switching/);
    expect(block(r.text, 'toolchain')).toMatch(/fix: Install go1\.99\.0 or newer/);
  });

  it('GOTOOLCHAIN=auto with GOPROXY=off cannot download go 1.99: blocks, and downloads nothing', async () => {
    const app = await temp(copyFixture('hello-http'));
    const goMod = path.join(app, 'go.mod');
    await writeFile(goMod, (await readFile(goMod, 'utf8')).replace(/^go .*$/m, 'go 1.99'));
    const cache = await temp(makeTempDir('doctor-modcache'));
    const r = await doctor(app, { GOTOOLCHAIN: 'auto', GOPROXY: 'off', GOMODCACHE: cache });
    expect(r.code).toBe(1);
    expect(r.check('toolchain')).toMatchObject({
      status: 'block',
      finding: { kind: 'toolchain-unavailable', why: 'proxy-off' },
    });
    expect(block(r.text, 'toolchain')).toMatch(/GOPROXY=off forbids downloads/);
    // go list would have tried the switch: not run.
    expect(r.doc.skipped).toContainEqual({ id: 'packages', after: 'toolchain' });
    expect(await readdir(cache)).toEqual([]);
  });

  it('started above the module: names the module below and `-C`', async () => {
    const top = await temp(makeTempDir('doctor-top'));
    const app = await temp(copyFixture('hello-http'));
    await mkdir(path.join(top, 'backend'));
    for (const f of await readdir(app)) {
      await writeFile(path.join(top, 'backend', f), await readFile(path.join(app, f)));
    }
    const r = await doctor(top);
    expect(r.code).toBe(1);
    expect(r.check('module')).toMatchObject({
      status: 'block',
      finding: { kind: 'no-go-mod', nearby: ['backend'] },
    });
    expect(block(r.text, 'module')).toMatch(/fix: Start gohot in the module: `gohot -C backend`/);
  });

  it('a broken gohot.json is a blocking check, not a crash', async () => {
    const app = await temp(copyFixture('hello-http'));
    await writeFile(path.join(app, 'gohot.json'), '{ "run": { "stopTimeout": 5 } }');
    const r = await doctor(app);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.check('config')).toMatchObject({ status: 'block', finding: { kind: 'step-failed' } });
    expect(block(r.text, 'config')).toMatch(/^BLOCK config +CONFIG_INVALID/);
    expect(r.check('goflags').status).toBe('ok');
  });

  it('no go at all: the go check blocks, the rest that needs it is skipped', async () => {
    const app = await temp(copyFixture('hello-http'));
    const r = await doctor(app, { GOHOT_GO: '/nonexistent/go' });
    expect(r.code).toBe(1);
    expect(r.check('go')).toMatchObject({ status: 'block', finding: { kind: 'go-missing' } });
    expect(block(r.text, 'go')).toMatch(/fix: Install a current Go/);
    expect(r.doc.skipped).toContainEqual({ id: 'toolchain', after: 'go' });
    // The file system checks need no go.
    expect(r.check('filesystem').status).toBe('ok');
  });
});
