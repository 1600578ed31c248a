import { describe, expect, it } from 'vitest';
import { isDirective, isPlusBuild, lineDirectiveError } from './directive.js';

describe('isDirective', () => {
  it.each([
    ['//go:build linux', true, true],
    ['//go:', true, true],
    ['//line a.go:1', true, true],
    ['//line a.go:1', false, false],
    ['/*line a.go:1*/', false, true],
    ['//export F', false, true],
    ['// +build linux', false, true],
    ['//\t+build linux', false, true],
    ['//\u00a0+build linux', false, true],
    ['//go', true, false],
    ['// go:build', true, false],
    ['//line', true, false],
    ['/* +build linux */', true, false],
    ['// build +build', true, false],
  ])('%j at line start %s: %s', (comment, atLineStart, expected) => {
    expect(isDirective(comment, atLineStart)).toBe(expected);
  });

  it('tells +build lines from other directives', () => {
    expect(['// +build x', '//+build', '//go:build x', '//line +build:1'].map(isPlusBuild)).toEqual(
      [true, true, false, false],
    );
  });
});

describe('lineDirectiveError', () => {
  it.each([
    ['//line a.go:1', undefined],
    ['//line a.go:1:5', undefined],
    ['//line c:\\a.go:7', undefined],
    ['//line :9', undefined],
    ['/*line a.go:3*/', undefined],
    ['//line no colon', undefined],
    ['//line a.go:0', 'invalid line number'],
    ['//line a.go:x', 'invalid line number'],
    ['//line a.go:1073741825', 'invalid line number'],
    ['//line a.go:1:0', 'invalid column number'],
    ['//line a.go:0:1', 'invalid line number'],
    ['/*line a.go:3\n*/', 'invalid line number'],
  ])('%j: %s', (comment, expected) => {
    expect(lineDirectiveError(comment)).toBe(expected);
  });
});
