import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import { MAX_CONFIG_DEPTH } from './json-depth.js';
import { loadConfig, parseCodebuddyText, parseConfigText } from './load-config.js';
import { MAX_CONFIG_BYTES, readConfigFile } from './read-config-file.js';

const lines = (...l: string[]) => l.join('\n');

/** The GohotError thrown by fn, as plain fields. */
function thrown(fn: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof GohotError)) throw err;
    return { code: err.code, message: err.message, hint: err.hint };
  }
  throw new Error('expected a GohotError');
}

describe('parseConfigText: syntax errors', () => {
  const cases: readonly [string, string, string][] = [
    [
      'missing comma',
      lines('{', '  "main": "./cmd/api"', '  "build": {}', '}'),
      'gohot.json:3:3: expected "," before "\\"build\\"" (a comma is missing after the previous entry).',
    ],
    [
      'trailing comma in an object',
      lines('{', '  "main": "./cmd/api",', '}'),
      'gohot.json:3:1: trailing comma before "}": gohot.json is plain JSON, remove the comma.',
    ],
    [
      'trailing comma in an array',
      lines('{', '  "run": { "args": ["a", ] }', '}'),
      'gohot.json:2:26: trailing comma before "]": gohot.json is plain JSON, remove the comma.',
    ],
    [
      'line comment',
      lines('{', '  // the api', '  "main": "./cmd/api"', '}'),
      'gohot.json:2:3: comments are not allowed: gohot.json is plain JSON (see the README for each key instead).',
    ],
    [
      'block comment',
      '{"main": /* api */ "./cmd/api"}',
      'gohot.json:1:10: comments are not allowed: gohot.json is plain JSON (see the README for each key instead).',
    ],
    ['empty file', '  \n', 'gohot.json:1:1: the file is empty; expected a JSON object such as {}.'],
    [
      'single quotes',
      "{'main': './x'}",
      'gohot.json:1:2: keys and strings need double quotes, not single quotes.',
    ],
    [
      'missing colon',
      '{"main" "./x"}',
      'gohot.json:1:9: expected ":" after the key, but found "\\"./x\\"".',
    ],
    ['unclosed object', '{"main": "./x"', 'gohot.json:1:15: unexpected end of file; expected "}".'],
    [
      'text after the object',
      '{} {}',
      'gohot.json:1:4: expected the end of the file after the top-level object, but found "{".',
    ],
    ['bare word', '{"main": yes}', 'gohot.json:1:10: unexpected "yes".'],
    [
      'raw line break in a string',
      '{"main": "a\nb"}',
      'gohot.json:1:10: a string is not closed with ".',
    ],
    [
      'raw tab in a string',
      '{"main": "a\tb"}',
      'gohot.json:1:10: a string contains a raw control character (line break or tab); write \\n or \\t.',
    ],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const err = thrown(() => parseConfigText(text, 'gohot.json'));
    expect(err.code).toBe('CONFIG_SYNTAX');
    expect(err.message).toBe(message);
    expect(err.hint).toMatch(/no comments, no trailing commas/);
  });

  it('ignores a byte order mark and counts columns without it', () => {
    expect(parseConfigText('\uFEFF{"main": "./x"}', 'gohot.json')).toEqual({ main: './x' });
    expect(thrown(() => parseConfigText('\uFEFF{"main" 1}', 'gohot.json')).message).toMatch(
      /^gohot\.json:1:9: /,
    );
  });
});

describe('parseConfigText: validation errors', () => {
  it('throws one error that lists every problem with positions', () => {
    const text = lines(
      '{',
      '  "build": { "falgs": ["-race"] },',
      '  "run": { "args": "x", "stopSignal": "SIGFOO", "stopTimeout": "500" }',
      '}',
    );
    const err = thrown(() => parseConfigText(text, 'gohot.json'));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message.split('\n')).toEqual([
      'gohot.json has 4 problems:',
      '  gohot.json:2:14: unknown key "falgs" in "build"; expected one of flags, tags, ldflags, env, buildvcs, debug, toolexec, gcflags, asmflags, trimpath, race, cover, envFile (did you mean "flags"?).',
      '  gohot.json:3:20: run.args must be an array of strings, e.g. ["--port","8080"], but got the string "x".',
      '  gohot.json:3:39: run.stopSignal must be one of "SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", but got the string "SIGFOO".',
      '  gohot.json:3:64: run.stopTimeout must be a duration with a unit like "500ms", "3s" or "1m", but got the string "500"; add a unit, e.g. "500ms".',
    ]);
  });

  it('uses CONFIG_UNKNOWN_KEY when only keys are wrong', () => {
    const err = thrown(() => parseConfigText('{\n  "wach": {}\n}', 'gohot.json'));
    expect(err.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(err.message).toBe(
      'gohot.json:2:3: unknown key "wach" in the top level; expected one of main, build, run, watch, rules, hooks, proxy (did you mean "watch"?).',
    );
  });
});

