import { describe, expect, it } from 'vitest';
import { createRootsMatcher } from '../config/roots-matcher.js';
import { DEFAULT_PATTERNS } from '../config/types.js';
import type { DirSkipReason } from '../watch/types.js';
import type { FilterModel } from './model-view.js';
import { createWatchFilter, dirVerdict, type WatchFilterInput } from './watch-filter.js';

const input: WatchFilterInput = {
  roots: ['/m', '/m/.hidden-root', '/lib'],
  skipDirs: ['/tmp/gohot-1'],
  alwaysTrack: new Set(['/m/gohot.json']),
  match: (p) =>
    p.endsWith('.go')
      ? { included: true, by: 'glob', pattern: '**/*.go' }
      : { included: false, by: 'no-match' },
  dirExclusion: (d) => (d === '/m/tmp' ? { by: 'exclude', pattern: '!tmp/' } : undefined),
};

describe('watch filter', () => {
  it.each<[string, DirSkipReason | undefined]>([
    ['/m', undefined],
    ['/m/.hidden-root', undefined],
    ['/m/internal/api', undefined],
    ['/m/.git', { by: 'hidden', name: '.git' }],
    ['/m/web/node_modules', { by: 'name', name: 'node_modules' }],
    ['/m/pkg/testdata', { by: 'name', name: 'testdata' }],
    ['/tmp/gohot-1', { by: 'output-dir' }],
    ['/tmp/gohot-1/sub', { by: 'output-dir' }],
    ['/tmp/gohot-10', undefined],
    ['/m/tmp', { by: 'exclude', pattern: '!tmp/' }],
  ])('%s -> %j', (dir, reason) => {
    expect(dirVerdict(dir, input)).toEqual(
      reason === undefined ? { watched: true } : { watched: false, reason },
    );
  });

  it('walks a hidden or testdata directory that holds embedded files', () => {
    const embedding = new Set(['/m/web/static/.well-known', '/m/web/static/testdata']);
    const withModel: WatchFilterInput = {
      ...input,
      model: () => ({ holdsEmbedded: (d: string) => embedding.has(d) }) as FilterModel,
    };
    expect(dirVerdict('/m/web/static/.well-known', withModel)).toEqual({ watched: true });
    expect(dirVerdict('/m/web/static/testdata', withModel)).toEqual({ watched: true });
    expect(dirVerdict('/m/.git', withModel).watched).toBe(false);
  });

  it('tracks included files and config files, and says why', () => {
    const f = createWatchFilter(input);
    expect(f.file('/m/main.go')).toEqual({
      tracked: true,
      reason: { by: 'glob', pattern: '**/*.go' },
    });
    expect(f.file('/m/gohot.json')).toEqual({ tracked: true, reason: { by: 'config-file' } });
    expect(f.file('/m/README.md')).toEqual({ tracked: false, reason: { by: 'no-match' } });
    expect(f.dir('/m/.git').watched).toBe(false);
    expect(f.dir('/m/cmd').watched).toBe(true);
  });

  it('hands out one shared, frozen verdict per reason and tier', () => {
    // As the pattern matcher does: one verdict value per deciding pattern.
    const byGlob = { included: true, by: 'glob', pattern: '**/*.go' } as const;
    const none = { included: false, by: 'no-match' } as const;
    const f = createWatchFilter({
      ...input,
      match: (p) => (p.endsWith('.go') ? byGlob : none),
      model: () => model,
      isDefaultPattern: () => true,
    });
    const a = f.file('/m/a/x.go');
    expect(a).toEqual({ tracked: true, reason: { by: 'glob', pattern: '**/*.go' }, tier: 'cold' });
    expect(f.file('/m/b/y.go')).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.reason)).toBe(true);
    expect(f.file('/m/hot/z.go')).toMatchObject({ tier: 'hot' });
    expect(f.file('/m/README.md')).toBe(f.file('/m/CHANGES.md'));
  });

  it.each([
    ['/m/go.mod', 'hot'],
    ['/m/sub/go.sum', 'hot'],
    ['/m/vendor/modules.txt', 'hot'],
    ['/m/xgo.mod', 'cold'],
    ['/m/go.mod.bak', 'cold'],
  ])('a module file by its name: %s is %s', (file, tier) => {
    const all: WatchFilterInput = {
      ...input,
      match: () => ({ included: true, by: 'glob', pattern: '**' }),
      model: () => model,
      isDefaultPattern: () => true,
    };
    expect(createWatchFilter(all).file(file)).toMatchObject({ tracked: true, tier });
  });
});

describe('watch filter, per directory (filesIn)', () => {
  const roots = ['/m', '/m/lib', '/m/a/nested'];
  const matcher = createRootsMatcher(roots, [...DEFAULT_PATTERNS, 'web/x.txt']);
  const byDir: WatchFilterInput = {
    ...input,
    roots,
    alwaysTrack: new Set(['/m/gohot.json', '/m/a/gohot.json']),
    match: (p) => matcher.match(p),
    matchIn: (d) => matcher.matchIn(d),
  };
  const names = ['main.go', 'x_test.go', 'go.mod', 'gohot.json', 'x.txt', 'nested', '.h.go'];

  it.each([
    '/m',
    '/m/a',
    '/m/lib',
    '/m/lib/sub',
    '/m/vendor',
    '/m/vendor/x',
    '/m/web',
    '/elsewhere',
  ])('gives the verdicts of file() for the files in %s', (dir) => {
    const f = createWatchFilter(byDir);
    const inDir = f.filesIn?.(dir);
    expect(inDir).toBeDefined();
    // Equal values (an exact pattern's verdict is made per call, the others are shared).
    for (const name of names) expect(inDir!(name)).toEqual(f.file(`${dir}/${name}`));
  });

  it('is not offered once a model or a restartOnly list needs each path', () => {
    expect(createWatchFilter({ ...byDir, model: () => model }).filesIn?.('/m')).toBeUndefined();
    expect(createWatchFilter({ ...byDir, restartOnly: () => undefined }).filesIn?.('/m')).toBe(
      undefined,
    );
    expect(createWatchFilter(input).filesIn?.('/m')).toBeUndefined();
  });
});

/** A model in which only the files of /m/hot are relevant. */
const model = {
  relevant: (p: string) => p.startsWith('/m/hot/'),
  buildInput: () => false,
  holdsEmbedded: () => false,
} as unknown as FilterModel;
