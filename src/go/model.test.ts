import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ListedPackage, listArgs } from './list.js';
import {
  buildProjectModel,
  editableDirsOutside,
  embedRootFor,
  embedRoots,
  fileRole,
  importChain,
  isInClosure,
  isPathInside,
  type ModelContext,
  modelUsability,
  normalized,
  type PackageOrigin,
  type ProjectModel,
  packageForDir,
} from './model.js';
import { diffModels, isEmptyDiff, sameStructure } from './model-diff.js';

// The listings were captured from the real go list on copies of test/fixtures/go-aware and
// go-aware-vendor by testdata/capture-list.mjs (see there for what each case changes).

interface Capture {
  readonly goVersion: string;
  readonly cwd: string;
  readonly pkg: string;
  readonly goroot: string;
  readonly gomodcache: string;
  readonly args: readonly string[];
  readonly packages: readonly ListedPackage[];
}

const CAPTURE_ROOT = '/tmp/gohot-capture-list';

/**
 * Loads a captured listing. `as` moves its paths to where another case was captured, so
 * two cases of the same fixture can be compared path by path.
 */
function load(name: string, as = name): { capture: Capture; root: string; model: ProjectModel } {
  const raw = readFileSync(new URL(`testdata/list-${name}.json`, import.meta.url), 'utf8');
  const text = raw.replaceAll(`${CAPTURE_ROOT}/${name}/`, `${CAPTURE_ROOT}/${as}/`);
  const capture = JSON.parse(text) as Capture;
  const root = join(CAPTURE_ROOT, as);
  const ctx: ModelContext = {
    goroot: capture.goroot,
    gomodcache: capture.gomodcache,
    moduleRoots: [root],
    durationMs: 12,
  };
  return { capture, root, model: buildProjectModel(capture.packages, ctx) };
}

const roleOf = (model: ProjectModel, path: string) => fileRole(model, path)?.role;

describe('captured listings', () => {
  it.each([
    'go-aware',
    'go-aware-windows',
    'go-aware-broken-dep',
    'go-aware-main-error',
    'go-aware-missing-main',
    'go-aware-cgo',
    'go-aware-vendor',
  ])('%s was captured with the command line listPackages runs', (name) => {
    const { capture } = load(name);
    const spec = { goBin: 'go', cwd: capture.cwd, pkg: capture.pkg, tags: [], flags: [], env: {} };
    expect(capture.args).toEqual(listArgs(spec));
  });

  it.each([
    'go-aware',
    'go-aware-windows',
    'go-aware-broken-dep',
    'go-aware-cgo',
    'go-aware-vendor',
  ])('%s: every package of the closure has an import chain from main', (name) => {
    // runtime/cgo is in Imports of no package: cgo and the linker add it implicitly.
    const { model } = load(name);
    const unreached = [...model.packages.keys()].filter((p) => importChain(model, p) === undefined);
    expect(unreached).toEqual([]);
    expect(model.packages.size).toBeGreaterThan(150);
  });
});

