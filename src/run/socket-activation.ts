import { accessSync, constants } from 'node:fs';
import { errnoCode, GohotError } from '../errors.js';
import { type Command, type HeldSockets, RunErrorCode } from './types.js';

/**
 * The trampoline that sets LISTEN_PID: the protocol wants the pid of the process that gets
 * the sockets, which only exists after fork, and Node cannot set the environment between
 * fork and exec. `sh` knows its own pid ($$) and `exec` keeps it. The script is fixed; the
 * app and its arguments are positional parameters, never part of the script
 * (docs/facts.md#socket-activation).
 */
export const LISTEN_PID_TRAMPOLINE = 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"';

/** The shell that runs the trampoline: an absolute path, PATH is not searched. */
export const TRAMPOLINE_SHELL = '/bin/sh';

/** `$0` of the trampoline, which shows in `ps` for the moment before the exec. */
const TRAMPOLINE_NAME = 'gohot-listen';

/** A command that starts `cmd` with `sockets` as descriptors 3, 4, ... */
export interface ActivatedCommand {
  readonly command: Command;
  /** Descriptors of gohot to pass, in order, after stdin, stdout and stderr. */
  readonly extraFds: readonly number[];
}

/**
 * Wraps `cmd` for systemd socket activation (sd_listen_fds(3)): LISTEN_FDS and
 * LISTEN_FDNAMES in its environment, LISTEN_PID set by the trampoline, the sockets from
 * descriptor 3 on. Pure.
 */
export function activationCommand(
  cmd: Command,
  sockets: Pick<HeldSockets, 'fds' | 'names'>,
): ActivatedCommand {
  const env: NodeJS.ProcessEnv = { ...cmd.env };
  // A LISTEN_PID inherited from gohot's own environment would name the wrong process.
  delete env.LISTEN_PID;
  env.LISTEN_FDS = String(sockets.fds.length);
  env.LISTEN_FDNAMES = sockets.names.join(':');
  return {
    command: {
      command: TRAMPOLINE_SHELL,
      args: ['-c', LISTEN_PID_TRAMPOLINE, TRAMPOLINE_NAME, cmd.command, ...cmd.args],
      cwd: cmd.cwd,
      env,
    },
    extraFds: [...sockets.fds],
  };
}

/**
 * Throws RUN_LISTEN_FAILED, naming the shell, when `shell` cannot be run: without it no app
 * could start, and the spawn error would name the app binary instead.
 */
export function checkTrampolineShell(shell: string = TRAMPOLINE_SHELL): void {
  try {
    accessSync(shell, constants.X_OK);
  } catch (err) {
    const code = errnoCode(err) ?? String(err);
    throw new GohotError(
      RunErrorCode.listenFailed,
      `run.listen starts the app through ${shell} (to set LISTEN_PID), but ${shell} cannot be run (${code}).`,
      `Install a POSIX shell as ${shell} (images without a shell have none), or remove run.listen from gohot.json and let the app listen itself.`,
      { cause: err },
    );
  }
}
