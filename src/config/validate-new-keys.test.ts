import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import {
  goBuildFlags,
  joinQuotedFields,
  resolvePassthrough,
  splitQuotedFields,
} from './build-flags.js';
import { resolveConfig } from './resolve-config.js';
import type { ConfigFile } from './types.js';
import { validateConfigTree } from './validate.js';

/** Validates JSON text; returns `line:col code path: message` lines. */
function check(text: string): string[] {
  const root = parseTree(text);
  if (!root) throw new Error('test input must parse');
  return validateConfigTree(root, text).issues.map(
    (i) => `${i.line}:${i.column} ${i.code} ${i.path}: ${i.message}`,
  );
}

const valid = (value: unknown): ConfigFile => {
  const text = JSON.stringify(value);
  const root = parseTree(text)!;
  const { file, issues } = validateConfigTree(root, text);
  expect(issues).toEqual([]);
  return file;
};

describe('rules', () => {
  it('accepts a full rule list and resolves its defaults', () => {
    const file = valid({
      rules: [
        { name: 'templ', on: ['**/*.templ'], run: ['templ', 'generate'] },
        {
          name: 'sqlc',
          on: ['sql/**', '!sql/tmp/**'],
          run: ['sh', '-c', 'sqlc generate && echo done'],
          cwd: './db',
          env: { SQLC: '1' },
          timeout: '30s',
        },
      ],
    });
    const { rules } = resolveConfig(file, undefined, {});
    expect(rules.map((r) => [r.name, r.cwd, r.timeoutMs])).toEqual([
      ['templ', '', 120_000],
      ['sqlc', './db', 30_000],
    ]);
  });

  it.each([
    [
      '{"rules": {}}',
      '1:11 CONFIG_INVALID rules: rules must be an array of objects, but got an object',
    ],
    [
      '{"rules": ["x"]}',
      '1:12 CONFIG_INVALID rules[0]: rules[0] must be an object, but got the string "x"',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"]}]}',
      '1:12 CONFIG_INVALID rules[0]: rules[0] is missing "run"; each entry needs "name", "on", "run"',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": "templ generate"}]}',
      '1:48 CONFIG_INVALID rules[0].run: rules[0].run must be an array of strings, the program first, e.g. ["templ","generate"] (a shell command is ["sh", "-c", "..."]), but got the string "templ generate"',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": []}]}',
      '1:48 CONFIG_INVALID rules[0].run: rules[0].run must be an array of strings, the program first, e.g. ["templ","generate"] (a shell command is ["sh", "-c", "..."]), but got an array',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": [""]}]}',
      '1:49 CONFIG_INVALID rules[0].run[0]: rules[0].run[0] must be a non-empty program name, but got the string ""',
    ],
    [
      '{"rules": [{"name": "a", "on": ["!*.x"], "run": ["x"]}]}',
      '1:32 CONFIG_INVALID rules[0].on: rules[0].on has only "!" excludes, so nothing would be watched (the list replaces the defaults; add includes such as "**/*.go")',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": ["x"], "timeout": "5"}]}',
      '1:66 CONFIG_INVALID rules[0].timeout: rules[0].timeout must be a duration with a unit like "500ms", "3s" or "1m", but got the string "5"; add a unit, e.g. "5ms"',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": ["x"], "shell": true}]}',
      '1:55 CONFIG_UNKNOWN_KEY rules[0].shell: unknown key "shell" in "rules[0]"; expected one of name, on, run, cwd, env, timeout',
    ],
    [
      '{"rules": [{"name": "a", "on": ["*.x"], "run": ["x"]}, {"name": "a", "on": ["*.y"], "run": ["y"]}]}',
      '1:56 CONFIG_INVALID rules[1].name: rules[1].name "a" is already the name of rules[0]; names must be unique',
    ],
  ])('%s', (text, expected) => {
    expect(check(text)).toEqual([expected]);
  });
});