describe('buildProjectModel on the go-aware fixture', () => {
  const { root, model } = load('go-aware');
  const app = join(root, 'app');

  it('names the main package and keeps the go list duration', () => {
    expect(model.mainImportPath).toBe('example.com/app');
    expect(model.mainDir).toBe(app);
    expect(model.durationMs).toBe(12);
    expect(modelUsability(model)).toEqual({ usable: true });
    expect(model.errors).toEqual([]);
    expect(model.vendored).toBe(false);
  });

  it.each([
    ['example.com/app', true],
    ['example.com/app/web', true],
    ['example.com/app/platform', true],
    ['example.com/lib', true],
    ['example.com/sibling', true],
    ['net/http', true],
    ['example.com/app/cmd/other', false],
    ['example.com/app/internal/tools', false],
    ['example.com/app/internal/broken', false],
  ])('isInClosure(%s) is %s', (importPath, inside) => {
    expect(isInClosure(model, importPath)).toBe(inside);
  });

  it.each<[string, PackageOrigin, boolean]>([
    ['example.com/app', 'main-module', true],
    ['example.com/app/web', 'main-module', true],
    ['example.com/sibling', 'main-module', true],
    ['example.com/lib', 'local-replace', true],
    ['fmt', 'standard', false],
    ['vendor/golang.org/x/net/http/httpguts', 'standard', false],
  ])('%s comes from %s (editable: %s)', (importPath, origin, editable) => {
    const pkg = model.packages.get(importPath);
    expect(pkg?.origin).toBe(origin);
    expect(pkg?.editable).toBe(editable);
    if (!editable) expect(pkg?.files.size).toBe(0);
  });

  it('lists the editable packages and their modules', () => {
    expect(model.editableDirs).toEqual([
      app,
      join(app, 'platform'),
      join(app, 'web'),
      join(root, 'lib'),
      join(root, 'sibling'),
    ]);
    expect(model.moduleDirs).toEqual([app, join(root, 'lib'), join(root, 'sibling')]);
    expect(model.packages.get('example.com/lib')?.module).toEqual({
      path: 'example.com/lib',
      dir: join(root, 'lib'),
      main: false,
    });
  });

  it.each([
    ['app/main.go', { kind: 'go' }],
    ['app/platform/platform_linux.go', { kind: 'go' }],
    ['app/platform/platform_windows.go', { kind: 'ignored' }],
    ['app/platform/windows_only.go', { kind: 'ignored' }],
    ['app/web/static/hello.txt', { kind: 'embed' }],
    ['app/web/static/style.css', { kind: 'embed' }],
    ['app/web/templates/page.html', { kind: 'embed' }],
    ['lib/lib.go', { kind: 'go' }],
    ['sibling/sibling.go', { kind: 'go' }],
    ['app/platform/platform_test.go', undefined],
    ['app/cmd/other/main.go', undefined],
    ['app/internal/tools/tools.go', undefined],
    ['app/go.mod', undefined],
  ])('fileRole(%s) is %j', (rel, role) => {
    expect(roleOf(model, join(root, rel))).toEqual(role);
  });

  it('says which package an embedded file in a subdirectory belongs to', () => {
    expect(fileRole(model, join(app, 'web/static/hello.txt'))?.pkg.importPath).toBe(
      'example.com/app/web',
    );
    expect(packageForDir(model, join(app, 'web'))?.importPath).toBe('example.com/app/web');
    expect(packageForDir(model, join(app, 'web/static'))).toBeUndefined();
    expect(packageForDir(model, join(root, 'lib/'))?.importPath).toBe('example.com/lib');
  });

  it('knows where new files may become embedded', () => {
    const web = model.packages.get('example.com/app/web')!;
    expect(web.embedPatterns).toEqual(['static/*', 'templates/page.html']);
    expect(web.embedRoots).toEqual([join(app, 'web/static'), join(app, 'web/templates/page.html')]);
    expect(embedRootFor(model, join(app, 'web/static/new.txt'))).toBe(web);
    expect(embedRootFor(model, join(app, 'web/static/img/logo.png'))).toBe(web);
    expect(embedRootFor(model, join(app, 'web/templates/page.html'))).toBe(web);
    expect(embedRootFor(model, join(app, 'web/templates/other.html'))).toBeUndefined();
    expect(embedRootFor(model, join(app, 'web/web2.go'))).toBeUndefined();
  });

  it('finds the shortest import chain', () => {
    expect(importChain(model, 'example.com/lib')).toEqual(['example.com/app', 'example.com/lib']);
    expect(importChain(model, 'example.com/app')).toEqual(['example.com/app']);
    expect(importChain(model, 'example.com/app/internal/tools')).toBeUndefined();
    const chain = importChain(model, 'internal/bytealg')!;
    expect(chain[0]).toBe('example.com/app');
    expect(chain.at(-1)).toBe('internal/bytealg');
    for (let i = 1; i < chain.length; i++) {
      expect(model.packages.get(chain[i - 1]!)?.imports).toContain(chain[i]);
    }
  });

  it('names the module directories outside the watch roots', () => {
    expect(editableDirsOutside(model, [app])).toEqual([join(root, 'lib'), join(root, 'sibling')]);
    expect(editableDirsOutside(model, [app, join(root, 'sibling')])).toEqual([join(root, 'lib')]);
    expect(editableDirsOutside(model, [root])).toEqual([]);
    expect(editableDirsOutside(model, [`${root}/`])).toEqual([]);
  });
});

