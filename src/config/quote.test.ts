import { describe, expect, it } from 'vitest';
import { hasControlCharacter, quote } from './quote.js';

describe('quote', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['\u001b[31mred', '"\\u001b[31mred"'],
    ['a\nb\r\tc\u0000', '"a\\nb\\r\\tc\\u0000"'],
    ['\u009b2J', '"\\u009b2J"'],
    ['\u007f', '"\\u007f"'],
    ['a\u2028b\u2029', '"a\\u2028b\\u2029"'],
    ['\u202eevil\u2066', '"\\u202eevil\\u2066"'],
    ['héllo wörld ✓', '"héllo wörld ✓"'],
  ])('%j -> %s', (text, quoted) => {
    expect(quote(text)).toBe(quoted);
    // What a terminal receives holds no control character at all.
    expect(hasControlCharacter(quote(text))).toBe(false);
  });

  it('cuts long text and says so inside the quotes', () => {
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(77)}..."`);
    expect(quote('abcdef', 5)).toBe('"ab..."');
    expect(quote('x'.repeat(100), Number.POSITIVE_INFINITY)).toBe(`"${'x'.repeat(100)}"`);
  });
});

describe('hasControlCharacter', () => {
  it.each([
    ['gohot.json', false],
    ['dir/gohot.json', false],
    ['a\u001bb', true],
    ['a\nb', true],
    ['\u009b', true],
    ['\u202e', true],
    ['ü', false],
  ])('%j: %s', (text, expected) => {
    expect(hasControlCharacter(text)).toBe(expected);
  });
});
