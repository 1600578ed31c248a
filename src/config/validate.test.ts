import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { configIssuesError, formatConfigIssue, MAX_LISTED_ISSUES } from './config-issues.js';
import { hasControlCharacter } from './quote.js';
import { didYouMean, editDistance } from './suggest.js';
import { offsetToPosition } from './text-position.js';
import { acceptedKeyPaths, validateConfigTree, validatePatternsTree } from './validate.js';

/** Validates JSON text; returns `line:col code path: message` lines. */
function check(text: string): string[] {
  const root = parseTree(text);
  if (!root) throw new Error('test input must parse');
  return validateConfigTree(root, text).issues.map(
    (i) => `${i.line}:${i.column} ${i.code} ${i.path}: ${i.message}`,
  );
}

const lines = (...l: string[]) => l.join('\n');

describe('validateConfigTree', () => {
  it('accepts a full, valid file and returns it typed', () => {
    const text = JSON.stringify({
      $schema: './gohot.schema.json',
      main: './cmd/api',
      build: {
        flags: ['-race'],
        tags: ['dev'],
        ldflags: '-s -w',
        env: { CGO_ENABLED: '0' },
        buildvcs: true,
      },
      run: {
        args: ['--port', '8080'],
        env: { PORT: '8080' },
        stopSignal: 'SIGINT',
        stopTimeout: '1.5s',
      },
      watch: {
        patterns: ['**/*.go', '!gen/'],
        quietWindow: '0',
        poll: 'native',
        pollInterval: '2s',
      },
    });
    const root = parseTree(text)!;
    const { file, issues } = validateConfigTree(root, text);
    expect(issues).toEqual([]);
    expect(file).toEqual(JSON.parse(text));
  });

  it('reports an unknown top-level key with its position and a suggestion', () => {
    const text = lines('{', '    "main": "./cmd/api",', '    "build": {},', '    "wach": {}', '}');
    expect(check(text)).toEqual([
      '4:5 CONFIG_UNKNOWN_KEY wach: unknown key "wach" in the top level; expected one of main, build, run, watch, rules, hooks, proxy (did you mean "watch"?)',
    ]);
  });

  it('reports an unknown nested key (build.falgs)', () => {
    const text = lines('{', '  "build": {', '    "falgs": ["-race"]', '  }', '}');
    expect(check(text)).toEqual([
      '3:5 CONFIG_UNKNOWN_KEY build.falgs: unknown key "falgs" in "build"; expected one of flags, tags, ldflags, env, buildvcs, debug, toolexec, gcflags, asmflags, trimpath, race, cover, envFile (did you mean "flags"?)',
    ]);
  });

  it('says where a known key in the wrong section belongs', () => {
    expect(check('{"stopTimeout": "1s"}')).toEqual([
      '1:2 CONFIG_UNKNOWN_KEY stopTimeout: unknown key "stopTimeout" in the top level; expected one of main, build, run, watch, rules, hooks, proxy ("stopTimeout" belongs at run.stopTimeout)',
    ]);
  });

  it('offers no suggestion when nothing is close', () => {
    expect(check('{"zzzzzz": 1}')).toEqual([
      '1:2 CONFIG_UNKNOWN_KEY zzzzzz: unknown key "zzzzzz" in the top level; expected one of main, build, run, watch, rules, hooks, proxy',
    ]);
  });

  it('reports a wrong type with the key path, expected form and received value (run.args: "x")', () => {
    const text = lines('{', '  "run": {', '    "args": "x"', '  }', '}');
    expect(check(text)).toEqual([
      '3:13 CONFIG_INVALID run.args: run.args must be an array of strings, e.g. ["--port","8080"], but got the string "x"',
    ]);
  });

  it('reports a duration without a unit and suggests one', () => {
    const text = lines('{', '  "watch": { "pollInterval": "500" }', '}');
    expect(check(text)).toEqual([
      '2:30 CONFIG_INVALID watch.pollInterval: watch.pollInterval must be a duration with a unit like "500ms", "3s" or "1m", but got the string "500"; add a unit, e.g. "500ms"',
    ]);
  });

  it('reports a duration given as a number', () => {
    expect(check('{"run": {"stopTimeout": 3}}')).toEqual([
      '1:25 CONFIG_INVALID run.stopTimeout: run.stopTimeout must be a duration with a unit like "500ms", "3s" or "1m", but got the number 3; write it as a string with a unit, e.g. "3ms"',
    ]);
  });

  it('rejects a zero poll interval but accepts a zero quiet window', () => {
    expect(check('{"watch": {"quietWindow": "0", "pollInterval": "0ms"}}')).toEqual([
      '1:48 CONFIG_INVALID watch.pollInterval: watch.pollInterval must be a duration of at least 1ms, e.g. "500ms", but got the string "0ms"',
    ]);
  });

  // Regression: a repeated variable in an env map was silently last-wins.
  it('reports a duplicate variable in an env map', () => {
    expect(check('{"build": {"env": {"A": "1", "A": "2"}}}')).toEqual([
      '1:30 CONFIG_INVALID build.env.A: duplicate variable "A"; it is already set at line 1',
    ]);
  });

  // Regression: "0.4ms" passed the > 0 check and rounded to 0; "99999m" overflowed Node's
  // timers (a grace period that long meant SIGKILL after ~1 ms).
  it('checks durations after rounding and caps them at 24 days', () => {
    expect(check('{"watch": {"pollInterval": "0.4ms"}, "run": {"stopTimeout": "99999m"}}')).toEqual(
      [
        '1:28 CONFIG_INVALID watch.pollInterval: watch.pollInterval must be a duration of at least 1ms, e.g. "500ms", but got the string "0.4ms"',
        '1:61 CONFIG_INVALID run.stopTimeout: run.stopTimeout must be a duration of at most 24 days, e.g. "10s", but got the string "99999m"',
      ],
    );
  });

  it('reports an unknown signal with a suggestion', () => {
    const text = lines('{', '  "run": {', '    "stopSignal": "SIGTREM"', '  }', '}');
    expect(check(text)).toEqual([
      '3:19 CONFIG_INVALID run.stopSignal: run.stopSignal must be one of "SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", but got the string "SIGTREM" (did you mean "SIGTERM"?)',
    ]);
  });

  it.each([
    ['term', 'SIGTERM'],
    ['sigint', 'SIGINT'],
    ['HUP', 'SIGHUP'],
  ])('suggests the canonical signal name for %s', (given, suggested) => {
    const [issue] = check(`{"run": {"stopSignal": "${given}"}}`);
    expect(issue).toMatch(new RegExp(`\\(did you mean "${suggested}"\\?\\)$`));
  });

  it('reports bad patterns one by one, at each item', () => {
    const text = lines(
      '{',
      '  "watch": {',
      '    "patterns": ["**/*.go", "", "!", 7, "/go.mod"]',
      '  }',
      '}',
    );
    expect(check(text)).toEqual([
      '3:29 CONFIG_INVALID watch.patterns[1]: watch.patterns[1] "" is empty',
      '3:33 CONFIG_INVALID watch.patterns[2]: watch.patterns[2] "!" is "!" alone, which excludes nothing; write "!" and then a pattern',
      '3:38 CONFIG_INVALID watch.patterns[3]: watch.patterns[3] must be a glob string, but got the number 7',
      '3:41 CONFIG_INVALID watch.patterns[4]: watch.patterns[4] "/go.mod" starts with "/"; patterns are relative to the module root, drop the "/"',
    ]);
  });

  it('reports a pattern list that can include nothing', () => {
    expect(check('{"watch": {"patterns": ["!vendor/**"]}}')).toEqual([
      '1:24 CONFIG_INVALID watch.patterns: watch.patterns has only "!" excludes, so nothing would be watched (the list replaces the defaults; add includes such as "**/*.go")',
    ]);
  });

  it('checks poll, booleans, env maps, strings and sections', () => {
    const text = lines(
      '{',
      '  "main": "",',
      '  "build": { "buildvcs": "yes", "env": { "CGO_ENABLED": 0, "A=B": "x" }, "ldflags": null },',
      '  "run": [],',
      '  "watch": { "poll": "inotify" }',
      '}',
    );
    expect(check(text)).toEqual([
      '2:11 CONFIG_INVALID main: main must be a non-empty string, e.g. "./cmd/api", but got the string ""',
      '3:26 CONFIG_INVALID build.buildvcs: build.buildvcs must be true or false, but got the string "yes"',
      '3:57 CONFIG_INVALID build.env.CGO_ENABLED: build.env.CGO_ENABLED must be a string (quote numbers, e.g. "0"), but got the number 0',
      '3:60 CONFIG_INVALID build.env["A=B"]: build.env has an invalid variable name "A=B"; a name cannot be empty or contain "=" or a NUL character ("\\u0000")',
      '3:85 CONFIG_INVALID build.ldflags: build.ldflags must be a string, but got null',
      '4:10 CONFIG_INVALID run: run must be an object, but got an array',
      '5:22 CONFIG_INVALID watch.poll: watch.poll must be true, false, "auto", "native" or "poll", but got the string "inotify"',
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(check(lines('{', '  "main": "./a",', '  "main": "./b"', '}'))).toEqual([
      '3:3 CONFIG_INVALID main: duplicate key "main"; it is already set at line 2',
    ]);
  });

  it('rejects a file that is not an object', () => {
    expect(check('[1]')).toEqual([
      '1:1 CONFIG_INVALID the file: the file must be an object, but got an array',
    ]);
  });

  it('keeps a "__proto__" env name as data, not as a prototype', () => {
    const text = '{"run": {"env": {"__proto__": "x"}}}';
    const { file } = validateConfigTree(parseTree(text)!, text);
    expect(Object.getPrototypeOf(file.run?.env)).toBe(Object.prototype);
    expect(Object.hasOwn(file.run!.env!, '__proto__')).toBe(true);
  });

  it('collects every error, in file order, even across sections', () => {
    const text = lines(
      '{',
      '  "watch": { "poll": 1 },',
      '  "wach": 1,',
      '  "build": { "falgs": [] }',
      '}',
    );
    expect(check(text).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      '2:22 CONFIG_INVALID watch.poll:',
      '3:3 CONFIG_UNKNOWN_KEY wach:',
      '4:14 CONFIG_UNKNOWN_KEY build.falgs:',
    ]);
  });
});

describe('validateConfigTree: values that cannot reach a process', () => {
  // Regression: a NUL in an env value or argument passed validation; Node then refused to
  // spawn (or the kernel would have cut the string at the NUL).
  it('rejects NUL in env names and values, args, flags, tags, ldflags and main', () => {
    const text = lines(
      '{',
      '  "main": "./a\\u0000b",',
      '  "build": { "flags": ["-race", "-x\\u0000"], "tags": ["a\\u0000"], "ldflags": "\\u0000",',
      '    "env": { "A\\u0000B": "1", "OK": "x\\u0000y" } },',
      '  "run": { "args": ["--port", "80\\u000080"], "env": { "B": "\\u0000" } }',
      '}',
    );
    expect(check(text)).toEqual([
      '2:11 CONFIG_INVALID main: main must be a string without NUL characters ("\\u0000"), but got the string "./a\\u0000b"',
      '3:33 CONFIG_INVALID build.flags[1]: build.flags[1] must be a string without NUL characters ("\\u0000"), but got the string "-x\\u0000"',
      '3:55 CONFIG_INVALID build.tags[0]: build.tags[0] must be a string without NUL characters ("\\u0000"), but got the string "a\\u0000"',
      '3:78 CONFIG_INVALID build.ldflags: build.ldflags must be a string without NUL characters ("\\u0000"), but got the string "\\u0000"',
      '4:14 CONFIG_INVALID build.env["A\\u0000B"]: build.env has an invalid variable name "A\\u0000B"; a name cannot be empty or contain "=" or a NUL character ("\\u0000")',
      '4:37 CONFIG_INVALID build.env.OK: build.env.OK must be a string without NUL characters ("\\u0000"), but got the string "x\\u0000y"',
      '5:31 CONFIG_INVALID run.args[1]: run.args[1] must be a string without NUL characters ("\\u0000"), but got the string "80\\u000080"',
      '5:60 CONFIG_INVALID run.env.B: run.env.B must be a string without NUL characters ("\\u0000"), but got the string "\\u0000"',
    ]);
  });

  it('rejects an empty env name and one with "="', () => {
    expect(check('{"run": {"env": {"": "1", "A=B": "2", "=": "3"}}}')).toEqual([
      '1:18 CONFIG_INVALID run.env[""]: run.env has an invalid variable name ""; a name cannot be empty or contain "=" or a NUL character ("\\u0000")',
      '1:27 CONFIG_INVALID run.env["A=B"]: run.env has an invalid variable name "A=B"; a name cannot be empty or contain "=" or a NUL character ("\\u0000")',
      '1:39 CONFIG_INVALID run.env["="]: run.env has an invalid variable name "="; a name cannot be empty or contain "=" or a NUL character ("\\u0000")',
    ]);
  });

  // Regression: build.flags could set -o, -ldflags ... and silently override gohot's own.
  it('rejects build flags gohot sets itself, saying which key to use', () => {
    const text = lines(
      '{',
      '  "build": {',
      '    "flags": ["-race", "-o=bin/app", "-ldflags=-X main.v=1", "--tags", "dev",',
      '      "-buildvcs=true", "-json", "-n", "-C", "..", "-trimpath"]',
      '  }',
      '}',
    );
    const issues = validateConfigTree(parseTree(text)!, text).issues;
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '3:24 build.flags[1]: build.flags[1] "-o=bin/app" sets -o: gohot sets -o itself (it picks where the binary goes and runs it from there); remove it',
      '3:38 build.flags[2]: build.flags[2] "-ldflags=-X main.v=1" sets -ldflags: gohot passes its own -ldflags; use the "build.ldflags" key instead',
      '3:62 build.flags[3]: build.flags[3] "--tags" sets -tags: gohot passes its own -tags; use the "build.tags" key instead',
      '4:7 build.flags[5]: build.flags[5] "-buildvcs=true" sets -buildvcs: gohot passes its own -buildvcs; use the "build.buildvcs" key instead',
      '4:25 build.flags[6]: build.flags[6] "-json" sets -json: gohot decides on -json itself (it reads the build errors from it); remove it',
      '4:34 build.flags[7]: build.flags[7] "-n" sets -n: go build -n only prints the commands and builds no binary to run; remove it',
      '4:40 build.flags[8]: build.flags[8] "-C" sets -C: gohot runs go build in the module root itself; remove it, and start gohot with -C <dir> to run it elsewhere',
    ]);
    expect(validateConfigTree(parseTree(text)!, text).file.build?.flags).toEqual([
      '-race',
      'dev',
      '..',
      '-trimpath',
    ]);
  });
});

