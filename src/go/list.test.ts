import { describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import { goListFailedError, LIST_FIELDS, listArgs, listFlags, parseListOutput } from './list.js';

describe('listFlags', () => {
  it.each<[string[], string[]]>([
    [[], []],
    [['-race'], ['-race']],
    [['--race'], ['--race']],
    [['-race=false'], ['-race=false']],
    [
      ['-msan', '-asan'],
      ['-msan', '-asan'],
    ],
    [
      ['-cover', '-covermode=atomic', '-coverpkg', './...'],
      ['-cover', '-covermode=atomic', '-coverpkg', './...'],
    ],
    [['-mod=vendor'], ['-mod=vendor']],
    [
      ['-mod', 'vendor'],
      ['-mod', 'vendor'],
    ],
    [
      ['-modfile', 'dev.mod', '-overlay=o.json'],
      ['-modfile', 'dev.mod', '-overlay=o.json'],
    ],
    [
      ['-buildmode=pie', '-compiler', 'gc', '-linkshared'],
      ['-buildmode=pie', '-compiler', 'gc', '-linkshared'],
    ],
    // Flags that do not change the package set are dropped, with their value.
    [['-gcflags=all=-N -l'], []],
    [['-gcflags', '-race', '-trimpath'], []],
    [['-ldflags', '-X main.v=1', '-mod=mod'], ['-mod=mod']],
    [['-toolexec', 'time', '-pgo=off', '-v', '-x', '-a'], []],
    [['-p', '4', '-race'], ['-race']],
    // Not flags at all.
    [['vendor', '--', '-'], []],
  ])('%j -> %j', (flags, expected) => {
    expect(listFlags(flags)).toEqual(expected);
  });
});

describe('listArgs', () => {
  const spec = { goBin: 'go', cwd: '/src/app', env: {}, pkg: './cmd/api', tags: [], flags: [] };

  it('lists the closure with the selected fields, without VCS work', () => {
    expect(listArgs(spec)).toEqual([
      'list',
      '-e',
      '-deps',
      `-json=${LIST_FIELDS.join(',')}`,
      '-buildvcs=false',
      '--',
      './cmd/api',
    ]);
  });

  it('passes tags and package-selecting flags the way go build gets them', () => {
    const args = listArgs({ ...spec, tags: ['dev', 'sqlite'], flags: ['-race', '-ldflags=-s'] });
    expect(args.slice(5)).toEqual(['-tags', 'dev,sqlite', '-race', '--', './cmd/api']);
  });

  it('asks for every field the model reads', () => {
    for (const field of ['Module', 'EmbedFiles', 'EmbedPatterns', 'IgnoredGoFiles', 'DepOnly']) {
      expect(LIST_FIELDS).toContain(field);
    }
  });
});

describe('parseListOutput', () => {
  it('reads concatenated indented objects', () => {
    const out = '{\n\t"ImportPath": "a",\n\t"Dir": "/a"\n}\n{\n\t"ImportPath": "b"\n}\n';
    expect(parseListOutput(out)).toEqual([{ ImportPath: 'a', Dir: '/a' }, { ImportPath: 'b' }]);
    expect(parseListOutput('')).toEqual([]);
  });

  it.each(['[1]', '{"Dir": "/a"}', '"x"', '{"ImportPath": 3}', '{"ImportPath": "a"} junk'])(
    'rejects %s as GO_OUTPUT_INVALID',
    (out) => {
      let caught: unknown;
      try {
        parseListOutput(out);
      } catch (err) {
        caught = err;
      }
      expect(isGohotError(caught, 'GO_OUTPUT_INVALID')).toBe(true);
    },
  );
});

describe('goListFailedError', () => {
  it("shows go's message and a generic hint", () => {
    const err = goListFailedError(['list', '.'], '/src/app', 'go: errors parsing go.mod:\n');
    expect(err.code).toBe('GO_LIST_FAILED');
    expect(err.message).toBe('`go list .` failed in /src/app:\ngo: errors parsing go.mod:');
    expect(err.hint).toMatch(/go\.mod or go\.work/);
  });

  it('says so when go printed nothing', () => {
    const err = goListFailedError(['list', '.'], '/src/app', '');
    expect(err.message).toBe('`go list .` failed in /src/app and printed no package.');
  });

  it('names the Go version go.mod asks for', () => {
    const err = goListFailedError(
      ['list', '.'],
      '/src/app',
      'go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)\n',
    );
    expect(err.hint).toMatch(/needs Go 1\.99 but this is Go 1\.26\.8/);
  });
});
