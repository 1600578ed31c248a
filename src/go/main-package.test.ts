import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, goTestEnv, makeTempDir, useGoTemps } from '../../test/helpers/fixture.js';
import { gohotErrorOf } from '../../test/helpers/gohot-error.js';
import { hangingGo } from '../../test/helpers/hanging-go.js';
import { listGroupMembers } from '../run/proc-linux.js';
import { resolveGoProject } from './go-env.js';
import { findMainPackages, resolveMainPackage, toRelPath } from './main-package.js';
import type { ResolvedGoProject } from './types.js';

const { goBin, temps } = useGoTemps();

async function project(fixture: string, sub = ''): Promise<[ResolvedGoProject, string]> {
  const dir = await copyFixture(fixture);
  temps.push(dir);
  const p = await resolveGoProject(join(dir, sub), { goBin, env: goTestEnv() });
  return [p, dir];
}

describe('toRelPath', () => {
  it.each([
    ['/m', '/m', '.'],
    ['/m', '/m/cmd/api', './cmd/api'],
    ['/w/app', '/w/worker', '../worker'],
    ['/m/cmd/api', '/m', '../..'],
  ])('toRelPath(%s, %s) = %s', (cwd, dir, expected) => {
    expect(toRelPath(cwd, dir)).toBe(expected);
  });
});

describe('findMainPackages', () => {
  it('lists both commands of multi-main, sorted, relative to the module root', async () => {
    const [p, dir] = await project('multi-main');
    expect(await findMainPackages(p)).toEqual([
      {
        importPath: 'example.com/multimain/cmd/api',
        dir: join(dir, 'cmd/api'),
        relPath: './cmd/api',
      },
      {
        importPath: 'example.com/multimain/cmd/worker',
        dir: join(dir, 'cmd/worker'),
        relPath: './cmd/worker',
      },
    ]);
  });

  it('lists main packages of every workspace module', async () => {
    const [p, ws] = await project('workspace-replace', 'app');
    const mains = await findMainPackages(p);
    expect(mains.map((m) => [m.importPath, m.relPath])).toEqual([
      ['example.com/app', '.'],
      ['example.com/worker', '../worker'],
    ]);
    expect(mains[0]?.dir).toBe(join(ws, 'app'));
    expect(mains[1]?.dir).toBe(join(ws, 'worker'));
  });

  it('returns none for a library', async () => {
    const [p] = await project('not-main');
    expect(await findMainPackages(p)).toEqual([]);
  });

  it('sees a main package behind a build tag only when the tag is given', async () => {
    const [p, dir] = await project('not-main');
    await mkdir(join(dir, 'cmd', 'tool'), { recursive: true });
    await writeFile(
      join(dir, 'cmd', 'tool', 'main.go'),
      '//go:build tools\n\npackage main\n\nfunc main() {}\n',
    );
    expect(await findMainPackages(p)).toEqual([]);
    const tagged = await findMainPackages(p, { tags: ['tools'] });
    expect(tagged.map((m) => m.relPath)).toEqual(['./cmd/tool']);
  });
});