describe('validateConfigTree: user text in messages is escaped', () => {
  // Regression: a key holding ESC or a newline was printed raw, so a gohot.json could
  // drive the terminal (clear it, retitle it, fake output).
  it.each([
    [
      '{"\\u001b[2J": 1}',
      '1:2 CONFIG_UNKNOWN_KEY ["\\u001b[2J"]: unknown key "\\u001b[2J" in the top level',
    ],
    ['{"a\\nb": 1}', '1:2 CONFIG_UNKNOWN_KEY ["a\\nb"]: unknown key "a\\nb" in the top level'],
    [
      '{"build": {"\\u009b31m": 1}}',
      '1:12 CONFIG_UNKNOWN_KEY build["\\u009b31m"]: unknown key "\\u009b31m" in "build"',
    ],
    [
      '{"\\u202e": 1, "\\u202e": 2}',
      '1:15 CONFIG_INVALID ["\\u202e"]: duplicate key "\\u202e"; it is already set at line 1',
    ],
    [
      '{"run": {"env": {"\\u001b]0;x\\u0007": 1}}}',
      '1:38 CONFIG_INVALID run.env["\\u001b]0;x\\u0007"]: run.env["\\u001b]0;x\\u0007"] must be a string',
    ],
    [
      '{"run": {"env": {"\\u001b": "1", "\\u001b": "2"}}}',
      '1:33 CONFIG_INVALID run.env["\\u001b"]: duplicate variable "\\u001b"',
    ],
    [
      '{"run": {"stopSignal": "\\u009b2J"}}',
      '1:24 CONFIG_INVALID run.stopSignal: run.stopSignal must be one of',
    ],
    [
      '{"watch": {"patterns": ["/\\u001b[2J"]}}',
      '1:25 CONFIG_INVALID watch.patterns[0]: watch.patterns[0] "/\\u001b[2J" starts with "/"',
    ],
  ])('%s', (text, start) => {
    const issues = check(text);
    expect(
      issues.some((i) => i.startsWith(start)),
      issues.join('\n'),
    ).toBe(true);
    for (const issue of issues) expect(hasControlCharacter(issue)).toBe(false);
  });

  it('quotes a received string value and cuts it when long', () => {
    expect(check('{"run": {"stopSignal": "\\u009b2J"}}')[0]).toMatch(
      /but got the string "\\u009b2J"$/,
    );
    const long = 'x'.repeat(200);
    expect(check(`{"main": 1, "run": {"stopTimeout": "${long}"}}`)[1]).toMatch(
      new RegExp(`but got the string "${'x'.repeat(35)}\\.\\.\\."$`),
    );
  });
});

