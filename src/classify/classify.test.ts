import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileChange, FileVerdict } from '../watch/types.js';
import {
  type ChangeDecision,
  type ChangeReason,
  type ClassifyContext,
  classifyChange,
  type FileRoleKind,
  type ModelView,
  moduleFileOf,
  type SourceEdit,
} from './classify.js';
import type { ContentDelta } from './content-delta.js';

// A module /m with main package /m/cmd/api importing /m/internal/store (embeds static/*),
// /lib (a replace target) and a windows-only file; /m/internal/tools is not imported.
const roles: Record<string, { pkg: string; role: FileRoleKind }> = {
  '/m/cmd/api/main.go': { pkg: 'ex/cmd/api', role: 'go' },
  '/m/cmd/api/c.go': { pkg: 'ex/cmd/api', role: 'cgo' },
  '/m/cmd/api/hello.c': { pkg: 'ex/cmd/api', role: 'other-source' },
  '/m/internal/store/store.go': { pkg: 'ex/internal/store', role: 'go' },
  '/m/internal/store/store_windows.go': { pkg: 'ex/internal/store', role: 'ignored' },
  '/m/internal/store/static/app.css': { pkg: 'ex/internal/store', role: 'embed' },
  '/lib/lib.go': { pkg: 'example.com/lib', role: 'go' },
};
const pkgDirs: Record<string, string> = {
  '/m/cmd/api': 'ex/cmd/api',
  '/m/internal/store': 'ex/internal/store',
  '/lib': 'example.com/lib',
};
const model: ModelView = {
  main: './cmd/api',
  fileRole: (p) => roles[p],
  packageInDir: (d) => pkgDirs[d],
  embedRootPackage: (p) =>
    p.startsWith('/m/internal/store/static/') ? 'ex/internal/store' : undefined,
  displayDir: (d) => path.relative('/m', d),
};

const DEFAULTS = new Set(['**/*.go', '**/go.mod', '**/go.sum', 'go.work', '!**/*_test.go']);
const verdict = (p: string): FileVerdict => {
  if (p.endsWith('_test.go'))
    return { tracked: false, reason: { by: 'exclude', pattern: '!**/*_test.go' } };
  if (p.startsWith('/m/gen/'))
    return { tracked: false, reason: { by: 'exclude', pattern: '!gen/**' } };
  if (p.endsWith('.go')) return { tracked: true, reason: { by: 'glob', pattern: '**/*.go' } };
  if (p.endsWith('.html'))
    return { tracked: true, reason: { by: 'glob', pattern: 'web/**/*.html' } };
  if (/go\.(mod|sum|work)$/.test(p) || p.endsWith('.c'))
    return { tracked: true, reason: { by: 'glob', pattern: '**/go.mod' } };
  return { tracked: false, reason: { by: 'no-match' } };
};

const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  configFiles: new Set(['/m/gohot.json']),
  moduleDirs: ['/m', '/lib'],
  verdict,
  isDefaultPattern: (p) => DEFAULTS.has(p),
  restartOnly: (p) => (p.endsWith('.yaml') ? 'config/*.yaml' : undefined),
  model,
  lineShifts: 'rebuild',
  ...over,
});

const at = (p: string, kind: FileChange['kind'] = 'modified'): FileChange => ({
  path: p,
  kind,
  via: 'event',
});

const code: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'changed', lines: 'same', structural: [] },
};
const comment: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'same', lines: 'same', structural: [] },
};
const shifted: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'same', lines: 'shifted', structural: [] },
};
const imports: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'changed', lines: 'same', structural: ['imports'] },
};
const constraint: ContentDelta = {
  kind: 'changed',
  go: { tokens: 'changed', lines: 'same', structural: ['constraints'] },
};
const same: ContentDelta = { kind: 'same-bytes' };
const gone: ContentDelta = { kind: 'gone' };
const fresh: ContentDelta = { kind: 'changed' };
const unknown: ContentDelta = { kind: 'no-baseline' };

type Row = [
  string,
  FileChange['kind'],
  ContentDelta,
  Pick<ChangeDecision, 'action' | 'reason' | 'relist'>,
];