describe('buildProjectModel on variants of the fixture', () => {
  it('follows GOOS: for windows the _windows and //go:build windows files build', () => {
    const { root, model } = load('go-aware-windows');
    const platform = join(root, 'app/platform');
    expect(roleOf(model, join(platform, 'platform_windows.go'))).toEqual({ kind: 'go' });
    expect(roleOf(model, join(platform, 'windows_only.go'))).toEqual({ kind: 'go' });
    expect(roleOf(model, join(platform, 'platform_linux.go'))).toEqual({ kind: 'ignored' });
  });

  it('keeps a broken dependency with its error, once, and stays usable', () => {
    const { root, model } = load('go-aware-broken-dep');
    expect(modelUsability(model)).toEqual({ usable: true });
    expect(isInClosure(model, 'example.com/app/internal/broken')).toBe(true);
    expect(model.errors).toEqual([
      {
        importPath: 'example.com/app/internal/missing',
        message: expect.stringMatching(
          /^internal\/broken\/broken\.go:5:8: no required module provides package example\.com\/app\/internal\/missing;/,
        ),
      },
    ]);
    const missing = model.packages.get('example.com/app/internal/missing')!;
    expect(missing).toMatchObject({ dir: undefined, origin: 'not-found', editable: false });
    expect(missing.error).toBe(model.errors[0]!.message);
    const broken = model.packages.get('example.com/app/internal/broken')!;
    expect(broken).toMatchObject({ error: undefined, incomplete: true, editable: true });
    expect(roleOf(model, join(root, 'app/internal/broken/broken.go'))).toEqual({ kind: 'go' });
    expect(importChain(model, 'example.com/app/internal/missing')).toEqual([
      'example.com/app',
      'example.com/app/internal/broken',
      'example.com/app/internal/missing',
    ]);
    // Where the missing package would be: a file created there makes it exist.
    expect(model.missingDirs).toEqual(
      new Map([[join(root, 'app/internal/missing'), 'example.com/app/internal/missing']]),
    );
  });

  it('is not usable when the main package itself fails to load', () => {
    const { root, model } = load('go-aware-main-error');
    expect(modelUsability(model)).toEqual({
      usable: false,
      reason: 'main-error',
      error: 'bad.go:5:1: missing import path',
    });
    // The file with the broken import block is still one of the package's Go files.
    expect(roleOf(model, join(root, 'app/bad.go'))).toEqual({ kind: 'go' });
  });

  it('is not usable when the main package does not exist', () => {
    const { root, model } = load('go-aware-missing-main');
    expect(model.mainImportPath).toBe('./cmd/missing');
    expect(model.mainDir).toBeUndefined();
    expect(modelUsability(model)).toEqual({
      usable: false,
      reason: 'main-not-found',
      error: `stat ${join(root, 'app/cmd/missing')}: directory not found`,
    });
  });

  it('gives cgo, C and header files their roles', () => {
    const { root, model } = load('go-aware-cgo');
    const native = join(root, 'app/native');
    expect(roleOf(model, join(native, 'native.go'))).toEqual({ kind: 'cgo' });
    expect(roleOf(model, join(native, 'pure.go'))).toEqual({ kind: 'go' });
    expect(roleOf(model, join(native, 'native.c'))).toEqual({
      kind: 'other-source',
      list: 'CFiles',
    });
    expect(roleOf(model, join(native, 'native.h'))).toEqual({
      kind: 'other-source',
      list: 'HFiles',
    });
    expect(importChain(model, 'runtime/cgo')?.[0]).toBe('example.com/app');
  });

  it('in vendor mode, vendored packages are not editable even for a local replace', () => {
    const { root, model } = load('go-aware-vendor');
    expect(model.vendored).toBe(true);
    const vlib = model.packages.get('example.com/vlib')!;
    expect(vlib).toMatchObject({
      dir: join(root, 'vendor/example.com/vlib'),
      origin: 'vendor',
      editable: false,
    });
    expect(vlib.files.size).toBe(0);
    expect(model.moduleDirs).toEqual([root]);
    expect(model.editableDirs).toEqual([root]);
    expect(editableDirsOutside(model, [root])).toEqual([]);
    expect(fileRole(model, join(root, 'third_party/vlib/vlib.go'))).toBeUndefined();
    expect(fileRole(model, join(root, 'vendor/example.com/vlib/vlib.go'))).toBeUndefined();
  });

  it('finds vendor/ from the main module even without moduleRoots', () => {
    const { capture } = load('go-aware-vendor');
    const model = buildProjectModel(capture.packages, {
      goroot: capture.goroot,
      gomodcache: capture.gomodcache,
    });
    expect(model.packages.get('example.com/vlib')?.origin).toBe('vendor');
    expect(model.durationMs).toBe(0);
  });
});

