import { describe, expect, it } from 'vitest';
import { isGohotError } from '../errors.js';
import { backendFromEnv, parseCli } from './args.js';

describe('parseCli', () => {
  it('gohot with nothing runs with no overrides', () => {
    expect(parseCli([])).toEqual({
      kind: 'run',
      dir: undefined,
      verbose: false,
      color: undefined,
      overrides: {},
    });
  });

  it('run with a package, flags and app args after --', () => {
    const c = parseCli([
      'run',
      './cmd/api',
      '--tags',
      'dev, sqlite',
      '--build-flag=-race',
      '--quiet-window',
      '0',
      '--stop-signal',
      'int',
      '--stop-timeout',
      '1.5s',
      '-v',
      '--',
      '--port',
      '9000',
      '--verbose',
    ]);
    expect(c).toEqual({
      kind: 'run',
      dir: undefined,
      verbose: true,
      color: undefined,
      overrides: {
        main: './cmd/api',
        args: ['--port', '9000', '--verbose'],
        tags: ['dev', 'sqlite'],
        buildFlags: ['-race'],
        quietWindowMs: 0,
        stopSignal: 'SIGINT',
        stopTimeoutMs: 1500,
      },
    });
  });

  it.each([
    [['--poll'], 'poll'],
    [['--native'], 'native'],
  ])('%j selects the %s backend', (argv, backend) => {
    const c = parseCli(argv);
    expect(c.kind === 'run' && c.overrides.backend).toBe(backend);
  });

  it('GOHOT_POLL=1 forces polling, and a flag beats the environment', () => {
    const env = parseCli([], { GOHOT_POLL: '1' });
    expect(env.kind === 'run' && env.overrides.backend).toBe('poll');
    const flag = parseCli(['--native'], { GOHOT_POLL: '1' });
    expect(flag.kind === 'run' && flag.overrides.backend).toBe('native');
  });

  it.each([
    [['--quiet-window', '500'], /--quiet-window must be a duration with a unit/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['./a', './b'], /at most one package.*after "--"/],
    [['--poll', '--native'], /contradict/],
    [['--stop-signal', 'SIGFOO'], /--stop-signal must be one of/],
    [
      ['--build-flag', '-race'],
      /ambiguous: write flags whose value starts with "-" as --flag=value/,
    ],
    [['--poll-interval', '0'], /--poll-interval must be at least 1ms/],
    [['--stop-timeout', '99999m'], /--stop-timeout must be at most 24 days/],
  ])('%j is a clear usage error', (argv, message) => {
    let caught: unknown;
    try {
      parseCli(argv);
    } catch (err) {
      caught = err;
    }
    expect(isGohotError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('help and version', () => {
    expect(parseCli(['--help'])).toEqual({ kind: 'help' });
    expect(parseCli(['help'])).toEqual({ kind: 'help' });
    expect(parseCli(['--version'])).toEqual({ kind: 'version' });
  });

  it('backendFromEnv rejects nonsense', () => {
    expect(backendFromEnv(undefined)).toBeUndefined();
    expect(backendFromEnv('off')).toBe('native');
    expect(() => backendFromEnv('sometimes')).toThrow(/GOHOT_POLL must be 1 or 0/);
  });
});
