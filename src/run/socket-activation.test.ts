import { describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import {
  activationCommand,
  checkTrampolineShell,
  LISTEN_PID_TRAMPOLINE,
  TRAMPOLINE_SHELL,
} from './socket-activation.js';

describe('activationCommand', () => {
  const cmd = {
    command: '/state/app',
    args: ['--port', '$(touch /tmp/x)', '"quoted"'],
    cwd: '/project',
    env: { PATH: '/usr/bin', LISTEN_PID: '1', KEEP: 'yes' },
  };

  it('runs the app through the fixed trampoline, the app and its arguments as positional parameters', () => {
    const { command } = activationCommand(cmd, { fds: [21, 22], names: ['http', 'metrics'] });
    expect(command.command).toBe(TRAMPOLINE_SHELL);
    expect(command.args).toEqual([
      '-c',
      LISTEN_PID_TRAMPOLINE,
      'gohot-listen',
      '/state/app',
      '--port',
      '$(touch /tmp/x)',
      '"quoted"',
    ]);
    expect(command.cwd).toBe('/project');
  });

  it('sets LISTEN_FDS and LISTEN_FDNAMES, drops an inherited LISTEN_PID, keeps the rest', () => {
    const { command, extraFds } = activationCommand(cmd, {
      fds: [21, 22],
      names: ['http', 'metrics'],
    });
    expect(command.env).toEqual({
      PATH: '/usr/bin',
      KEEP: 'yes',
      LISTEN_FDS: '2',
      LISTEN_FDNAMES: 'http:metrics',
    });
    expect(extraFds).toEqual([21, 22]);
    // The caller's environment is not changed.
    expect(cmd.env.LISTEN_PID).toBe('1');
  });
});

describe('checkTrampolineShell', () => {
  it('accepts the system shell', () => {
    expect(() => checkTrampolineShell()).not.toThrow();
  });

  it('names the shell, not the app, when it does not exist', () => {
    let err: unknown;
    try {
      checkTrampolineShell('/nonexistent/sh');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GohotError);
    expect((err as GohotError).code).toBe('RUN_LISTEN_FAILED');
    expect((err as GohotError).message).toMatch(/through \/nonexistent\/sh .*\(ENOENT\)/);
    expect((err as GohotError).hint).toMatch(/remove run\.listen/);
  });
});
