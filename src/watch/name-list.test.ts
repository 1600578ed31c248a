import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameList } from './name-list.js';

describe('NameList', () => {
  it('holds names once, in order, and finds each by its whole name', () => {
    const list = NameList.of(['README.md', 'a', 'README.md', 'b.js']);
    expect([...list]).toEqual(['README.md', 'a', 'b.js']);
    expect(list.size).toBe(3);
    expect([list.has('a'), list.has('README.md'), list.has('b.js')]).toEqual([true, true, true]);
    // Parts of names, several names, and what no entry name can be are not in it.
    expect(['READ', 'md', 'a/README.md', '', '/', 'b'].map((n) => list.has(n))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('is a value: with and filter make new lists, or return the same one', () => {
    const list = NameList.of(['x', 'y']);
    expect(list.with('x')).toBe(list);
    const more = list.with('z');
    expect([[...list], [...more], more.size]).toEqual([['x', 'y'], ['x', 'y', 'z'], 3]);
    expect(more.filter(() => true)).toBe(more);
    expect([...more.filter((n) => n !== 'y')]).toEqual(['x', 'z']);
    expect(more.filter(() => false)).toBe(NameList.EMPTY);
    expect(() => list.with('a/b')).toThrow(/not an entry name/);
  });

  it('the empty list has nothing', () => {
    expect([[...NameList.EMPTY], NameList.EMPTY.size, NameList.EMPTY.has('')]).toEqual([
      [],
      0,
      false,
    ]);
    expect(NameList.of([])).toBe(NameList.EMPTY);
    expect(NameList.ofListing([])).toBe(NameList.EMPTY);
  });

  it('holds the names of a listing as of() does', () => {
    const list = NameList.ofListing(['README.md', 'a', 'b.js']);
    expect([...list]).toEqual([...NameList.of(['README.md', 'a', 'b.js'])]);
    expect(list.size).toBe(3);
    expect(list.has('a') && list.has('b.js') && !list.has('b')).toBe(true);
  });

  it('agrees with a Set of the same names', () => {
    const name = fc.stringMatching(/^[^/]{1,6}$/);
    fc.assert(
      fc.property(fc.array(name), fc.array(name), (names, probes) => {
        const set = new Set(names);
        let list = NameList.EMPTY;
        for (const n of names) list = list.with(n);
        expect([...list]).toEqual([...set]);
        expect([...NameList.of(names)]).toEqual([...set]);
        for (const p of [...probes, ...names]) expect(list.has(p)).toBe(set.has(p));
      }),
      { numRuns: 300 },
    );
  });
});
