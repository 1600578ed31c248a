import { describe, expect, it } from 'vitest';
import { type FileEntry, FileIndex } from './file-index.js';

const entry = (tier: 'hot' | 'cold', hash?: string): FileEntry => ({
  tier,
  size: 1,
  mtimeMs: 1,
  ctimeMs: 1,
  ino: 1,
  mode: 0o100644,
  hash,
  recordedAtMs: 0,
});

describe('FileIndex', () => {
  it('counts hot, cold and unhashed files, and which directories are cold-only', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.addDir('/r/a', 'k1');
    index.setFile('/r/a/x.go', entry('cold'));
    index.setFile('/r/a/y.go', entry('cold'));
    index.setFile('/r/h.go', entry('hot'));
    expect([index.fileCount, index.hotCount, [...index.unhashed]]).toEqual([3, 1, ['/r/h.go']]);
    expect(index.isColdOnly('/r/a')).toBe(true);
    expect(index.isColdOnly('/r')).toBe(false);
    const shape = index.shape;
    index.setFile('/r/a/y.go', entry('hot', 'h'));
    expect(index.isColdOnly('/r/a')).toBe(false);
    expect(index.shape).not.toBe(shape);
    expect([index.fileCount, index.hotCount, index.unhashed.size]).toEqual([3, 2, 1]);
    expect(index.deleteFile('/r/h.go')?.tier).toBe('hot');
    expect([index.fileCount, index.hotCount, index.unhashed.size]).toEqual([2, 1, 0]);
    expect([...index.entries()].map(([p]) => p).sort()).toEqual(['/r/a/x.go', '/r/a/y.go']);
  });

  it('knows directories and their children by name, and forgets a directory', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.addDir('/r/a', 'k1');
    index.addDir('/r/a/b', 'k2');
    index.setFile('/r/a/x.go', entry('cold'));
    expect(index.childrenOf('/r/a').sort()).toEqual(['/r/a/b', '/r/a/x.go']);
    expect(index.childCount('/r/a')).toBe(2);
    expect(index.dirsUnder('/r')).toEqual(['/r', '/r/a', '/r/a/b']);
    expect(index.filesUnder('/r')).toEqual(['/r/a/x.go']);
    expect(index.listing('/r/a')?.subdirs.has('b')).toBe(true);
    // A name that is a file and a directory at once (replaced, not verified yet) counts once.
    index.setFile('/r/a/b', entry('cold'));
    expect(index.childCount('/r/a')).toBe(3 - 1);
    index.deleteFile('/r/a/b');
    index.forgetDir('/r/a/b');
    index.forgetDir('/r/a');
    expect(index.hasDir('/r/a')).toBe(false);
    expect(index.dirWithKey('k1')).toBeUndefined();
    expect(index.dirsUnder('/r')).toEqual(['/r']);
    // Its file stays until it is dropped; then nothing is left of the directory.
    expect(index.file('/r/a/x.go')?.tier).toBe('cold');
    index.deleteFile('/r/a/x.go');
    expect(index.listing('/r/a')).toBeUndefined();
    expect(index.dirCount).toBe(1);
  });

  it('keeps a listing stamp with the ignored names until the directory is forgotten', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.stampListing('/r', 5, 6, 7, new Set(['README.md']), false);
    index.ignore('/r', '.git');
    expect([...(index.listing('/r')?.stamp?.ignored ?? [])]).toEqual(['README.md', '.git']);
    index.unignore('/r', (name) => name !== 'README.md');
    expect([...(index.listing('/r')?.stamp?.ignored ?? [])]).toEqual(['.git']);
    expect(index.listing('/r')?.stamp).toMatchObject({ mtimeMs: 5, ctimeMs: 6, recordedAtMs: 7 });
    index.forgetDir('/r');
    expect(index.listing('/r')).toBeUndefined();
  });
});