describe('resolveMainPackage', () => {
  it('fails with MAIN_AMBIGUOUS listing the commands when several exist', async () => {
    const [p] = await project('multi-main');
    const err = await gohotErrorOf(resolveMainPackage(p));
    expect(err.code).toBe('MAIN_AMBIGUOUS');
    expect(err.message).toContain('./cmd/api, ./cmd/worker');
    expect(err.hint).toContain('gohot run ./cmd/api');
    expect(err.hint).toContain('"main": "./cmd/api"');
    expect(err.hint).toContain('gohot.json');
  });

  it.each([
    ['./cmd/worker'],
    ['cmd/worker'],
    ['cmd/worker/'],
    ['example.com/multimain/cmd/worker'],
  ])('accepts %j for cmd/worker', async (requested) => {
    const [p, dir] = await project('multi-main');
    const m = await resolveMainPackage(p, requested);
    expect(m).toEqual({
      importPath: 'example.com/multimain/cmd/worker',
      dir: join(dir, 'cmd/worker'),
      relPath: './cmd/worker',
    });
  });

  it('picks the package in the cwd when it is main', async () => {
    const [p, dir] = await project('multi-main', 'cmd/api');
    const m = await resolveMainPackage(p, undefined, { cwd: join(dir, 'cmd/api') });
    expect(m.relPath).toBe('.');
    expect(m.importPath).toBe('example.com/multimain/cmd/api');
  });

  it('resolves an explicit path relative to the given cwd', async () => {
    const [p, dir] = await project('multi-main');
    const m = await resolveMainPackage(p, '../worker', { cwd: join(dir, 'cmd/api') });
    expect(m.dir).toBe(join(dir, 'cmd/worker'));
    expect(m.relPath).toBe('../worker');
  });

  it('picks the only main package', async () => {
    const [p, dir] = await project('compile-error');
    const m = await resolveMainPackage(p);
    expect(m).toEqual({ importPath: 'example.com/compileerror', dir, relPath: '.' });
  });

  it('prefers the cwd package over other workspace commands', async () => {
    const [p] = await project('workspace-replace', 'app');
    expect((await resolveMainPackage(p)).importPath).toBe('example.com/app');
  });

  it('is ambiguous at the workspace root with two commands', async () => {
    const [p] = await project('workspace-replace');
    const err = await gohotErrorOf(resolveMainPackage(p));
    expect(err.code).toBe('MAIN_AMBIGUOUS');
    expect(err.message).toContain('./app, ./worker');
  });

  it('fails with NO_MAIN_PACKAGE for a library', async () => {
    const [p] = await project('not-main');
    const err = await gohotErrorOf(resolveMainPackage(p));
    expect(err.code).toBe('NO_MAIN_PACKAGE');
    expect(err.message).toContain('example.com/notmain');
  });

  it('fails with NOT_MAIN_PACKAGE for a library package, listing the commands', async () => {
    const [p] = await project('multi-main');
    const err = await gohotErrorOf(resolveMainPackage(p, './internal/greet'));
    expect(err.code).toBe('NOT_MAIN_PACKAGE');
    expect(err.message).toContain('package greet');
    expect(err.message).toContain('./cmd/api, ./cmd/worker');
  });

  it('fails with MAIN_NOT_FOUND for a missing directory, listing the commands', async () => {
    const [p] = await project('multi-main');
    const err = await gohotErrorOf(resolveMainPackage(p, './cmd/nope'));
    expect(err.code).toBe('MAIN_NOT_FOUND');
    expect(err.message).toContain('./cmd/nope');
    expect(err.message).toContain('./cmd/api, ./cmd/worker');
    expect(err.hint).toContain('gohot run ./cmd/api');
  });

  it('fails with MAIN_NOT_FOUND for a pattern matching several packages', async () => {
    const [p] = await project('multi-main');
    const err = await gohotErrorOf(resolveMainPackage(p, './cmd/...'));
    expect(err.code).toBe('MAIN_NOT_FOUND');
    expect(err.message).toContain('matches 2 packages');
  });

  it('accepts a main package that ./... skips (testdata) when named explicitly', async () => {
    const [p, dir] = await project('not-main');
    await mkdir(join(dir, 'testdata', 'tool'), { recursive: true });
    await writeFile(join(dir, 'testdata', 'tool', 'main.go'), 'package main\n\nfunc main() {}\n');
    expect(await findMainPackages(p)).toEqual([]);
    const m = await resolveMainPackage(p, './testdata/tool');
    expect(m).toEqual({
      importPath: 'example.com/notmain/testdata/tool',
      dir: join(dir, 'testdata/tool'),
      relPath: './testdata/tool',
    });
  });

  it('an abort kills a hanging go list with its children and rejects GO_CANCELLED', async () => {
    const [p, dir] = await project('multi-main');
    const go = await hangingGo(dir);
    const ac = new AbortController();
    const pending = gohotErrorOf(
      resolveMainPackage({ ...p, goBin: go.path }, undefined, {
        env: goTestEnv(),
        signal: ac.signal,
      }),
    );
    const pgid = await go.started();
    ac.abort('stopped during start-up');
    const err = await pending;
    expect(err).toMatchObject({ code: 'GO_CANCELLED', cause: 'stopped during start-up' });
    expect(listGroupMembers(pgid)).toEqual([]);
  });

  it('says which Go a module needs when go.mod asks for a newer one and GOTOOLCHAIN=local', async () => {
    const dir = await makeTempDir('newer-go');
    temps.push(dir);
    await writeFile(join(dir, 'go.mod'), 'module x\n\ngo 1.99\n');
    await writeFile(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    const project = await resolveGoProject(dir, {
      goBin,
      env: goTestEnv({ GOTOOLCHAIN: 'local' }),
    });
    const err = await gohotErrorOf(
      resolveMainPackage(project, undefined, { env: goTestEnv({ GOTOOLCHAIN: 'local' }) }),
    );
    expect(err.code).toBe('GO_LIST_FAILED');
    expect(err.hint).toMatch(/needs Go 1\.99 .* unset GOTOOLCHAIN=local/);
  });
});
