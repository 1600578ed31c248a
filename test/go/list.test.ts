import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveGoProject } from '../../src/go/go-env.js';
import { type ListSpec, listPackages, loadProjectModel } from '../../src/go/list.js';
import {
  editableDirsOutside,
  embedRootFor,
  fileRole,
  importChain,
  isInClosure,
  modelUsability,
  type ProjectModel,
} from '../../src/go/model.js';
import { copyFixture, goTestEnv, useGoTemps } from '../helpers/fixture.js';
import { gohotErrorOf } from '../helpers/gohot-error.js';

// The real go list on copies of test/fixtures/go-aware (a go.work workspace of app/ and
// sibling/, with lib/ reached through a replace) and test/fixtures/go-aware-vendor.

const { goBin, temp } = useGoTemps();

/** Lists `pkg` in `cwd` as the build would, with paths from the real go env. */
async function model(
  cwd: string,
  over: Partial<ListSpec> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<ProjectModel> {
  const goEnv = goTestEnv(env);
  const project = await resolveGoProject(cwd, { goBin, env: goEnv });
  const spec: ListSpec = { goBin, cwd, pkg: '.', flags: [], tags: [], env: goEnv, ...over };
  return loadProjectModel(spec, {
    goroot: project.env.GOROOT,
    gomodcache: project.env.GOMODCACHE,
    moduleRoots: [project.moduleRoot],
  });
}

const role = (m: ProjectModel, path: string) => fileRole(m, path)?.role.kind;

describe('go list on the go-aware fixture', () => {
  it('models the closure of the app: workspace module, replace target, embeds, GOOS files', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    const m = await model(app);

    expect(modelUsability(m)).toEqual({ usable: true });
    expect(m.mainImportPath).toBe('example.com/app');
    expect(m.errors).toEqual([]);
    expect(Number.isFinite(m.durationMs) && m.durationMs > 0).toBe(true);
    for (const pkg of ['example.com/app', 'example.com/sibling', 'example.com/lib']) {
      expect(isInClosure(m, pkg), pkg).toBe(true);
    }
    expect(isInClosure(m, 'example.com/app/web')).toBe(true);
    for (const pkg of ['cmd/other', 'internal/tools', 'internal/broken']) {
      expect(isInClosure(m, `example.com/app/${pkg}`), pkg).toBe(false);
    }

    expect(role(m, join(app, 'platform/windows_only.go'))).toBe('ignored');
    expect(role(m, join(app, 'platform/platform_windows.go'))).toBe('ignored');
    expect(role(m, join(app, 'platform/platform_linux.go'))).toBe('go');
    expect(role(m, join(app, 'platform/platform_test.go'))).toBeUndefined();
    expect(role(m, join(app, 'web/static/hello.txt'))).toBe('embed');
    expect(role(m, join(app, 'web/templates/page.html'))).toBe('embed');
    expect(embedRootFor(m, join(app, 'web/static/new.css'))?.importPath).toBe(
      'example.com/app/web',
    );

    expect(importChain(m, 'example.com/lib')).toEqual(['example.com/app', 'example.com/lib']);
    expect(m.packages.get('example.com/lib')?.origin).toBe('local-replace');
    expect(m.packages.get('example.com/sibling')?.origin).toBe('main-module');
    expect(m.packages.get('net/http')).toMatchObject({ editable: false, origin: 'standard' });

    expect(editableDirsOutside(m, [app])).toEqual([join(root, 'lib'), join(root, 'sibling')]);
    // resolveGoProject watches the go.work directory, which holds all three modules.
    const project = await resolveGoProject(app, { goBin, env: goTestEnv() });
    expect(editableDirsOutside(m, project.watchRoots)).toEqual([]);
  });

  it('a main package importing a broken package gives a usable model with its error', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    await writeFile(
      join(app, 'usebroken.go'),
      'package main\n\nimport _ "example.com/app/internal/broken"\n',
    );
    const m = await model(app);
    expect(modelUsability(m)).toEqual({ usable: true });
    expect(isInClosure(m, 'example.com/app/internal/broken')).toBe(true);
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]!.message).toMatch(/example\.com\/app\/internal\/missing/);
    expect(role(m, join(app, 'internal/broken/broken.go'))).toBe('go');
  });

  it('a main package whose import block does not parse is not usable', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    await writeFile(join(app, 'bad.go'), 'package main\n\nimport ( "fmt"\n\nfunc f() {}\n');
    const m = await model(app);
    expect(modelUsability(m)).toMatchObject({ usable: false, reason: 'main-error' });
  });

  it('sees what the build sees: tags, GOOS and -race', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    await writeFile(join(app, 'platform/dev.go'), '//go:build dev\n\npackage platform\n');
    expect(role(await model(app), join(app, 'platform/dev.go'))).toBe('ignored');
    expect(role(await model(app, { tags: ['dev'] }), join(app, 'platform/dev.go'))).toBe('go');

    const windows = await model(app, {}, { GOOS: 'windows' });
    expect(role(windows, join(app, 'platform/platform_windows.go'))).toBe('go');
    expect(role(windows, join(app, 'platform/platform_linux.go'))).toBe('ignored');

    expect(isInClosure(await model(app), 'runtime/race')).toBe(false);
    const race = await model(app, { flags: ['-race', '-gcflags=all=-N'] });
    expect(isInClosure(race, 'runtime/race')).toBe(true);
  });

  it('a go.mod go cannot read rejects with GO_LIST_FAILED and go’s message', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    const goEnv = goTestEnv();
    await appendFile(join(app, 'go.mod'), '\nbogus directive\n');
    const spec: ListSpec = { goBin, cwd: app, pkg: '.', flags: [], tags: [], env: goEnv };
    const err = await gohotErrorOf(listPackages(spec));
    expect(err.code).toBe('GO_LIST_FAILED');
    expect(err.message).toMatch(/unknown directive: bogus/);
  });

  it('a missing main package is listed as a value, not an error', async () => {
    const root = await temp(copyFixture('go-aware'));
    const m = await model(join(root, 'app'), { pkg: './cmd/missing' });
    expect(modelUsability(m)).toMatchObject({ usable: false, reason: 'main-not-found' });
  });

  it('an aborted listing rejects with GO_CANCELLED', async () => {
    const root = await temp(copyFixture('go-aware'));
    const app = join(root, 'app');
    const spec: ListSpec = { goBin, cwd: app, pkg: '.', flags: [], tags: [], env: goTestEnv() };
    const err = await gohotErrorOf(listPackages(spec, AbortSignal.abort(new Error('superseded'))));
    expect(err.code).toBe('GO_CANCELLED');
  });
});

