import { describe, expect, it } from 'vitest';
import { parseGoBuild } from './go-build-cmd.js';

describe('parseGoBuild', () => {
  it('reads -o, -tags, -ldflags, -buildvcs, other flags and the package', () => {
    expect(
      parseGoBuild([
        'go',
        'build',
        '-o',
        './tmp/main',
        '-tags=dev,sqlite',
        '-ldflags',
        '-X a.b=c',
        '--race',
        '-mod=vendor',
        '-buildvcs=false',
        '-v',
        './cmd/api',
      ]),
    ).toEqual({
      verb: 'build',
      packages: ['./cmd/api'],
      output: './tmp/main',
      tags: ['dev', 'sqlite'],
      ldflags: '-X a.b=c',
      buildvcs: false,
      flags: ['-race', '-mod=vendor'],
      dropped: ['-v'],
      runArgs: [],
    });
  });

  it('reads space-separated tags (the old syntax)', () => {
    expect(parseGoBuild(['go', 'build', '-tags', 'a b', '.'])?.tags).toEqual(['a', 'b']);
  });

  it('splits go run into package and the program arguments', () => {
    const r = parseGoBuild(['go', 'run', '-race', 'main.go', 'util.go', 'serve', '--port', '80']);
    expect([r?.packages, r?.flags, r?.runArgs]).toEqual([
      ['main.go', 'util.go'],
      ['-race'],
      ['serve', '--port', '80'],
    ]);
  });

  it.each([[['make', 'build']], [['go', 'generate', './...']], [['gofmt', 'build']], [[]]])(
    '%j is not a go build',
    (words) => {
      expect(parseGoBuild(words)).toBeUndefined();
    },
  );

  it('accepts a go binary by path', () => {
    expect(parseGoBuild(['/usr/local/go/bin/go', 'build', '.'])?.packages).toEqual(['.']);
  });
});
