import type { Command, HeldSockets } from './types.js';

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
