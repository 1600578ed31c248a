import { describe, expect, it } from 'vitest';
import { convertAirRegex } from './air-regex.js';

describe('convertAirRegex', () => {
  it.each([
    ['_test\\.go$', { kind: 'exact', globs: ['**/*_test.go'] }],
    ['_test\\.go', { kind: 'exact', globs: ['**/*_test.go*'] }],
    ['\\.pb\\.go$', { kind: 'exact', globs: ['**/*.pb.go'] }],
    ['node_modules', { kind: 'exact', globs: ['**/*node_modules*'] }],
    ['/gen/', { kind: 'exact', globs: ['**/gen/'] }],
    ['.*_gen\\.go$', { kind: 'exact', globs: ['**/*_gen.go'] }],
    ['_mock\\.go|_gen\\.go', { kind: 'exact', globs: ['**/*_mock.go*', '**/*_gen.go*'] }],
    ['_test.go', { kind: 'approximate', globs: ['**/*_test.go*'], anyChar: true }],
    ['^vendor/', { kind: 'matches-nothing' }],
  ])('%s', (regex, expected) => {
    expect(convertAirRegex(regex)).toEqual(expected);
  });

  it.each([
    ['mock_.*\\.go', 'the operator "*"'],
    ['(a|b)\\.go', 'the operator "("'],
    ['[0-9]+\\.log', 'the operator "["'],
    ['\\d+', 'the escape \\d'],
    ['^/abs/', 'a pattern anchored at /'],
  ])('%s has no glob equivalent', (regex, what) => {
    expect(convertAirRegex(regex)).toEqual({ kind: 'unsupported', what });
  });

  it('reports an invalid regex', () => {
    expect(convertAirRegex('(').kind).toBe('invalid');
  });
});
