import { describe, expect, it } from 'vitest';
import { createWatchFilter, type WatchFilterInput, whyDirSkipped } from './watch-filter.js';

const input: WatchFilterInput = {
  roots: ['/m', '/m/.hidden-root', '/lib'],
  skipDirs: ['/tmp/gohot-1'],
  alwaysTrack: new Set(['/m/gohot.json']),
  isIncluded: (p) => p.endsWith('.go'),
  isDirExcluded: (d) => d === '/m/tmp',
};

describe('watch filter', () => {
  it.each([
    ['/m', undefined],
    ['/m/.hidden-root', undefined],
    ['/m/internal/api', undefined],
    ['/m/.git', 'hidden directory .git (.git, .idea, .cache ... are never watched)'],
    ['/m/web/node_modules', 'node_modules directories are never watched'],
    ['/m/pkg/testdata', 'testdata directories are never watched'],
    ['/tmp/gohot-1', "gohot's output directory"],
    ['/tmp/gohot-1/sub', "gohot's output directory"],
    ['/tmp/gohot-10', undefined],
    ['/m/tmp', 'excluded by watch.patterns'],
  ])('%s -> %s', (dir, reason) => {
    expect(whyDirSkipped(dir, input)).toBe(reason);
  });

  it('tracks included files and config files only', () => {
    const f = createWatchFilter(input);
    expect(f.trackFile('/m/main.go')).toBe(true);
    expect(f.trackFile('/m/gohot.json')).toBe(true);
    expect(f.trackFile('/m/README.md')).toBe(false);
    expect(f.ignoreDir('/m/.git')).toBe(true);
    expect(f.ignoreDir('/m/cmd')).toBe(false);
  });
});