describe('validateConfigTree: large files', () => {
  it('locates every one of 20,000 problems and lists only the first ones', () => {
    const n = 20_000;
    const text = `{\n${Array.from({ length: n }, (_, i) => `  "key${i}": ${i}`).join(',\n')}\n}`;
    const { issues } = validateConfigTree(parseTree(text)!, text);
    expect(issues).toHaveLength(n);
    expect(issues.every((issue, i) => issue.line === i + 2 && issue.column === 3)).toBe(true);
    const message = configIssuesError('gohot.json', issues).message.split('\n');
    expect(message[0]).toBe(`gohot.json has ${n} problems; the first ${MAX_LISTED_ISSUES}:`);
    expect(message[MAX_LISTED_ISSUES]).toMatch(/^ {2}gohot\.json:21:3: unknown key "key19"/);
    expect(message.slice(MAX_LISTED_ISSUES + 1)).toEqual([
      `  ... and ${n - MAX_LISTED_ISSUES} more.`,
    ]);
  });

  it('suggests nothing for a very long unknown key, without comparing it letter by letter', () => {
    expect(didYouMean('w'.repeat(100_000), ['watch', 'main'])).toBeUndefined();
    expect(didYouMean('wach', ['watch', 'main'])).toBe('watch');
    expect(didYouMean('watchx', ['watch'])).toBe('watch');
    expect(didYouMean('watchxyz', ['watch'])).toBeUndefined();
  });
});

