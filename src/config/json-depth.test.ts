import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { findTooDeep, MAX_CONFIG_DEPTH } from './json-depth.js';

const arrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const objects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('findTooDeep', () => {
  it.each([
    ['{}', 1, undefined],
    ['{}', 0, 0],
    ['[[]]', 1, 1],
    ['[[]]', 2, undefined],
    ['[][][]', 1, undefined],
    ['{"a": [1, {"b": 2}]}', 3, undefined],
    ['{"a": [1, {"b": 2}]}', 2, 10],
    // Brackets in strings and comments are text.
    ['{"a": "[[[[["}', 1, undefined],
    ['{/* [[[[ */ "a": 1 // {{{{\n}', 1, undefined],
    // A closer that does not match the innermost opener ends no level.
    ['[}[', 1, 2],
    ['{]{', 1, 2],
  ])('%j with at most %i levels: %s', (text, max, offset) => {
    expect(findTooDeep(text, max)).toBe(offset);
  });

  it('accepts exactly the maximum and points at the first opener beyond it', () => {
    expect(findTooDeep(arrays(MAX_CONFIG_DEPTH))).toBeUndefined();
    expect(findTooDeep(arrays(MAX_CONFIG_DEPTH + 1))).toBe(MAX_CONFIG_DEPTH);
    expect(findTooDeep(objects(MAX_CONFIG_DEPTH + 1))).toBe(5 * MAX_CONFIG_DEPTH);
  });

  // Regression: parseTree recursed once per level and overflowed the stack (a RangeError
  // with a stack trace instead of a config error) at a few thousand levels.
  it.each([5_000, 100_000])(
    'finds %i levels, which overflow the parser, without recursing',
    (n) => {
      for (const text of [arrays(n), objects(n)]) {
        expect(() => parseTree(text)).toThrow(RangeError);
        expect(findTooDeep(text)).toBe(
          text.startsWith('[') ? MAX_CONFIG_DEPTH : 5 * MAX_CONFIG_DEPTH,
        );
      }
      // Broken text is counted conservatively: more levels than the parser would open.
      expect(findTooDeep('[}'.repeat(n))).toBe(2 * MAX_CONFIG_DEPTH);
      expect(findTooDeep(`{"a": "x\n${'['.repeat(n)}`)).toBe(9 + MAX_CONFIG_DEPTH - 1);
    },
  );
});
