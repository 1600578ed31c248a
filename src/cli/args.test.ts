import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.js';
import { GohotError } from '../errors.js';
import { backendFromEnv, type CliCommand, parseCli } from './args.js';
import {
  AVAILABLE_COMMANDS,
  COMMAND_NAMES,
  FLAGS,
  flagSynopsis,
  isPathArgument,
  PLANNED_COMMANDS,
  USAGE,
} from './grammar.js';

const run = (overrides: object = {}, extra: object = {}): CliCommand => ({
  kind: 'run',
  dir: undefined,
  verbose: false,
  color: undefined,
  overrides,
  reporter: 'terminal',
  trace: undefined,
  ...extra,
});

function errorOf(argv: readonly string[]): GohotError {
  let caught: unknown;
  try {
    parseCli(argv);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GohotError);
  return caught as GohotError;
}

describe('parseCli: what each command line means', () => {
  it.each<[string, string[], CliCommand]>([
    ['nothing: run with no overrides', [], run()],
    ['run alone', ['run'], run()],
    ['"." is a path', ['.'], run({ main: '.' })],
    ['".." is a path', ['..'], run({ main: '..' })],
    ['--reporter json', ['--reporter', 'json'], run({}, { reporter: 'json' })],
    [
      '--trace alone writes NDJSON',
      ['--trace', '/t/x.ndjson'],
      run({}, { trace: { file: '/t/x.ndjson', format: 'ndjson' } }),
    ],
    [
      '--trace with --trace-format chrome',
      ['--trace=/t/x.json', '--trace-format', 'chrome'],
      run({}, { trace: { file: '/t/x.json', format: 'chrome' } }),
    ],
    ['a ./ path implies run', ['./cmd/api'], run({ main: './cmd/api' })],
    ['a ../ path implies run', ['../api'], run({ main: '../api' })],
    ['an absolute path implies run', ['/srv/app'], run({ main: '/srv/app' })],
    ['run ./api', ['run', './api'], run({ main: './api' })],
    // After run every word is a package, as for `go run`: the resolver takes it as an
    // import path, else as a directory relative to the current directory.
    ['run with a bare word', ['run', 'api'], run({ main: 'api' })],
    [
      'run with an import path',
      ['run', 'example.com/app/cmd/api'],
      run({ main: 'example.com/app/cmd/api' }),
    ],
    ['a directory named like a planned command', ['./test'], run({ main: './test' })],
    ['run test: the package test', ['run', 'test'], run({ main: 'test' })],
    ['run run: the package run', ['run', 'run'], run({ main: 'run' })],
    ['run help: the package help', ['run', 'help'], run({ main: 'help' })],
    [
      'flags before the package',
      ['-v', '--poll', './api'],
      run({ main: './api', backend: 'poll', backendSource: '--poll' }, { verbose: true }),
    ],
    [
      'flags after the package',
      ['./api', '-v', '--poll'],
      run({ main: './api', backend: 'poll', backendSource: '--poll' }, { verbose: true }),
    ],
    [
      'flags before run',
      ['--native', 'run', './api'],
      run({ main: './api', backend: 'native', backendSource: '--native' }),
    ],
    [
      'a flag value that is a command word is a value',
      ['--tags', 'test', 'run'],
      run({ tags: ['test'] }),
    ],
    ['-C takes a value that looks like a command', ['-C', 'init'], run({}, { dir: 'init' })],
    [
      'app args after --',
      ['./api', '--', '--port', '9000'],
      run({ main: './api', args: ['--port', '9000'] }),
    ],
    [
      'command words after -- belong to the app',
      ['--', 'test', 'help', '-v'],
      run({ args: ['test', 'help', '-v'] }),
    ],
    ['an empty -- gives the app no arguments', ['run', '--'], run({ args: [] })],
    ['--no-color', ['--no-color'], run({}, { color: false })],
    ['help', ['help'], { kind: 'help' }],
    ['help run', ['help', 'run'], { kind: 'help' }],
    ['help for a planned command', ['help', 'test'], { kind: 'help' }],
    ['--help', ['--help'], { kind: 'help' }],
    ['-h after a package', ['./api', '-h'], { kind: 'help' }],
    ['--help wins over a planned command', ['test', '--help'], { kind: 'help' }],
    ['--help wins over a bad flag', ['--frobnicate', '--help'], { kind: 'help' }],
    ['version', ['version'], { kind: 'version' }],
    ['--version', ['--version'], { kind: 'version' }],
  ])('%s: %j', (_name, argv, expected) => {
    expect(parseCli(argv)).toEqual(expected);
  });

  it('run with a package, every flag and app args after --', () => {
    const c = parseCli([
      'run',
      './cmd/api',
      '--tags',
      'dev, sqlite',
      '--build-flag=-race',
      '--build-flag=-trimpath',
      '--debug',
      '--quiet-window',
      '0',
      '--poll-interval',
      '1s',
      '--stop-signal',
      'int',
      '--stop-timeout',
      '1.5s',
      '-C',
      'sub',
      '-v',
      '--',
      '--port',
      '9000',
      '--verbose',
    ]);
    expect(c).toEqual(
      run(
        {
          main: './cmd/api',
          args: ['--port', '9000', '--verbose'],
          tags: ['dev', 'sqlite'],
          buildFlags: ['-race', '-trimpath'],
          debug: true,
          quietWindowMs: 0,
          pollIntervalMs: 1000,
          stopSignal: 'SIGINT',
          stopTimeoutMs: 1500,
        },
        { dir: 'sub', verbose: true },
      ),
    );
  });

  it.each([
    [
      ['--ready-url', 'http://127.0.0.1:8080/healthz'],
      { kind: 'http', value: 'http://127.0.0.1:8080/healthz' },
    ],
    [['--ready-tcp', ':8080'], { kind: 'tcp', value: ':8080' }],
    [['--ready-log', 'listening on'], { kind: 'log', value: 'listening on' }],
  ])('%j sets the readiness check', (argv, ready) => {
    const c = parseCli([...argv, '--ready-timeout', '2s']);
    expect(c.kind === 'run' && c.overrides.ready).toEqual(ready);
    expect(c.kind === 'run' && c.overrides.readyTimeoutMs).toBe(2000);
  });

  it('GOHOT_POLL=1 forces polling, and a flag beats the environment', () => {
    const env = parseCli([], { GOHOT_POLL: '1' });
    expect(env.kind === 'run' && env.overrides.backend).toBe('poll');
    expect(env.kind === 'run' && env.overrides.backendSource).toBe('GOHOT_POLL=1');
    const flag = parseCli(['--native'], { GOHOT_POLL: '1' });
    expect(flag.kind === 'run' && flag.overrides.backend).toBe('native');
  });
});