describe('classifyChange with a model', () => {
  const src = (pkg: string, edit: SourceEdit, role: FileRoleKind = 'go'): ChangeReason => ({
    by: 'package-source',
    pkg,
    role,
    edit,
  });
  it.each<Row>([
    // The rows of the issue, in order.
    [
      '/m/cmd/api/main_test.go',
      'modified',
      code,
      { action: 'ignore', reason: { by: 'test-file' }, relist: false },
    ],
    [
      '/m/internal/tools/tools.go',
      'modified',
      code,
      {
        action: 'ignore',
        reason: { by: 'outside-closure', dir: 'internal/tools', main: './cmd/api' },
        relist: false,
      },
    ],
    [
      '/m/internal/tools/new.go',
      'created',
      fresh,
      {
        action: 'ignore',
        reason: { by: 'outside-closure', dir: 'internal/tools', main: './cmd/api' },
        relist: false,
      },
    ],
    [
      '/m/internal/store/store_windows.go',
      'modified',
      code,
      {
        action: 'ignore',
        reason: { by: 'constraint-excluded', pkg: 'ex/internal/store' },
        relist: false,
      },
    ],
    [
      '/m/internal/store/store_windows.go',
      'modified',
      constraint,
      {
        action: 'relist-then-decide',
        reason: { by: 'constraint-changed', pkg: 'ex/internal/store' },
        relist: true,
      },
    ],
    [
      // CGO_ENABLED=0 excludes a cgo file: dropping `import "C"` makes it part of the build.
      '/m/internal/store/store_windows.go',
      'modified',
      imports,
      {
        action: 'relist-then-decide',
        reason: { by: 'constraint-changed', pkg: 'ex/internal/store' },
        relist: true,
      },
    ],
    [
      '/m/internal/store/static/app.css',
      'modified',
      fresh,
      { action: 'rebuild', reason: { by: 'embedded', pkg: 'ex/internal/store' }, relist: false },
    ],
    [
      '/m/internal/store/static/new.css',
      'created',
      fresh,
      {
        action: 'relist-then-decide',
        reason: { by: 'embed-candidate', pkg: 'ex/internal/store' },
        relist: true,
      },
    ],
    [
      '/m/go.mod',
      'modified',
      fresh,
      { action: 'refresh-project', reason: { by: 'module-file', file: 'go.mod' }, relist: true },
    ],
    [
      '/m/go.sum',
      'modified',
      fresh,
      { action: 'refresh-project', reason: { by: 'module-file', file: 'go.sum' }, relist: true },
    ],
    [
      '/m/vendor/modules.txt',
      'modified',
      fresh,
      {
        action: 'refresh-project',
        reason: { by: 'module-file', file: 'vendor/modules.txt' },
        relist: true,
      },
    ],
    [
      '/m/gen/x.go',
      'modified',
      code,
      {
        action: 'ignore',
        reason: { by: 'pattern', verdict: { by: 'exclude', pattern: '!gen/**' } },
        relist: false,
      },
    ],
    [
      '/m/config/app.yaml',
      'modified',
      fresh,
      {
        action: 'restart-only',
        reason: { by: 'restart-pattern', pattern: 'config/*.yaml' },
        relist: false,
      },
    ],
    // Comments and line numbers.
    [
      '/m/cmd/api/main.go',
      'modified',
      code,
      { action: 'rebuild', reason: src('ex/cmd/api', 'code'), relist: false },
    ],
    [
      '/m/cmd/api/main.go',
      'modified',
      comment,
      {
        action: 'ignore',
        reason: { by: 'comments-only', pkg: 'ex/cmd/api', lines: 'same' },
        relist: false,
      },
    ],
    [
      '/m/cmd/api/main.go',
      'modified',
      shifted,
      { action: 'rebuild', reason: src('ex/cmd/api', 'lines-shifted'), relist: false },
    ],
    [
      '/m/cmd/api/main.go',
      'modified',
      imports,
      { action: 'rebuild', reason: src('ex/cmd/api', 'code'), relist: true },
    ],
    [
      '/m/cmd/api/main.go',
      'modified',
      unknown,
      { action: 'rebuild', reason: src('ex/cmd/api', 'unknown'), relist: true },
    ],
    [
      '/lib/lib.go',
      'modified',
      comment,
      {
        action: 'ignore',
        reason: { by: 'comments-only', pkg: 'example.com/lib', lines: 'same' },
        relist: false,
      },
    ],
    [
      '/lib/lib.go',
      'modified',
      code,
      { action: 'rebuild', reason: src('example.com/lib', 'code'), relist: false },
    ],
    // cgo: the preamble is C, every byte counts.
    [
      '/m/cmd/api/c.go',
      'modified',
      comment,
      { action: 'rebuild', reason: src('ex/cmd/api', 'cgo', 'cgo'), relist: false },
    ],
    [
      '/m/cmd/api/hello.c',
      'modified',
      fresh,
      { action: 'rebuild', reason: src('ex/cmd/api', 'code', 'other-source'), relist: false },
    ],
    // Net effect: the same bytes as the last build saw, whatever the events said.
    [
      '/m/cmd/api/main.go',
      'created',
      same,
      { action: 'ignore', reason: { by: 'content-unchanged' }, relist: false },
    ],
    [
      '/m/internal/store/static/app.css',
      'modified',
      same,
      { action: 'ignore', reason: { by: 'content-unchanged' }, relist: false },
    ],
    // Existence.
    [
      '/m/cmd/api/main.go',
      'deleted',
      gone,
      { action: 'rebuild', reason: src('ex/cmd/api', 'deleted'), relist: true },
    ],
    [
      '/m/cmd/api/extra.go',
      'created',
      fresh,
      {
        action: 'relist-then-decide',
        reason: { by: 'new-package-file', pkg: 'ex/cmd/api' },
        relist: true,
      },
    ],
    [
      // Not listed though it was there: the last listing failed (helper.go said `package
      // util` in package main's directory) and the old model was kept; its fix is built.
      '/m/cmd/api/helper.go',
      'modified',
      code,
      {
        action: 'relist-then-decide',
        reason: { by: 'unlisted', pkg: 'ex/cmd/api' },
        relist: true,
      },
    ],
    [
      // go/build skips names starting with "_" or ".": never part of the build.
      '/m/cmd/api/_scratch.go',
      'created',
      fresh,
      {
        action: 'ignore',
        reason: { by: 'not-in-build', pkg: 'ex/cmd/api' },
        relist: false,
      },
    ],
    [
      '/m/internal/store/store_windows.go',
      'deleted',
      gone,
      {
        action: 'ignore',
        reason: { by: 'constraint-excluded', pkg: 'ex/internal/store' },
        relist: true,
      },
    ],
    [
      '/m/cmd/api/notes.txt',
      'modified',
      fresh,
      { action: 'ignore', reason: { by: 'not-in-build', pkg: 'ex/cmd/api' }, relist: false },
    ],
    [
      '/m/internal/store/static/.hidden',
      'modified',
      fresh,
      { action: 'ignore', reason: { by: 'not-in-build', pkg: 'ex/internal/store' }, relist: false },
    ],
    // A pattern the user wrote (templates read at run time) still rebuilds.
    [
      '/m/web/page.html',
      'modified',
      fresh,
      {
        action: 'rebuild',
        reason: { by: 'pattern', verdict: { by: 'glob', pattern: 'web/**/*.html' } },
        relist: false,
      },
    ],
    [
      '/m/gohot.json',
      'modified',
      fresh,
      { action: 'reload-config', reason: { by: 'config-file' }, relist: false },
    ],
  ])('%s %s %j', (p, kind, delta, expected) => {
    expect(classifyChange(at(p, kind), delta, ctx())).toEqual({ ...expected, change: at(p, kind) });
  });

  it('a watch.restartOnly file that the binary embeds or compiles is built', () => {
    const restartStatic = ctx({
      restartOnly: (p) => (p.includes('/static/') || p.endsWith('.yaml') ? 'x' : undefined),
    });
    expect(
      classifyChange(at('/m/internal/store/static/app.css'), fresh, restartStatic),
    ).toMatchObject({ action: 'rebuild', reason: { by: 'embedded' } });
    expect(classifyChange(at('/m/config/app.yaml'), fresh, restartStatic)).toMatchObject({
      action: 'restart-only',
    });
  });

  it('a proxy.reloadOnly file reloads pages, unless the binary embeds it or it did not change', () => {
    const reloadStatic = ctx({
      reloadOnly: (p) => (p.includes('/static/') ? 'static/**' : undefined),
    });
    expect(classifyChange(at('/m/web/static/site.css'), fresh, reloadStatic)).toMatchObject({
      action: 'reload-only',
      reason: { by: 'reload-pattern', pattern: 'static/**' },
    });
    expect(classifyChange(at('/m/web/static/site.css'), same, reloadStatic)).toMatchObject({
      action: 'ignore',
      reason: { by: 'content-unchanged' },
    });
    expect(
      classifyChange(at('/m/internal/store/static/app.css'), fresh, reloadStatic),
    ).toMatchObject({ action: 'rebuild', reason: { by: 'embedded' } });
  });

  it('line shifts can be ignored by config', () => {
    const d = classifyChange(at('/m/cmd/api/main.go'), shifted, ctx({ lineShifts: 'ignore' }));
    expect(d).toMatchObject({
      action: 'ignore',
      reason: { by: 'comments-only', lines: 'shifted' },
    });
  });

  it('decides after a relist instead of asking for another one', () => {
    const after = ctx({ afterRelist: true });
    expect(classifyChange(at('/m/cmd/api/extra.go', 'created'), fresh, after)).toMatchObject({
      action: 'rebuild',
      reason: { by: 'unlisted', pkg: 'ex/cmd/api' },
    });
    expect(
      classifyChange(at('/m/internal/store/store_windows.go'), constraint, after),
    ).toMatchObject({ action: 'ignore', reason: { by: 'constraint-excluded' } });
    expect(
      classifyChange(at('/m/internal/store/static/new.css', 'created'), fresh, after),
    ).toMatchObject({ action: 'ignore', reason: { by: 'not-in-build' } });
  });
});

