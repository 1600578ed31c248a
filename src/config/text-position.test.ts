import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineIndex, lineStarts, offsetToPosition } from './text-position.js';

/** The position by walking the text from the start: the definition the index must match. */
function naivePosition(text: string, offset: number) {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

describe('lineStarts', () => {
  it.each([
    ['', [0]],
    ['abc', [0]],
    ['a\nb', [0, 2]],
    ['a\r\nb', [0, 3]],
    ['a\rb', [0, 2]],
    ['\n\n', [0, 1, 2]],
    ['a\r\r\nb\n', [0, 2, 4, 6]],
  ])('%j starts lines at %j', (text, starts) => {
    expect(lineStarts(text)).toEqual(starts);
  });
});

describe('createLineIndex', () => {
  it.each([
    ['ab\ncd', 0, 1, 1],
    ['ab\ncd', 2, 1, 3],
    ['ab\ncd', 3, 2, 1],
    ['ab\ncd', 4, 2, 2],
    ['ab\r\ncd', 3, 1, 4],
    ['ab\r\ncd', 4, 2, 1],
    ['a\rb', 2, 2, 1],
    ['ab', -5, 1, 1],
    ['ab\ncd', 99, 2, 3],
    ['', 0, 1, 1],
  ])('%j at %i is %i:%i', (text, offset, line, column) => {
    expect(createLineIndex(text).positionAt(offset)).toEqual({ line, column });
    expect(offsetToPosition(text, offset)).toEqual({ line, column });
  });

  it('agrees with a walk from the start for every offset of any text', () => {
    const text = fc
      .array(fc.constantFrom('a', '\n', '\r', ' ', '{'), { maxLength: 40 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const index = createLineIndex(t);
        for (let offset = -1; offset <= t.length + 1; offset++) {
          expect(index.positionAt(offset)).toEqual(naivePosition(t, offset));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('answers positions in any order from one index', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const index = createLineIndex(text);
    const offsets = [text.length, 0, text.indexOf('line 500'), text.indexOf('line 7\n')];
    expect(offsets.map((o) => index.positionAt(o))).toEqual([
      { line: 1000, column: 9 },
      { line: 1, column: 1 },
      { line: 501, column: 1 },
      { line: 8, column: 1 },
    ]);
  });
});