describe('diffModels', () => {
  const base = load('go-aware').model;

  it('finds no change between two listings of the same tree', () => {
    const again = load('go-aware').model;
    expect(sameStructure(base, again)).toBe(true);
    expect(isEmptyDiff(diffModels(base, again))).toBe(true);
  });

  it('reports packages and files that entered the closure', () => {
    const { root, model } = load('go-aware-broken-dep', 'go-aware');
    const diff = diffModels(base, model);
    expect(diff.addedPackages).toEqual([
      'example.com/app/internal/broken',
      'example.com/app/internal/missing',
    ]);
    expect(diff.removedPackages).toEqual([]);
    expect(diff.addedFiles).toEqual([
      join(root, 'app/internal/broken/broken.go'),
      join(root, 'app/usebroken.go'),
    ]);
    expect(diff.changedFiles).toEqual([]);
    expect(sameStructure(base, model)).toBe(false);
    expect(diffModels(model, base).removedFiles).toEqual(diff.addedFiles);
  });

  it('reports files whose role changed with GOOS', () => {
    const { root, model } = load('go-aware-windows', 'go-aware');
    const diff = diffModels(base, model);
    const platform = join(root, 'app/platform');
    expect(diff.changedFiles).toEqual([
      {
        path: join(platform, 'platform_linux.go'),
        before: { kind: 'go' },
        after: { kind: 'ignored' },
      },
      {
        path: join(platform, 'platform_windows.go'),
        before: { kind: 'ignored' },
        after: { kind: 'go' },
      },
      {
        path: join(platform, 'windows_only.go'),
        before: { kind: 'ignored' },
        after: { kind: 'go' },
      },
    ]);
    expect(diff.addedPackages).toContain('internal/syscall/windows');
    expect(diff.addedFiles).toEqual([]);
  });

  it('reports embed roots that appeared', () => {
    const pkg = (patterns: string[]): ListedPackage => ({
      ImportPath: 'example.com/m',
      Dir: '/src/m',
      Name: 'main',
      Module: { Path: 'example.com/m', Main: true, Dir: '/src/m' },
      GoFiles: ['main.go'],
      EmbedPatterns: patterns,
    });
    const ctx = { goroot: '/goroot', gomodcache: '/gomodcache' };
    const a = buildProjectModel([pkg(['static/*'])], ctx);
    const b = buildProjectModel([pkg(['static/*', 'all:assets'])], ctx);
    expect(diffModels(a, b)).toMatchObject({
      addedEmbedRoots: ['/src/m/assets'],
      removedEmbedRoots: [],
    });
  });
});

describe('embedRoots', () => {
  it.each([
    [['static/*'], ['/p/static']],
    [['all:static'], ['/p/static']],
    [['templates/page.html'], ['/p/templates/page.html']],
    [['*.html'], ['/p']],
    [['a/b*/c.txt'], ['/p/a']],
    [['[ab]/x'], ['/p']],
    [['x/?.txt'], ['/p/x']],
    [['static/*', 'static/img/*.png', 'static'], ['/p/static']],
    [
      ['b/*', 'a/*'],
      ['/p/a', '/p/b'],
    ],
    [[], []],
  ])('%j -> %j', (patterns, roots) => {
    expect(embedRoots('/p', patterns)).toEqual(roots);
  });
});

describe('isPathInside', () => {
  it.each([
    ['/a/b', '/a', true],
    ['/a', '/a', true],
    ['/ab', '/a', false],
    ['/a', '/a/b', false],
    ['/a/b', '/', true],
    ['/a/b', '/a/', true],
  ])('%s inside %s: %s', (path, dir, inside) => {
    expect(isPathInside(path, dir)).toBe(inside);
  });
});