describe('classifyChange without a model (go list has not answered)', () => {
  const none = ctx({ model: undefined });
  it.each<Row>([
    [
      '/m/x.go',
      'modified',
      code,
      {
        action: 'rebuild',
        reason: { by: 'pattern', verdict: { by: 'glob', pattern: '**/*.go' } },
        // A first listing that failed is retried, or the model would never come.
        relist: true,
      },
    ],
    [
      '/m/x.go',
      'modified',
      same,
      { action: 'ignore', reason: { by: 'content-unchanged' }, relist: false },
    ],
    [
      '/m/README.md',
      'modified',
      fresh,
      { action: 'ignore', reason: { by: 'pattern', verdict: { by: 'no-match' } }, relist: false },
    ],
    [
      '/m/x_test.go',
      'modified',
      code,
      { action: 'ignore', reason: { by: 'test-file' }, relist: false },
    ],
  ])('%s %s %j', (p, kind, delta, expected) => {
    expect(classifyChange(at(p, kind), delta, none)).toEqual({ ...expected, change: at(p, kind) });
  });
});

describe('moduleFileOf', () => {
  it.each([
    ['/m/go.mod', 'go.mod'],
    ['/w/go.work.sum', 'go.work.sum'],
    ['/m/vendor/modules.txt', 'vendor/modules.txt'],
    ['/m/docs/vendor/modules.txt', undefined],
    ['/m/modules.txt', undefined],
    ['/m/main.go', undefined],
  ])('%s -> %s', (p, expected) => {
    expect(moduleFileOf(p, ['/m'])).toBe(expected);
  });
});