describe('go list on the vendored fixture', () => {
  it('vendored packages are not editable, and the model says it is vendored', async () => {
    const root = await temp(copyFixture('go-aware-vendor'));
    const m = await model(root);
    expect(modelUsability(m)).toEqual({ usable: true });
    expect(m.vendored).toBe(true);
    expect(m.packages.get('example.com/vlib')).toMatchObject({
      dir: join(root, 'vendor/example.com/vlib'),
      origin: 'vendor',
      editable: false,
    });
    expect(role(m, join(root, 'vendor/example.com/vlib/vlib.go'))).toBeUndefined();
    expect(role(m, join(root, 'third_party/vlib/vlib.go'))).toBeUndefined();
    expect(role(m, join(root, 'main.go'))).toBe('go');
    expect(m.moduleDirs).toEqual([root]);
  });

  it('with GOFLAGS=-mod=mod the replace target is read (and editable) instead', async () => {
    const root = await temp(copyFixture('go-aware-vendor'));
    const m = await model(root, {}, { GOFLAGS: '-mod=mod' });
    expect(m.vendored).toBe(false);
    expect(m.packages.get('example.com/vlib')?.origin).toBe('local-replace');
    expect(role(m, join(root, 'third_party/vlib/vlib.go'))).toBe('go');
    // The same through a build flag.
    const viaFlag = await model(root, { flags: ['-mod', 'mod'] });
    expect(role(viaFlag, join(root, 'third_party/vlib/vlib.go'))).toBe('go');
  });
});