describe('package origin and file roles (synthetic listings)', () => {
  const ctx: ModelContext = { goroot: '/goroot', gomodcache: '/home/u/go/pkg/mod' };
  const one = (p: Partial<ListedPackage>) =>
    buildProjectModel([{ ImportPath: 'x', ...p }], ctx).packages.get('x')!;

  it.each<[string, Partial<ListedPackage>, PackageOrigin]>([
    ['a standard package', { Standard: true, Dir: '/goroot/src/fmt' }, 'standard'],
    ['a GOROOT command', { Goroot: true, Dir: '/goroot/src/cmd/go' }, 'goroot'],
    [
      'a GOROOT directory without the flag',
      { Dir: '/goroot/src/x', Module: { Path: 'x', Main: true, Dir: '/goroot/src/x' } },
      'goroot',
    ],
    [
      'a downloaded module',
      {
        Dir: '/home/u/go/pkg/mod/example.com/x@v1.0.0',
        Module: { Path: 'x', Dir: '/home/u/go/pkg/mod/example.com/x@v1.0.0' },
      },
      'module-cache',
    ],
    [
      'a module replaced by another version',
      {
        Dir: '/home/u/go/pkg/mod/example.com/y@v1.2.0',
        Module: {
          Path: 'x',
          Replace: {
            Path: 'example.com/y',
            Version: 'v1.2.0',
            Dir: '/home/u/go/pkg/mod/example.com/y@v1.2.0',
          },
        },
      },
      'module-cache',
    ],
    [
      'a main-module package',
      { Dir: '/src/app/x', Module: { Path: 'app', Main: true, Dir: '/src/app' } },
      'main-module',
    ],
    [
      'a main-module package outside its module directory',
      { Dir: '/elsewhere/x', Module: { Path: 'app', Main: true, Dir: '/src/app' } },
      'other',
    ],
    [
      'a local replace target',
      {
        Dir: '/src/lib/sub',
        Module: { Path: 'lib', Dir: '/src/lib', Replace: { Path: '../lib', Dir: '/src/lib' } },
      },
      'local-replace',
    ],
    [
      'a package of a module whose replacement lies elsewhere',
      { Dir: '/other/lib', Module: { Path: 'lib', Replace: { Path: '../lib', Dir: '/src/lib' } } },
      'other',
    ],
    ['a package without a module (GOPATH)', { Dir: '/gopath/src/x' }, 'other'],
    ['a package go list could not find', { Error: { Err: 'not found' } }, 'not-found'],
  ])('%s: %s', (_what, listed, origin) => {
    const pkg = one(listed);
    expect(pkg.origin).toBe(origin);
    expect(pkg.editable).toBe(origin === 'main-module' || origin === 'local-replace');
  });

  it('a file both compiled and embedded is embed; an ignored one embedded too', () => {
    const model = buildProjectModel(
      [
        {
          ImportPath: 'app',
          Dir: '/src/app',
          Module: { Path: 'app', Main: true, Dir: '/src/app' },
          GoFiles: ['main.go', 'gen.go'],
          IgnoredGoFiles: ['tool.go', 'other_windows.go'],
          EmbedFiles: ['gen.go', 'tool.go'],
          SysoFiles: ['rsrc.syso'],
        },
      ],
      { goroot: '/goroot', gomodcache: '' },
    );
    expect(roleOf(model, '/src/app/gen.go')).toEqual({ kind: 'embed' });
    expect(roleOf(model, '/src/app/tool.go')).toEqual({ kind: 'embed' });
    expect(roleOf(model, '/src/app/main.go')).toEqual({ kind: 'go' });
    expect(roleOf(model, '/src/app/other_windows.go')).toEqual({ kind: 'ignored' });
    expect(roleOf(model, '/src/app/rsrc.syso')).toEqual({
      kind: 'other-source',
      list: 'SysoFiles',
    });
  });

  it('an empty listing has no main package', () => {
    const model = buildProjectModel([], ctx);
    expect(modelUsability(model)).toEqual({
      usable: false,
      reason: 'main-not-found',
      error: undefined,
    });
    expect(importChain(model, 'fmt')).toBeUndefined();
  });
});

describe('normalized', () => {
  it.each([
    ['/m/a.go', '/m/a.go'],
    ['/', '/'],
    ['/m/', '/m'],
    ['/m//a.go', '/m/a.go'],
    ['/m/./a.go', '/m/a.go'],
    ['/m/b/../a.go', '/m/a.go'],
    ['/m/b/..', '/m'],
    ['/m/.', '/m'],
    ['/m/.hidden/a.go', '/m/.hidden/a.go'],
    ['/m/..a', '/m/..a'],
  ])('%s -> %s', (p, want) => {
    expect(normalized(p)).toBe(want);
  });
});