describe('parseCodebuddyText', () => {
  it.each([
    ['flat key', '{"editor.tabSize": 2, "go.watch.patterns": ["**/*.go", "!gen/**"]}'],
    ['nested key', '{"go": {"watch": {"patterns": ["**/*.go", "!gen/**"]}}}'],
    [
      'comments and trailing commas',
      '{\n  // mine\n  "go.watch.patterns": ["**/*.go", "!gen/**",],\n}',
    ],
  ])('reads go.watch.patterns only (%s)', (_name, text) => {
    expect(parseCodebuddyText(text, 'codebuddy.json')).toEqual({
      watch: { patterns: ['**/*.go', '!gen/**'] },
    });
  });

  it('returns undefined without the key', () => {
    expect(
      parseCodebuddyText('{"go.watch.other": 1, "go": {"watch": {}}}', 'codebuddy.json'),
    ).toBeUndefined();
    expect(parseCodebuddyText('[]', 'codebuddy.json')).toBeUndefined();
  });

  it('validates the patterns with positions', () => {
    const err = thrown(() =>
      parseCodebuddyText('{\n  "go.watch.patterns": "**/*.go"\n}', 'codebuddy.json'),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(
      'codebuddy.json:2:24: go.watch.patterns must be an array of glob strings, e.g. ["**/*.go", "!**/*_test.go"], but got the string "**/*.go".',
    );
  });

  it('reports its syntax errors and says only one key is read', () => {
    const err = thrown(() =>
      parseCodebuddyText('{"a": 1 "go.watch.patterns": []}', 'codebuddy.json'),
    );
    expect(err.code).toBe('CONFIG_SYNTAX');
    expect(err.message).toMatch(/^codebuddy\.json:1:9: expected ","/);
    expect(err.hint).toMatch(/reads only "go\.watch\.patterns"/);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gohot-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns none when there is no config file', async () => {
    expect(await loadConfig(dir)).toEqual({ kind: 'none', path: undefined, file: undefined });
  });

  it('reads gohot.json and says so', async () => {
    await writeFile(path.join(dir, 'gohot.json'), '{"main": "./cmd/api"}');
    expect(await loadConfig(dir)).toEqual({
      kind: 'gohot.json',
      path: path.join(dir, 'gohot.json'),
      file: { main: './cmd/api' },
    });
  });

  it('prefers gohot.json over codebuddy.json', async () => {
    await writeFile(path.join(dir, 'gohot.json'), '{}');
    await writeFile(path.join(dir, 'codebuddy.json'), '{"go.watch.patterns": ["x"]}');
    expect((await loadConfig(dir)).kind).toBe('gohot.json');
  });

  it('falls back to codebuddy.json with go.watch.patterns', async () => {
    await writeFile(path.join(dir, 'codebuddy.json'), '{"go.watch.patterns": ["**/*.go"]}');
    expect(await loadConfig(dir)).toEqual({
      kind: 'codebuddy.json',
      path: path.join(dir, 'codebuddy.json'),
      file: { watch: { patterns: ['**/*.go'] } },
    });
  });

  it('ignores a codebuddy.json without the key', async () => {
    await writeFile(path.join(dir, 'codebuddy.json'), '{"editor.tabSize": 2}');
    expect((await loadConfig(dir)).kind).toBe('none');
  });

  it('prefixes errors with the path of the file', async () => {
    await writeFile(path.join(dir, 'gohot.json'), '{\n  "main": 1\n}');
    await expect(loadConfig(dir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: `${path.join(dir, 'gohot.json')}:2:11: main must be a non-empty string, e.g. "./cmd/api", but got the number 1.`,
    });
  });

  it('reports a directory named gohot.json as not a regular file', async () => {
    await mkdir(path.join(dir, 'gohot.json'));
    await expect(loadConfig(dir)).rejects.toMatchObject({
      code: 'CONFIG_NOT_A_FILE',
      message: `${path.join(dir, 'gohot.json')} is a directory, not a regular file, so gohot does not read it.`,
    });
  });

  it('reports a file it cannot open as CONFIG_READ, with the reason', async () => {
    await symlink('loop-b', path.join(dir, 'gohot.json'));
    await symlink('gohot.json', path.join(dir, 'loop-b'));
    await expect(loadConfig(dir)).rejects.toMatchObject({
      code: 'CONFIG_READ',
      message: expect.stringMatching(/could not read .*gohot\.json \(ELOOP\)/),
    });
  });

  // Regression: a FIFO as gohot.json blocked the read (and start-up) forever, silently.
  it.each(['gohot.json', 'codebuddy.json'])(
    'refuses a FIFO as %s without waiting',
    async (name) => {
      mkfifo(path.join(dir, name));
      const err = await loadConfig(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GohotError);
      expect(err).toMatchObject({
        code: 'CONFIG_NOT_A_FILE',
        message: `${path.join(dir, name)} is a FIFO (named pipe), not a regular file, so gohot does not read it.`,
        hint: expect.stringMatching(/^Replace it with a regular file/),
      });
    },
  );

  // Regression: a symlink to /dev/zero as gohot.json was read until memory ran out.
  it('refuses a symbolic link to a device', async () => {
    await symlink('/dev/zero', path.join(dir, 'gohot.json'));
    await expect(loadConfig(dir)).rejects.toMatchObject({
      code: 'CONFIG_NOT_A_FILE',
      message: expect.stringMatching(
        /gohot\.json is a symbolic link to a character device, not a regular file/,
      ),
    });
  });

  it('refuses a socket', async () => {
    const sock = path.join(dir, 'gohot.json');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      await expect(loadConfig(dir)).rejects.toMatchObject({
        code: 'CONFIG_NOT_A_FILE',
        message: expect.stringMatching(/gohot\.json is a socket, not a regular file/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reads a symbolic link to a regular file', async () => {
    await writeFile(path.join(dir, 'real.json'), '{"main": "./cmd/api"}');
    await symlink('real.json', path.join(dir, 'gohot.json'));
    expect((await loadConfig(dir)).file).toEqual({ main: './cmd/api' });
  });

  // Regression: there was no size limit at all.
  it('refuses a config file larger than 1 MiB', async () => {
    await writeFile(path.join(dir, 'gohot.json'), `{}${' '.repeat(MAX_CONFIG_BYTES)}`);
    await expect(loadConfig(dir)).rejects.toMatchObject({
      code: 'CONFIG_TOO_LARGE',
      message: `${path.join(dir, 'gohot.json')} is larger than 1 MiB, the most gohot reads from a config file.`,
    });
    await writeFile(path.join(dir, 'gohot.json'), `{}${' '.repeat(MAX_CONFIG_BYTES - 2)}`);
    expect((await loadConfig(dir)).file).toEqual({});
  });
});

describe('readConfigFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gohot-read-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns undefined for a missing file and a dangling link', async () => {
    expect(await readConfigFile(path.join(dir, 'nope.json'))).toBeUndefined();
    await symlink('nope.json', path.join(dir, 'link.json'));
    expect(await readConfigFile(path.join(dir, 'link.json'))).toBeUndefined();
  });

  it.each([
    [0, 10, ''],
    [10, 10, 'x'.repeat(10)],
    [11, 10, undefined],
  ])('reads %i bytes with a cap of %i', async (size, cap, expected) => {
    const file = path.join(dir, 'c.json');
    await writeFile(file, 'x'.repeat(size));
    const read = readConfigFile(file, cap);
    if (expected === undefined) {
      await expect(read).rejects.toMatchObject({
        code: 'CONFIG_TOO_LARGE',
        message: expect.stringMatching(/is larger than 10 bytes/),
      });
    } else {
      expect(await read).toBe(expected);
    }
  });

  it('decodes UTF-8', async () => {
    const file = path.join(dir, 'c.json');
    await writeFile(file, '{"main": "./çmd/äpi"}');
    expect(await readConfigFile(file)).toBe('{"main": "./çmd/äpi"}');
  });
});

describe('parseConfigText: nesting depth', () => {
  // Regression: deep nesting overflowed jsonc-parser's recursion: a RangeError and a stack
  // trace instead of a config error.
  it.each([5_000, 100_000])(
    'refuses %i levels with the position of the first level too many',
    (n) => {
      for (const text of [
        `${'['.repeat(n)}${']'.repeat(n)}`,
        `{"main": ${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
      ]) {
        const err = thrown(() => parseConfigText(text, 'gohot.json'));
        expect(err.code).toBe('CONFIG_TOO_DEEP');
        const column = text.startsWith('[')
          ? MAX_CONFIG_DEPTH + 1
          : 10 + 5 * (MAX_CONFIG_DEPTH - 1);
        expect(err.message).toBe(
          `gohot.json:1:${column}: objects and arrays are nested more than 64 levels deep here.`,
        );
        expect(err.hint).toMatch(/remove the extra nesting/);
      }
    },
  );

  it('still validates a file nested exactly 64 levels deep', () => {
    const text = `{"main": ${'['.repeat(MAX_CONFIG_DEPTH - 1)}${']'.repeat(MAX_CONFIG_DEPTH - 1)}}`;
    expect(thrown(() => parseConfigText(text, 'gohot.json')).code).toBe('CONFIG_INVALID');
  });

  it('applies to codebuddy.json too', () => {
    const text = `{\n  // deep\n  "x": ${'['.repeat(100_000)}\n}`;
    const err = thrown(() => parseCodebuddyText(text, 'codebuddy.json'));
    expect(err.code).toBe('CONFIG_TOO_DEEP');
    expect(err.message).toMatch(/^codebuddy\.json:3:71: /);
    expect(err.hint).toMatch(/reads only "go\.watch\.patterns"/);
  });
});

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.error?.message ?? r.stderr}`);
}