describe('parseCli: every reserved word', () => {
  it.each(PLANNED_COMMANDS)('%s is a planned command, not a package', (word) => {
    const err = errorOf([word]);
    expect(err.code).toBe('CLI_PLANNED_COMMAND');
    expect(err.message).toContain(`gohot ${word}\` is a planned command`);
    expect(err.hint).toContain(`gohot ./${word}`);
    expect(err.hint).toContain(`gohot run ${word}`);
  });

  it.each(PLANNED_COMMANDS)('%s is named as planned even with flags this version lacks', (word) => {
    expect(errorOf([word, '-run', 'TestX', './...']).code).toBe('CLI_PLANNED_COMMAND');
    expect(errorOf(['-v', word]).code).toBe('CLI_PLANNED_COMMAND');
  });

  it.each(AVAILABLE_COMMANDS)('%s is a command of this version', (word) => {
    const args = word === 'explain' ? [word, 'main.go'] : [word];
    expect(parseCli(args).kind).toBe(word);
  });

  it('explain takes paths (after -- too), --json and the flags that change what go list sees', () => {
    expect(
      parseCli(['explain', 'a.go', '--json', '--tags', 'dev', '-C', 'x', '--', '-odd.go']),
    ).toEqual({
      kind: 'explain',
      dir: 'x',
      paths: ['a.go', '-odd.go'],
      json: true,
      test: false,
      overrides: { tags: ['dev'] },
    });
    expect(errorOf(['explain']).code).toBe('CLI_USAGE');
    expect(errorOf(['--json']).code).toBe('CLI_USAGE');
    const test = parseCli(['explain', '--test', 'a.go']);
    expect(test.kind === 'explain' && test.test).toBe(true);
    expect(errorOf(['--test']).code).toBe('CLI_USAGE');
  });

  it('inspect takes a package, --json or --format, -C and the flags that change what it computes', () => {
    expect(parseCli(['inspect', '--json', '--poll', '-C', 'x'])).toEqual({
      kind: 'inspect',
      dir: 'x',
      format: 'json',
      overrides: { backend: 'poll', backendSource: '--poll' },
    });
    const text = parseCli(['inspect']);
    expect(text.kind === 'inspect' && text.format).toBe('text');
    const dot = parseCli(['inspect', '--format', 'dot']);
    expect(dot.kind === 'inspect' && dot.format).toBe('dot');
    expect(errorOf(['inspect', '--format', 'svg']).message).toMatch(/--format must be one of/);
    expect(errorOf(['inspect', '--json', '--format', 'mermaid']).message).toMatch(/contradict/);
    const pkg = parseCli(['inspect', './cmd/api']);
    expect(pkg.kind === 'inspect' && pkg.overrides.main).toBe('./cmd/api');
    expect(errorOf(['inspect', './a', './b']).message).toMatch(/at most one package/);
    expect(errorOf(['inspect', '--', 'x']).message).toMatch(/passes nothing to the app/);
    expect(errorOf(['--format', 'dot']).message).toMatch(/--format belongs to `gohot inspect`/);
    expect(errorOf(['explain', 'a.go', '--format', 'dot']).code).toBe('CLI_USAGE');
  });

  it('doctor takes --json, -C and the flags that change what it checks, and no arguments', () => {
    expect(parseCli(['doctor', '--json', '-C', 'x', '--poll'])).toEqual({
      kind: 'doctor',
      dir: 'x',
      json: true,
      overrides: { backend: 'poll', backendSource: '--poll' },
    });
    expect(parseCli(['doctor']).kind).toBe('doctor');
    expect(errorOf(['doctor', './api']).message).toMatch(/takes no arguments.*-C <dir>/);
    expect(errorOf(['doctor', '--json', '-v']).code).toBe('CLI_USAGE');
  });

  it('init takes --from-air with an optional path, --dry-run, --force and -C', () => {
    const init = { kind: 'init', dir: undefined, fromAir: undefined, dryRun: false, force: false };
    expect(parseCli(['init'])).toEqual(init);
    expect(parseCli(['init', '--from-air'])).toEqual({ ...init, fromAir: true });
    expect(parseCli(['init', '--from-air', 'conf/.air.toml', '--dry-run', '-C', 'x'])).toEqual({
      ...init,
      fromAir: 'conf/.air.toml',
      dryRun: true,
      dir: 'x',
    });
    expect(parseCli(['--force', 'init'])).toEqual({ ...init, force: true });
    expect(errorOf(['init', '.air.toml']).message).toMatch(/takes a path only after --from-air/);
    expect(errorOf(['init', '--from-air', 'a', 'b']).code).toBe('CLI_USAGE');
    expect(errorOf(['init', '--poll']).message).toMatch(/does not take --poll/);
    // The init flags mean nothing to run: a typo of the command must not start a session.
    expect(errorOf(['--from-air']).message).toMatch(/--from-air belongs to `gohot init`/);
  });

  it('the reserved words are exactly the ones the grammar promises', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(
      ['doctor', 'explain', 'help', 'init', 'inspect', 'run', 'test', 'version'].sort(),
    );
  });
});

