import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, goTestEnv, makeTempDir, useGoTemps } from '../../test/helpers/fixture.js';
import { gohotErrorOf } from '../../test/helpers/gohot-error.js';
import { hangingGo } from '../../test/helpers/hanging-go.js';
import { listGroupMembers } from '../run/proc-linux.js';
import { collapseRoots, parseGoVersion, resolveGoProject, supportsBuildJson } from './go-env.js';

const { goBin, temp } = useGoTemps();

describe('parseGoVersion', () => {
  it.each([
    ['go1.21', { major: 1, minor: 21, patch: 0, prerelease: undefined, devel: false }],
    ['go1.22.3', { major: 1, minor: 22, patch: 3, prerelease: undefined, devel: false }],
    ['go1.23rc1', { major: 1, minor: 23, patch: 0, prerelease: 'rc1', devel: false }],
    ['go1.21beta2', { major: 1, minor: 21, patch: 0, prerelease: 'beta2', devel: false }],
    ['go1.24.0 X:boringcrypto', { major: 1, minor: 24, patch: 0, devel: false }],
    ['devel go1.25-abcdef12 Tue Jan 7 10:00:00 2025 +0000', { major: 1, minor: 25, devel: true }],
    ['go1.26.8\n', { major: 1, minor: 26, patch: 8 }],
  ])('%j', (raw, expected) => {
    expect(parseGoVersion(raw)).toMatchObject(expected);
  });

  it('takes a devel toolchain without a version as newer than any release', () => {
    const v = parseGoVersion('devel +b6a6e6f Tue Nov 1 2022');
    expect(v.devel).toBe(true);
    expect(supportsBuildJson(v)).toBe(true);
  });

  it.each(['', 'gccgo', '1.22'])('rejects %j with GO_VERSION_UNKNOWN', (raw) => {
    expect(() => parseGoVersion(raw)).toThrowError(
      expect.objectContaining({ code: 'GO_VERSION_UNKNOWN' }),
    );
  });

  it.each([
    ['go1.23.9', false],
    ['go1.24rc1', true],
    ['go1.24.0', true],
    ['go2.0', true],
  ])('supportsBuildJson(%s) = %s', (raw, expected) => {
    expect(supportsBuildJson(parseGoVersion(raw))).toBe(expected);
  });
});

describe('collapseRoots', () => {
  it.each([
    [['/a'], ['/a']],
    [['/a', '/a/'], ['/a']],
    [['/a/b', '/a'], ['/a']],
    [
      ['/a', '/ab'],
      ['/a', '/ab'],
    ],
    [
      ['/w/app', '/w/lib', '/w/app/vendor/x', '/w/lib/../lib'],
      ['/w/app', '/w/lib'],
    ],
    [['/w/app', '/w'], ['/w']],
  ])('%j -> %j', (input, expected) => {
    expect(collapseRoots(input)).toEqual(expected);
  });
});

