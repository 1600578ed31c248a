import { describe, expect, it } from 'vitest';
import { FileIndex, type StatFields } from './file-index.js';

const st: StatFields = { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, mode: 0o100644 };

describe('FileIndex', () => {
  it('counts hot, cold and unhashed files, and which directories are cold-only', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.addDir('/r/a', 'k1');
    index.setFile('/r/a/x.go', 'cold', undefined, undefined, 0);
    index.setFile('/r/a/y.go', 'cold', st, undefined, 0);
    index.setFile('/r/h.go', 'hot', st, undefined, 0);
    expect([index.fileCount, index.hotCount, index.unhashed()]).toEqual([3, 1, ['/r/h.go']]);
    expect(index.isColdOnly('/r/a')).toBe(true);
    expect(index.isColdOnly('/r')).toBe(false);
    const shape = index.shape;
    index.setFile('/r/a/y.go', 'hot', st, 'h', 0);
    expect(index.isColdOnly('/r/a')).toBe(false);
    expect(index.shape).not.toBe(shape);
    expect([index.fileCount, index.hotCount, index.unhashedCount]).toEqual([3, 2, 1]);
    expect(index.deleteFile('/r/h.go')).toBe(true);
    expect(index.deleteFile('/r/h.go')).toBe(false);
    expect([index.fileCount, index.hotCount, index.unhashedCount]).toEqual([2, 1, 0]);
    const files: string[] = [];
    index.forEachFile((path, tier) => files.push(`${path} ${tier}`));
    expect(files.sort()).toEqual(['/r/a/x.go cold', '/r/a/y.go hot']);
  });

  it('keeps a record per file: stat, tier and hash; a cold file from a listing has none', () => {
    const index = new FileIndex();
    index.setFile('/r/x.go', 'cold', undefined, undefined, 0);
    expect(index.file('/r/x.go')).toMatchObject({ tier: 'cold', size: -1, hash: undefined });
    index.setFile('/r/x.go', 'hot', { ...st, size: 7 }, 'h1', 5);
    expect(index.file('/r/x.go')).toEqual({
      ...st,
      size: 7,
      tier: 'hot',
      hash: 'h1',
      recordedAtMs: 5,
    });
    const ref = index.ref('/r/x.go')!;
    expect(index.records.sameStat(ref, { ...st, size: 7 })).toBe(true);
    expect(index.records.sameStat(ref, st)).toBe(false);
    // Made cold: the stat stays (a later event compares with it), the hash goes.
    index.makeCold('/r/x.go');
    expect(index.file('/r/x.go')).toEqual({
      ...st,
      size: 7,
      tier: 'cold',
      hash: undefined,
      recordedAtMs: 5,
    });
    expect([index.hotCount, index.isColdOnly('/r')]).toEqual([0, false]);
    index.addDir('/r', 'k');
    expect(index.isColdOnly('/r')).toBe(true);
    // Listed only again: the record is given up.
    index.setFile('/r/x.go', 'cold', undefined, undefined, 0);
    expect(index.file('/r/x.go')?.size).toBe(-1);
    expect(index.fileCount).toBe(1);
  });

  it('keeps a hot file without a stat as pending until one is recorded; made cold, it is listed only', () => {
    const index = new FileIndex();
    index.setFile('/r/p.go', 'hot', undefined, undefined, 0);
    index.setFile('/r/q.go', 'hot', undefined, undefined, 0);
    expect([index.hotCount, index.unhashedCount, index.pendingCount]).toEqual([2, 2, 2]);
    expect(index.dirsWithPending()).toEqual(['/r']);
    const p = index.ref('/r/p.go')!;
    // Its stat matches no real one: any look at it is a change.
    expect(
      index.records.sameStat(p, { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1, mode: -1 }),
    ).toBe(false);
    expect(index.file('/r/p.go')).toMatchObject({ tier: 'hot', size: -1, hash: undefined });
    index.setFile('/r/p.go', 'hot', st, undefined, 5);
    expect(index.file('/r/p.go')).toMatchObject({ tier: 'hot', size: 1, recordedAtMs: 5 });
    expect([index.pendingCount, index.unhashedCount]).toEqual([1, 2]);
    index.makeCold('/r/q.go');
    expect(index.file('/r/q.go')).toMatchObject({ tier: 'cold', size: -1 });
    expect([index.hotCount, index.pendingCount, index.unhashedCount]).toEqual([1, 0, 1]);
    expect(index.dirsWithPending()).toEqual([]);
  });

  it('knows directories and their children by name, and forgets a directory', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.addDir('/r/a', 'k1');
    index.addDir('/r/a/b', 'k2');
    index.setFile('/r/a/x.go', 'cold', undefined, undefined, 0);
    expect(index.childrenOf('/r/a').sort()).toEqual(['/r/a/b', '/r/a/x.go']);
    expect(index.childCount('/r/a')).toBe(2);
    expect(index.dirsUnder('/r')).toEqual(['/r', '/r/a', '/r/a/b']);
    expect(index.filesUnder('/r')).toEqual(['/r/a/x.go']);
    expect(index.listing('/r/a')?.subdirs.has('b')).toBe(true);
    // A name that is a file and a directory at once (replaced, not verified yet) counts once.
    index.setFile('/r/a/b', 'cold', st, undefined, 0);
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
    index.stampListing('/r', 5, 6, 7, ['README.md'], false);
    index.ignore('/r', '.git', false);
    expect([...(index.listing('/r')?.stamp?.ignored ?? [])]).toEqual(['README.md', '.git']);
    // Not told apart by this listing: no name is known to be a plain file.
    expect(index.listing('/r')?.stamp?.others).toBeUndefined();
    index.unignore('/r', (name) => name !== 'README.md');
    expect([...(index.listing('/r')?.stamp?.ignored ?? [])]).toEqual(['.git']);
    expect(index.listing('/r')?.stamp).toMatchObject({ mtimeMs: 5, ctimeMs: 6, recordedAtMs: 7 });
    index.forgetDir('/r');
    expect(index.listing('/r')).toBeUndefined();
  });

  it('knows which ignored names were not plain files, when the listing told them apart', () => {
    const index = new FileIndex();
    index.addDir('/r', 'k0');
    index.stampListing('/r', 5, 6, 7, ['a.md', 'node_modules'], false, ['node_modules']);
    index.ignore('/r', 'b.md', true);
    index.ignore('/r', 'gen', false);
    const stamp = index.listing('/r')?.stamp;
    expect([...(stamp?.ignored ?? [])]).toEqual(['a.md', 'node_modules', 'b.md', 'gen']);
    expect([...(stamp?.others ?? [])]).toEqual(['node_modules', 'gen']);
    index.unignore('/r', (name) => name !== 'gen');
    expect([...(index.listing('/r')?.stamp?.others ?? [])]).toEqual(['node_modules']);
  });

  it('directories without files or subdirectories share nothing that one of them fills', () => {
    const a = new FileIndex();
    const b = new FileIndex();
    a.addDir('/r', 'k0');
    b.addDir('/r', 'k0');
    b.addDir('/r/sub', 'k1');
    b.setFile('/r/x.go', 'cold', undefined, undefined, 0);
    b.setFile('/r/sub/y.go', 'cold', undefined, undefined, 0);
    expect([a.listing('/r')?.files.size, a.listing('/r')?.subdirs.size]).toEqual([0, 0]);
    expect([b.listing('/r')?.files.size, b.listing('/r')?.subdirs.size]).toEqual([1, 1]);
    expect(b.listing('/r/sub')?.subdirs.size).toBe(0);
  });
});