describe('validatePatternsTree', () => {
  it('applies the watch.patterns rules under another key path', () => {
    const text = '["**/*.go", "!"]';
    const { patterns, issues } = validatePatternsTree(parseTree(text)!, text, 'go.watch.patterns');
    expect(patterns).toEqual(['**/*.go']);
    expect(issues.map((i) => formatConfigIssue('codebuddy.json', i))).toEqual([
      'codebuddy.json:1:13: go.watch.patterns[1] "!" is "!" alone, which excludes nothing; write "!" and then a pattern',
    ]);
  });
});

describe('configIssuesError', () => {
  const unknown = {
    code: 'CONFIG_UNKNOWN_KEY',
    path: 'x',
    line: 1,
    column: 2,
    message: 'unknown key "x"',
  } as const;
  const invalid = {
    code: 'CONFIG_INVALID',
    path: 'main',
    line: 3,
    column: 4,
    message: 'main must be a string',
  } as const;

  it('uses one line for one issue and CONFIG_UNKNOWN_KEY when all are unknown keys', () => {
    const err = configIssuesError('gohot.json', [unknown]);
    expect(err.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(err.message).toBe('gohot.json:1:2: unknown key "x".');
    expect(err.hint).toMatch(/schema\/gohot\.schema\.json/);
  });

  it('lists all issues and uses CONFIG_INVALID when any value is bad', () => {
    const err = configIssuesError('gohot.json', [unknown, invalid]);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(
      'gohot.json has 2 problems:\n  gohot.json:1:2: unknown key "x".\n  gohot.json:3:4: main must be a string.',
    );
  });
});

describe('acceptedKeyPaths', () => {
  it('lists sections and their keys', () => {
    expect(acceptedKeyPaths()).toContain('build.flags');
    expect(acceptedKeyPaths()).toContain('watch');
    expect(acceptedKeyPaths()).not.toContain('flags');
  });
});

describe('helpers', () => {
  it.each([
    ['flags', 'falgs', 1],
    ['watch', 'wach', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('editDistance agrees with the full optimal-string-alignment table', () => {
    const reference = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const cost = a[i - 1] === b[j - 1] ? 0 : 1;
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
          }
        }
      }
      return d[a.length]![b.length]!;
    };
    const word = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 7 }).map((c) => c.join(''));
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('didYouMean prefers a case-insensitive match and refuses far guesses', () => {
    expect(didYouMean('Watch', ['watch', 'main'])).toBe('watch');
    expect(didYouMean('biuld', ['build', 'run'])).toBe('build');
    expect(didYouMean('xyz', ['build', 'run'])).toBeUndefined();
  });

  it('offsetToPosition counts 1-based lines and columns, with \\n and \\r\\n', () => {
    expect(offsetToPosition('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(offsetToPosition('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(offsetToPosition('ab\r\ncd', 4)).toEqual({ line: 2, column: 1 });
    expect(offsetToPosition('a\rb', 2)).toEqual({ line: 2, column: 1 });
  });
});

describe('run.ready', () => {
  const issues = (text: string) =>
    validateConfigTree(parseTree(text)!, text).issues.map((i) => i.message);
  it.each([
    ['{"run":{"ready":{"http":"http://127.0.0.1:8080/healthz","timeout":"5s"}}}', []],
    ['{"run":{"ready":{"tcp":":8080"}}}', []],
    ['{"run":{"ready":{"log":"listening on \\\\S+"}}}', []],
    [
      '{"run":{"ready":{}}}',
      ['run.ready must set exactly one of "http", "tcp", "log", but got none'],
    ],
    [
      '{"run":{"ready":{"http":"http://x/","log":"up"}}}',
      ['run.ready must set exactly one of "http", "tcp", "log", but got "http" and "log"'],
    ],
    [
      '{"run":{"ready":{"http":"ftp://x/"}}}',
      [
        'run.ready.http must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/healthz", but got the string "ftp://x/"',
      ],
    ],
    [
      '{"run":{"ready":{"tcp":"8080"}}}',
      [
        'run.ready.tcp must be a host and a port from 1 to 65535, e.g. "127.0.0.1:8080" or ":8080", but got the string "8080"',
      ],
    ],
    [
      '{"run":{"ready":{"log":"("}}}',
      [expect.stringMatching(/^run\.ready\.log must be a valid regular expression \(/)],
    ],
    [
      '{"run":{"ready":{"log":"up","timeout":"0"}}}',
      [
        'run.ready.timeout must be a duration of at least 1ms, e.g. "500ms", but got the string "0"',
      ],
    ],
  ])('%s', (text, expected) => {
    expect(issues(text)).toEqual(expected);
  });
});