describe('resolveGoProject', () => {
  it('resolves a plain module from its root', async () => {
    const dir = await temp(copyFixture('multi-main'));
    const p = await resolveGoProject(dir, { goBin, env: goTestEnv() });
    expect(p.moduleRoot).toBe(dir);
    expect(p.modulePath).toBe('example.com/multimain');
    expect(p.workFile).toBeUndefined();
    expect(p.watchRoots).toEqual([dir]);
    expect(p.env.GOMOD).toBe(join(dir, 'go.mod'));
    expect(p.version.major).toBe(1);
    expect(p.version.minor).toBeGreaterThanOrEqual(21);
    expect(p.goBin).toBe(goBin);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('finds the module root from a subdirectory (go resolves go.mod upwards)', async () => {
    const dir = await temp(copyFixture('multi-main'));
    const p = await resolveGoProject(join(dir, 'cmd', 'api'), { goBin, env: goTestEnv() });
    expect(p.moduleRoot).toBe(dir);
    expect(p.watchRoots).toEqual([dir]);
  });

  it('uses GOHOT_GO from the given env when goBin is not passed', async () => {
    const dir = await temp(copyFixture('not-main'));
    const err = await gohotErrorOf(
      resolveGoProject(dir, { env: goTestEnv({ GOHOT_GO: '/nonexistent/bin/go' }) }),
    );
    expect(err.code).toBe('GO_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/bin/go');
  });

  it('watches go.work modules and local replace targets of a workspace module', async () => {
    const ws = await temp(copyFixture('workspace-replace'));
    const p = await resolveGoProject(join(ws, 'app'), { goBin, env: goTestEnv() });
    expect(p.moduleRoot).toBe(join(ws, 'app'));
    expect(p.modulePath).toBe('example.com/app');
    expect(p.workFile).toBe(join(ws, 'go.work'));
    // go.work sits above app, worker and lib: its directory is the one root (go.work edits count).
    expect([...p.watchRoots]).toEqual([ws]);
  });

  it('keeps per-module roots when a go.work module lies outside the go.work directory', async () => {
    const top = await temp(makeTempDir('gohot-ws-outside-'));
    await mkdir(join(top, 'w', 'a'), { recursive: true });
    await mkdir(join(top, 'b'));
    await writeFile(join(top, 'w', 'go.work'), 'go 1.21\n\nuse (\n\t./a\n\t../b\n)\n');
    await writeFile(join(top, 'w', 'a', 'go.mod'), 'module example.com/a\n\ngo 1.21\n');
    await writeFile(join(top, 'w', 'a', 'main.go'), 'package main\n\nfunc main() {}\n');
    await writeFile(join(top, 'b', 'go.mod'), 'module example.com/b\n\ngo 1.21\n');
    const p = await resolveGoProject(join(top, 'w', 'a'), { goBin, env: goTestEnv() });
    expect(p.workFile).toBe(join(top, 'w', 'go.work'));
    expect([...p.watchRoots].sort()).toEqual([join(top, 'b'), join(top, 'w', 'a')].sort());
  });

  it('ignores the workspace when GOWORK=off but keeps the local replace', async () => {
    const ws = await temp(copyFixture('workspace-replace'));
    const p = await resolveGoProject(join(ws, 'app'), {
      goBin,
      env: goTestEnv({ GOWORK: 'off' }),
    });
    expect(p.workFile).toBeUndefined();
    expect([...p.watchRoots].sort()).toEqual([join(ws, 'app'), join(ws, 'lib')].sort());
  });

  it('takes the go.work directory as the root when started in a workspace that is not a module', async () => {
    const ws = await temp(copyFixture('workspace-replace'));
    const p = await resolveGoProject(ws, { goBin, env: goTestEnv() });
    expect(p.moduleRoot).toBe(ws);
    expect(p.modulePath).toBe('');
    expect(p.workFile).toBe(join(ws, 'go.work'));
    // app, worker and lib (replace ../lib from app) all live below the workspace dir.
    expect(p.watchRoots).toEqual([ws]);
  });

  it('drops replace targets nested in the module and keeps absolute ones outside it', async () => {
    const dir = await temp(copyFixture('not-main'));
    const outside = await temp(makeTempDir('outside'));
    await mkdir(join(dir, 'third_party', 'x'), { recursive: true });
    await writeFile(
      join(dir, 'go.mod'),
      'module example.com/notmain\n\ngo 1.21\n\n' +
        'replace example.com/x => ./third_party/x\n' +
        `replace example.com/y => ${outside}\n` +
        'replace example.com/z => example.com/fork/z v1.0.0\n',
    );
    const p = await resolveGoProject(dir, { goBin, env: goTestEnv() });
    expect([...p.watchRoots].sort()).toEqual([dir, outside].sort());
  });

  it('fails with NO_GO_MOD outside any module', async () => {
    const dir = await temp(makeTempDir('empty'));
    const err = await gohotErrorOf(resolveGoProject(dir, { goBin, env: goTestEnv() }));
    expect(err.code).toBe('NO_GO_MOD');
    expect(err.message).toContain(dir);
    expect(err.hint).toContain('go mod init example.com/app');
  });

  it('fails with NOT_A_MODULE in GOPATH mode', async () => {
    const dir = await temp(copyFixture('not-main'));
    const err = await gohotErrorOf(
      resolveGoProject(dir, { goBin, env: goTestEnv({ GO111MODULE: 'off' }) }),
    );
    expect(err.code).toBe('NOT_A_MODULE');
    expect(err.message).toContain('GO111MODULE=off');
    expect(err.hint).toContain('go mod init');
  });

  it('fails with GO_NOT_FOUND, naming GOHOT_GO, when go cannot be found', async () => {
    const dir = await temp(copyFixture('not-main'));
    const err = await gohotErrorOf(
      resolveGoProject(dir, { goBin: join(dir, 'no-such-go'), env: goTestEnv() }),
    );
    expect(err.code).toBe('GO_NOT_FOUND');
    expect(err.hint).toContain('GOHOT_GO');
    expect(err.hint).toContain('https://go.dev/dl/');
  });

  it('fails with GO_NOT_FOUND for go missing on PATH', async () => {
    const dir = await temp(copyFixture('not-main'));
    const err = await gohotErrorOf(
      resolveGoProject(dir, { goBin: 'go', env: goTestEnv({ PATH: join(dir, 'empty-bin') }) }),
    );
    expect(err.code).toBe('GO_NOT_FOUND');
    expect(err.message).toContain('PATH');
  });

  it('fails with CWD_NOT_FOUND rather than a misleading spawn error', async () => {
    const dir = await temp(makeTempDir('gone'));
    const err = await gohotErrorOf(
      resolveGoProject(join(dir, 'missing'), { goBin, env: goTestEnv() }),
    );
    expect(err.code).toBe('CWD_NOT_FOUND');
  });

  it('fails with GO_TOO_OLD for a Go before 1.21', async () => {
    const dir = await temp(makeTempDir('oldgo'));
    const fake = join(dir, 'go');
    await writeFile(
      fake,
      `#!/bin/sh\necho '{"GOVERSION": "go1.20.14", "GOMOD": "${dir}/go.mod", "GOWORK": ""}'\n`,
    );
    await chmod(fake, 0o755);
    const err = await gohotErrorOf(resolveGoProject(dir, { goBin: fake, env: goTestEnv() }));
    expect(err.code).toBe('GO_TOO_OLD');
    expect(err.message).toContain('go1.20.14');
    expect(err.message).toContain('1.21');
  });

  it('shows go env stderr verbatim and suggests GOTOOLCHAIN=local when a toolchain download fails', async () => {
    const dir = await temp(copyFixture('not-main'));
    await writeFile(join(dir, 'go.mod'), 'module example.com/notmain\n\ngo 1.999\n');
    // GOPROXY=off makes the download fail at once and offline.
    const err = await gohotErrorOf(
      resolveGoProject(dir, { goBin, env: goTestEnv({ GOTOOLCHAIN: 'auto', GOPROXY: 'off' }) }),
    );
    expect(err.code).toBe('GO_ENV_FAILED');
    expect(err.message).toContain('go: downloading go1.999');
    expect(err.message).toContain('toolchain not available');
    expect(err.hint).toContain('GOTOOLCHAIN=local');
  });

  // Pins: runGo took no AbortSignal, so a Ctrl-C during a slow `go env` waited for it.
  it('an abort kills a hanging go env with its children and rejects GO_CANCELLED at once', async () => {
    const dir = await temp(copyFixture('not-main'));
    const go = await hangingGo(dir);
    const ac = new AbortController();
    const pending = gohotErrorOf(
      resolveGoProject(dir, { goBin: go.path, env: goTestEnv(), signal: ac.signal }),
    );
    const pgid = await go.started();
    const reason = new Error('SIGINT received');
    ac.abort(reason);
    const err = await pending;
    expect(err.code).toBe('GO_CANCELLED');
    expect(err.cause).toBe(reason);
    expect(listGroupMembers(pgid)).toEqual([]);
  });

  it('fails with GO_MOD_INVALID and the go error for a broken go.mod', async () => {
    const dir = await temp(copyFixture('not-main'));
    await writeFile(join(dir, 'go.mod'), 'module example.com/notmain\n\ngo 1.21\n\nbogus x\n');
    const err = await gohotErrorOf(resolveGoProject(dir, { goBin, env: goTestEnv() }));
    expect(err.code).toBe('GO_MOD_INVALID');
    expect(err.message).toContain('unknown directive: bogus');
  });
});