describe('parseCli: test', () => {
  it.each<[string, string[], { patterns: string[]; goTestFlags: string[] }]>([
    ['no packages: the module', ['test'], { patterns: [], goTestFlags: [] }],
    ['packages', ['test', './a/...', './b'], { patterns: ['./a/...', './b'], goTestFlags: [] }],
    [
      'go test flags after --',
      ['test', './...', '-v', '--', '-race', '-count=1'],
      { patterns: ['./...'], goTestFlags: ['-race', '-count=1'] },
    ],
  ])('%s', (_, argv, want) => {
    const c = parseCli(argv);
    expect(c.kind === 'test' && { patterns: c.patterns, goTestFlags: c.goTestFlags }).toEqual(want);
  });

  it('takes the build flags of run', () => {
    const c = parseCli(['test', '--tags', 'integration']);
    expect(c.kind === 'test' && c.overrides.tags).toEqual(['integration']);
  });

  it('takes --reporter and --trace (ndjson) as run does', () => {
    const c = parseCli(['test', '--reporter', 'json', '--trace', 't.ndjson']);
    expect(c.kind === 'test' && { reporter: c.reporter, trace: c.trace }).toEqual({
      reporter: 'json',
      trace: { file: 't.ndjson', format: 'ndjson' },
    });
    const plain = parseCli(['test']);
    expect(plain.kind === 'test' && plain.reporter).toBe('terminal');
  });

  it('rejects a Chrome trace: a test session has no builds and restarts to draw', () => {
    const err = errorOf(['test', '--trace', 't.json', '--trace-format', 'chrome']);
    expect(err.code).toBe('CLI_USAGE');
    expect(err.message).toMatch(/writes its --trace as ndjson/);
  });

  // Regression: the app's readiness, stop and proxy flags were accepted by `gohot test` and
  // ignored.
  it.each([
    [['test', '--proxy', '3000'], /--proxy belongs to `gohot run`/],
    [['test', '--ready-tcp', ':8080'], /--ready-tcp belongs to `gohot run`/],
    [['test', '--stop-signal', 'INT'], /--stop-signal belongs to `gohot run`/],
  ])('rejects the run-only flags of %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});

describe('parseCli: clear errors', () => {
  it.each<[string[], RegExp]>([
    [['--reporter', 'xml'], /--reporter must be terminal or json, but got "xml"/],
    [['--trace-format', 'chrome'], /--trace-format needs --trace <file>/],
    [['--trace', 't', '--trace-format', 'perfetto'], /--trace-format must be ndjson or chrome/],
    [['explain', 'a.go', '--trace', 't'], /belong to `gohot run`/],
  ])('%j: the streams flags are checked', (argv, message) => {
    const err = errorOf(argv);
    expect(err.code).toBe('CLI_USAGE');
    expect(err.message).toMatch(message);
  });

  it.each<[string[], ErrorCode, RegExp, RegExp]>([
    [
      ['api'],
      'CLI_UNKNOWN_COMMAND',
      /"api" is neither a gohot command nor a package path/,
      /`gohot \.\/api` \(or `gohot run api`\)/,
    ],
    [['cmd/api'], 'CLI_UNKNOWN_COMMAND', /"cmd\/api" is neither/, /`gohot \.\/cmd\/api`/],
    [['tset'], 'CLI_UNKNOWN_COMMAND', /Did you mean `gohot test`\?/, /`gohot \.\/tset`/],
    [
      ['rnu', './api'],
      'CLI_UNKNOWN_COMMAND',
      /Did you mean `gohot run`\?/,
      /Commands: run, help, version/,
    ],
    [
      ['example.com/app/cmd/api'],
      'CLI_UNKNOWN_COMMAND',
      /neither a gohot command/,
      /write `gohot run example\.com\/app\/cmd\/api`\./,
    ],
    [
      ['help', 'frobnicate'],
      'CLI_UNKNOWN_COMMAND',
      /"frobnicate" is not a gohot command\.$/,
      /Commands: run, help, version/,
    ],
    [
      ['help', 'run', 'x'],
      'CLI_USAGE',
      /`gohot help` takes at most one command name, but got "x"/,
      /--help/,
    ],
    [
      ['version', './api'],
      'CLI_USAGE',
      /`gohot version` takes no arguments, but got "\.\/api"/,
      /--help/,
    ],
    [['./a', './b'], 'CLI_USAGE', /at most one package.*after "--"/, /--help/],
    [['run', './a', 'b'], 'CLI_USAGE', /at most one package, but got "\.\/a", "b"/, /--help/],
    [
      ['--frobnicate'],
      'CLI_USAGE',
      /^Unknown option '--frobnicate'\. Flags for the app go after "--"\.$/,
      /--help/,
    ],
    [['--pol'], 'CLI_USAGE', /Unknown option '--pol'\. Did you mean --poll\?/, /--help/],
    [
      ['--quiet-window', '500'],
      'DURATION_INVALID',
      /--quiet-window must be a duration with a unit/,
      /./,
    ],
    [['--poll', '--native'], 'CLI_USAGE', /contradict/, /--help/],
    [['--stop-signal', 'SIGFOO'], 'CLI_USAGE', /--stop-signal must be one of/, /--help/],
    [
      ['--build-flag', '-race'],
      'CLI_USAGE',
      /ambiguous: write flags whose value starts with "-" as --flag=value/,
      /--help/,
    ],
    [['--poll-interval', '0'], 'DURATION_INVALID', /--poll-interval must be at least 1ms/, /./],
    [
      ['--ready-url', 'http://x/', '--ready-log', 'up'],
      'CLI_USAGE',
      /--ready-url and --ready-log contradict/,
      /--help/,
    ],
    [['--ready-tcp', '8080'], 'CLI_USAGE', /--ready-tcp must be a host and a port/, /--help/],
    [['--ready-log', '('], 'CLI_USAGE', /--ready-log must be a valid regular expression/, /--help/],
    [
      ['--ready-url', 'http://x/', '--ready-timeout', '0'],
      'DURATION_INVALID',
      /--ready-timeout must be at least 1ms/,
      /./,
    ],
    [
      ['--stop-timeout', '99999m'],
      'DURATION_INVALID',
      /--stop-timeout must be at most 24 days/,
      /./,
    ],
  ])('%j is %s', (argv, code, message, hint) => {
    const err = errorOf(argv);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(hint);
  });

  it('backendFromEnv rejects nonsense', () => {
    expect(backendFromEnv(undefined)).toBeUndefined();
    expect(backendFromEnv('off')).toBe('native');
    expect(() => backendFromEnv('sometimes')).toThrow(/GOHOT_POLL must be 1 or 0/);
  });
});

describe('the grammar and its help text agree', () => {
  it.each([
    ['.', true],
    ['..', true],
    ['./x', true],
    ['../x', true],
    ['/x', true],
    ['x', false],
    ['x/y', false],
    ['.x', false],
    ['..x', false],
    ['example.com/x', false],
  ])('isPathArgument(%j) is %s', (word, expected) => {
    expect(isPathArgument(word)).toBe(expected);
  });

  it.each(Object.keys(FLAGS) as Array<keyof typeof FLAGS>)('--%s is in the help', (flag) => {
    expect(USAGE).toContain(flagSynopsis(flag));
    expect(USAGE).toContain(FLAGS[flag].help);
  });

  it.each(COMMAND_NAMES)('the command %s is in the help', (word) => {
    expect(USAGE).toMatch(new RegExp(`\\b${word}\\b`));
  });

  it('every flag the help lists is one the parser accepts', () => {
    const listed = [...USAGE.matchAll(/^ {2}(?:-\w, | {4})--([\w-]+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(FLAGS));
  });
});
