import { describe, expect, it } from 'vitest';
import { FileTable, LISTED, type StatFields } from './file-table.js';

const stat = (n: number): StatFields => ({
  size: n,
  mtimeMs: 1_700_000_000_000.123 + n,
  ctimeMs: 1_700_000_000_001.5 + n,
  ino: 2 ** 40 + n,
  mode: 0o100644,
});

describe('FileTable', () => {
  it('keeps stat fields exactly, with tier, hash and recording time', () => {
    const table = new FileTable();
    const a = table.add('hot', stat(1), 'h1', 10.5);
    const b = table.add('cold', stat(2), undefined, 20);
    expect(table.entry(a)).toEqual({ ...stat(1), tier: 'hot', hash: 'h1', recordedAtMs: 10.5 });
    expect(table.entry(b)).toEqual({ ...stat(2), tier: 'cold', hash: undefined, recordedAtMs: 20 });
    expect([table.mtimeMs(a), table.recordedAtMs(a)]).toEqual([stat(1).mtimeMs, 10.5]);
    expect(table.size).toBe(2);
  });

  it.each([
    ['size', { size: 9 }],
    ['mtime', { mtimeMs: 5 }],
    ['ctime', { ctimeMs: 5 }],
    ['inode', { ino: 5 }],
    ['mode', { mode: 0o100755 }],
  ])('a different %s is a different stat', (_field, change) => {
    const table = new FileTable();
    const ref = table.add('hot', stat(1), undefined, 0);
    expect(table.sameStat(ref, stat(1))).toBe(true);
    expect(table.sameStat(ref, { ...stat(1), ...change })).toBe(false);
  });

  it('a listed-only file is cold, unhashed and matches no stat', () => {
    const table = new FileTable();
    expect([table.tier(LISTED), table.hash(LISTED), table.sameStat(LISTED, stat(1))]).toEqual([
      'cold',
      undefined,
      false,
    ]);
    expect(table.entry(LISTED)).toMatchObject({ size: -1, mtimeMs: -1, recordedAtMs: 0 });
    table.remove(LISTED);
    table.setTier(LISTED, 'hot');
    expect([table.size, table.tier(LISTED)]).toEqual([0, 'cold']);
  });

  it('setTier keeps the stat; a cold record drops its hash', () => {
    const table = new FileTable();
    const ref = table.add('hot', stat(3), 'h', 0);
    table.setTier(ref, 'cold');
    expect(table.entry(ref)).toEqual({
      ...stat(3),
      tier: 'cold',
      hash: undefined,
      recordedAtMs: 0,
    });
    table.setTier(ref, 'hot');
    expect([table.tier(ref), table.hash(ref), table.sameStat(ref, stat(3))]).toEqual([
      'hot',
      undefined,
      true,
    ]);
  });

  it('grows past its first capacity and reuses the slots of removed records', () => {
    const table = new FileTable();
    const refs = Array.from({ length: 1000 }, (_, i) => table.add('cold', stat(i), `h${i}`, i));
    expect(new Set(refs).size).toBe(1000);
    // Every record survives the growth intact.
    expect(
      refs.every((ref, i) => table.sameStat(ref, stat(i)) && table.hash(ref) === `h${i}`),
    ).toBe(true);
    table.remove(refs[10]!);
    table.remove(refs[10]!); // twice is once
    expect(table.size).toBe(999);
    const again = table.add('hot', stat(5000), undefined, 0);
    expect(again).toBe(refs[10]);
    expect(table.entry(again)).toEqual({
      ...stat(5000),
      tier: 'hot',
      hash: undefined,
      recordedAtMs: 0,
    });
    expect(table.size).toBe(1000);
  });
});
