import { describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import { checkBuildFlag, checkBuildFlagOverrides, ownedBuildFlag } from './build-flags.js';

describe('ownedBuildFlag', () => {
  it.each([
    ['-o', 'o'],
    ['-o=bin/app', 'o'],
    ['--o=x', 'o'],
    ['-C', 'C'],
    ['--C=dir', 'C'],
    ['-json', 'json'],
    ['-json=false', 'json'],
    ['-n', 'n'],
    ['-ldflags=-s -w', 'ldflags'],
    ['--ldflags', 'ldflags'],
    ['-tags', 'tags'],
    ['-tags=dev,sqlite', 'tags'],
    ['-buildvcs=true', 'buildvcs'],
    ['--buildvcs', 'buildvcs'],
  ])('%s sets -%s', (flag, name) => {
    expect(ownedBuildFlag(flag)).toBe(name);
  });

  it.each([
    '-race',
    '-trimpath',
    '-gcflags=all=-N -l',
    '-c',
    '-O',
    '-nolocalimports',
    '-tagsx',
    '-overlay=o.json',
    'o',
    './cmd/api',
    '-',
    '--',
    '---o',
    '',
    '-=o',
  ])('%j is not owned', (flag) => {
    expect(ownedBuildFlag(flag)).toBeUndefined();
  });
});

describe('checkBuildFlag', () => {
  it.each([
    ['-o=X', 'file', /^"-o=X" sets -o: gohot sets -o itself .*; remove it$/],
    ['-ldflags=-X a=b', 'file', /sets -ldflags: .*use the "build\.ldflags" key instead$/],
    ['-tags=dev', 'file', /sets -tags: .*use the "build\.tags" key instead$/],
    ['-tags=dev', 'command line', /sets -tags: .*use --tags instead$/],
    ['-buildvcs', 'file', /sets -buildvcs: .*use the "build\.buildvcs" key instead$/],
    ['-buildvcs', 'command line', /set "build\.buildvcs" in gohot\.json instead$/],
    ['-n', 'file', /sets -n: go build -n only prints the commands and builds no binary/],
    ['-C=x', 'command line', /sets -C: .*use gohot -C <dir> instead$/],
    ['-json', 'file', /sets -json: .*remove it$/],
    ['\u001b[2J-o', 'file', undefined],
  ] as const)('%j from the %s', (flag, source, expected) => {
    const problem = checkBuildFlag(flag, source);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('quotes the flag, escaping control characters', () => {
    expect(checkBuildFlag('-o=\u001b[2J', 'file')).toMatch(/^"-o=\\u001b\[2J" sets -o/);
  });
});

describe('checkBuildFlagOverrides', () => {
  it('accepts other flags and no flags', () => {
    expect(() => checkBuildFlagOverrides(['-race', '-trimpath'])).not.toThrow();
    expect(() => checkBuildFlagOverrides(undefined)).not.toThrow();
  });

  it('names --build-flag and the first refused flag', () => {
    let error: unknown;
    try {
      checkBuildFlagOverrides(['-race', '-o=X', '-n']);
    } catch (err) {
      error = err;
    }
    expect(isGohotError(error, 'CLI_USAGE')).toBe(true);
    expect((error as Error).message).toMatch(/^--build-flag "-o=X" sets -o: .*; remove it\.$/);
  });
});