describe('build pass-through keys', () => {
  it('resolve to go build flags before build.flags, which win', () => {
    const file = valid({
      build: {
        toolexec: ['/opt/log', 'a b'],
        gcflags: 'all=-N -l',
        asmflags: '-I x',
        trimpath: true,
        race: true,
        cover: true,
        flags: ['-v'],
      },
    });
    const config = resolveConfig(file, undefined, { buildFlags: ['-race=false'] });
    expect(goBuildFlags(config.build)).toEqual([
      "-toolexec=/opt/log 'a b'",
      '-gcflags=all=-N -l',
      '-asmflags=-I x',
      '-trimpath',
      '-race',
      '-cover',
      '-race=false',
    ]);
    expect(goBuildFlags(resolveConfig(undefined, undefined, {}).build)).toEqual([]);
  });

  it.each([
    [
      '{"build": {"race": true, "flags": ["-race"]}}',
      '1:36 CONFIG_INVALID build.flags[0]: build.flags[0] "-race" sets -race, which "build.race" sets too; keep one of the two',
    ],
    [
      '{"build": {"gcflags": "-N", "flags": ["--gcflags=-l"]}}',
      '1:39 CONFIG_INVALID build.flags[0]: build.flags[0] "--gcflags=-l" sets -gcflags, which "build.gcflags" sets too; keep one of the two',
    ],
    [
      '{"build": {"race": "yes"}}',
      '1:20 CONFIG_INVALID build.race: build.race must be true or false, but got the string "yes"',
    ],
    [
      '{"build": {"toolexec": ""}}',
      '1:24 CONFIG_INVALID build.toolexec: build.toolexec must be a non-empty command, e.g. "/usr/bin/time -a", but got the string ""',
    ],
    [
      '{"build": {"toolexec": ["x", "it\'s \\"q\\""]}}',
      '1:24 CONFIG_INVALID build.toolexec: build.toolexec must be arguments go can pass to -toolexec (none with both \' and "), but got an array',
    ],
    [
      '{"build": {"envFile": 3}}',
      '1:23 CONFIG_INVALID build.envFile: build.envFile must be a path or an array of paths, e.g. ".env.build", but got the number 3',
    ],
    [
      '{"run": {"envFile": [""]}}',
      '1:21 CONFIG_INVALID run.envFile: run.envFile must be a path or an array of paths, e.g. ".env", none empty, but got an array',
    ],
  ])('%s', (text, expected) => {
    expect(check(text)).toEqual([expected]);
  });

  it('accepts a flag in build.flags whose key is not set', () => {
    valid({ build: { flags: ['-race', '-trimpath'] } });
  });

  it.each([
    ['/usr/bin/time -a', ['/usr/bin/time', '-a']],
    ['log \'a b\' "c d"  e', ['log', 'a b', 'c d', 'e']],
    ["x ''", ['x', '']],
    ['  ', []],
  ])('splits the toolexec command line %j as go does', (text, argv) => {
    expect(splitQuotedFields(text)).toEqual(argv);
    expect(resolvePassthrough({ toolexec: text }).toolexec).toEqual(argv);
  });

  it.each([
    [['a', 'b c'], "a 'b c'"],
    [['a', "it's here"], 'a "it\'s here"'],
    [['a', ''], "a ''"],
    [['a', 'q"'], "a 'q\"'"],
  ])('joins %j so that go splits it back', (argv, text) => {
    expect(joinQuotedFields(argv)).toBe(text);
    expect(splitQuotedFields(text)).toEqual(argv);
  });
});

describe('hooks', () => {
  it('take one command or a list of them', () => {
    const file = valid({
      hooks: { beforeBuild: ['go', 'generate'], beforeStart: [['a'], ['b', 'c']], afterBuild: [] },
    });
    expect(resolveConfig(file, undefined, {}).hooks).toEqual({
      beforeBuild: [['go', 'generate']],
      afterBuild: [],
      beforeStart: [['a'], ['b', 'c']],
      timeoutMs: 120_000,
    });
  });

  it.each([
    [
      '{"hooks": {"beforeStart": "migrate up"}}',
      /^1:27 CONFIG_INVALID hooks.beforeStart: hooks.beforeStart must be an array of strings, the program first/,
    ],
    [
      '{"hooks": {"afterBuild": [["a"], []]}}',
      /^1:34 CONFIG_INVALID hooks.afterBuild\[1\]: hooks.afterBuild\[1\] must be an array of strings/,
    ],
    [
      '{"hooks": {"timeout": "0"}}',
      /^1:23 CONFIG_INVALID hooks.timeout: hooks.timeout must be a duration of at least 1ms/,
    ],
    [
      '{"hooks": {"afterStart": []}}',
      /^1:12 CONFIG_UNKNOWN_KEY hooks.afterStart: unknown key "afterStart" in "hooks"/,
    ],
  ])('%s', (text, expected) => {
    const issues = check(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(expected);
  });
});