describe('classifyChange in the test context', () => {
  // The test graph lists _test.go files as Go files of their package; testdata files have
  // the test-data role (classify/test-view.ts), and the test patterns track _test.go.
  const testRoles: Record<string, { pkg: string; role: FileRoleKind }> = {
    ...roles,
    '/m/internal/store/store_test.go': { pkg: 'ex/internal/store', role: 'go' },
    '/m/internal/store/testdata/in.json': { pkg: 'ex/internal/store', role: 'test-data' },
  };
  const testCtx = ctx({
    testFiles: 'compiled',
    model: { ...model, fileRole: (p) => testRoles[p] },
    verdict: (p) =>
      p.endsWith('.go')
        ? { tracked: true, reason: { by: 'glob', pattern: '**/*.go' } }
        : verdict(p),
  });

  it.each<[string, ContentDelta, ChangeDecision['action'], ChangeReason['by']]>([
    ['/m/internal/store/store_test.go', code, 'rebuild', 'package-source'],
    ['/m/internal/store/store_test.go', comment, 'ignore', 'comments-only'],
    ['/m/internal/store/testdata/in.json', { kind: 'changed' }, 'rebuild', 'test-data'],
    ['/m/internal/store/testdata/in.json', { kind: 'same-bytes' }, 'ignore', 'content-unchanged'],
  ])('%s (%j) -> %s', (file, delta, action, by) => {
    const d = classifyChange(at(file), delta, testCtx);
    expect([d.action, d.reason.by]).toEqual([action, by]);
  });

  it('a _test.go file stays outside the binary in the run context', () => {
    const d = classifyChange(at('/m/internal/store/store_test.go'), code, ctx());
    expect(d.reason.by).toBe('test-file');
  });
});
