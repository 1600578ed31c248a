import { describe, expect, it } from 'vitest';
import { buildProjectModel } from '../go/model.js';
import { modelView } from './model-view.js';

describe('modelView', () => {
  // main imports example.com/app/newpkg, which has no directory yet.
  const model = buildProjectModel(
    [
      {
        ImportPath: 'example.com/app/newpkg',
        DepOnly: true,
        Error: { Pos: 'main.go:3:8', Err: 'no required module provides package' },
      },
      {
        ImportPath: 'example.com/app',
        Dir: '/m',
        Name: 'main',
        Module: { Path: 'example.com/app', Main: true, Dir: '/m' },
        GoFiles: ['main.go'],
        Imports: ['example.com/app/newpkg'],
      },
    ],
    { goroot: '/go', gomodcache: '/gomod' },
  );
  const view = modelView(model, '/m', '.');

  it('counts a package go list did not find where it would be', () => {
    expect(view.packageInDir('/m/newpkg')).toBe('example.com/app/newpkg');
    expect(view.relevant('/m/newpkg/newpkg.go')).toBe(true);
    expect(view.packageInDir('/m/other')).toBeUndefined();
  });

  it('judges each file by its own directory, in whatever order they are asked about', () => {
    // Two directories whose paths have the same length, one after the other.
    const files = [
      '/m/newpkg/a.go',
      '/m/otherx/a.go',
      '/m/newpkg/b.go',
      '/m/newpkgx/a.go',
      '/x.go',
    ];
    const once = files.map((f) => view.relevant(f));
    expect(once).toEqual([true, false, true, false, false]);
    expect([...files].reverse().map((f) => view.relevant(f))).toEqual([...once].reverse());
  });

  it('knows the directories that hold embedded files, hidden or testdata ones too', () => {
    const web = modelView(
      buildProjectModel(
        [
          {
            ImportPath: 'example.com/app',
            Dir: '/m',
            Name: 'main',
            Module: { Path: 'example.com/app', Main: true, Dir: '/m' },
            GoFiles: ['main.go'],
            EmbedPatterns: ['all:static'],
            EmbedFiles: ['static/.well-known/security.txt', 'static/testdata/t.txt'],
          },
        ],
        { goroot: '/go', gomodcache: '/gomod' },
      ),
      '/m',
      '.',
    );
    expect(web.holdsEmbedded('/m/static/.well-known')).toBe(true);
    expect(web.holdsEmbedded('/m/static/testdata')).toBe(true);
    expect(web.holdsEmbedded('/m/static')).toBe(true);
    expect(web.holdsEmbedded('/m/.git')).toBe(false);
  });
});
