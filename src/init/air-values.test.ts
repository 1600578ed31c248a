import { describe, expect, it } from 'vitest';
import { goDurationMs, msDuration } from './air-values.js';

describe('goDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['1m30s', 90_000],
    ['2.5s', 2500],
    ['1500us', 1.5],
    ['0', 0],
    ['1h', 3_600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(goDurationMs(text)).toBe(ms);
  });

  it.each(['500', '1 s', 's', '', '5d', '-1s'])('%j is not a Go duration', (text) => {
    expect(goDurationMs(text)).toBeUndefined();
  });
});

describe('msDuration', () => {
  it.each([
    [0, '0'],
    [0.4, '0'],
    [500, '500ms'],
    [1500.7, '1500ms'],
  ])('%d -> %s', (ms, text) => {
    expect(msDuration(ms)).toBe(text);
  });
});
