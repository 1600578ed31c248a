import { errnoCode, GohotError } from '../errors.js';
import {
  type InotifyLimits,
  readFileMax,
  readInotifyLimits,
  readInotifyUsage,
  readOpenFilesLimit,
} from './inotify-linux.js';

/** Where describeWatchLimitError reads the machine's limits; replaceable in tests. */
export interface LimitProbe {
  readonly inotifyLimits: () => InotifyLimits;
  /** Descriptors this process holds now. */
  readonly openFds: () => number;
  /** Soft `ulimit -n` of this process, or undefined. */
  readonly openFilesLimit: () => number | undefined;
  /** fs.file-max, or undefined. */
  readonly fileMax: () => number | undefined;
}

/** Reads the real limits from /proc. */
export const procLimitProbe: LimitProbe = {
  inotifyLimits: readInotifyLimits,
  openFds: () => readInotifyUsage().fds,
  openFilesLimit: () => readOpenFilesLimit(),
  fileMax: readFileMax,
};

/** The value we suggest for fs.inotify.max_user_watches (what most distributions' IDE guides use). */
export const SUGGESTED_MAX_USER_WATCHES = 524_288;
/** The value we suggest for fs.inotify.max_user_instances. */
export const SUGGESTED_MAX_USER_INSTANCES = 1024;

// libuv reports failures of inotify_init1 and inotify_add_watch with syscall "watch".
const WATCH_SYSCALLS = new Set(['watch', 'inotify_init', 'inotify_init1', 'inotify_add_watch']);

function isFromWatching(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { syscall, message } = err as { syscall?: unknown; message?: unknown };
  if (typeof syscall === 'string') return WATCH_SYSCALLS.has(syscall);
  return typeof message === 'string' && /\bwatch/i.test(message);
}

function sysctlValue(name: string, value: number | undefined): string {
  return value === undefined ? `${name} could not be read` : `${name}=${value}`;
}

function raiseSysctl(name: string, value: number): string {
  return (
    `raise it with \`sudo sysctl ${name}=${value}\` and keep it across reboots with ` +
    `\`echo ${name}=${value} | sudo tee /etc/sysctl.d/60-gohot-inotify.conf\``
  );
}

// Closer to the soft limit than this (a share of it) means the process itself ran out.
const FD_EXHAUSTED_SHARE = 0.9;

/**
 * Turns an error from adding a watch into a GohotError that names the limit and the fix, or
 * returns undefined when the error is not about a limit:
 * - ENOSPC from a watch call: `INOTIFY_WATCH_LIMIT` (fs.inotify.max_user_watches);
 *   ENOSPC from anything else is a full disk and not ours.
 * - EMFILE from a watch call while this process has descriptors to spare: inotify_init hit
 *   `INOTIFY_INSTANCE_LIMIT` (fs.inotify.max_user_instances). The kernel returns EMFILE for both
 *   this and a full descriptor table, so the process's headroom under `ulimit -n` decides.
 * - EMFILE otherwise, or ENFILE: `FD_LIMIT` (`ulimit -n`, fs.file-max).
 * `dir` is the directory being watched; it is named in the message.
 */
export function describeWatchLimitError(
  err: unknown,
  dir: string,
  probe: LimitProbe = procLimitProbe,
): GohotError | undefined {
  const code = errnoCode(err);
  const options = { cause: err };
  const poll = 'or run with --poll (no inotify needed)';

  if (code === 'ENOSPC' && isFromWatching(err)) {
    const max = probe.inotifyLimits().maxUserWatches;
    return new GohotError(
      'INOTIFY_WATCH_LIMIT',
      `Cannot watch ${dir}: the inotify watch limit is reached ` +
        `(${sysctlValue('fs.inotify.max_user_watches', max)}); every watched directory of every ` +
        `program of this user counts against it.`,
      `Ignore large directories you do not need, ` +
        `${raiseSysctl('fs.inotify.max_user_watches', SUGGESTED_MAX_USER_WATCHES)}, ${poll}.`,
      options,
    );
  }

  if (code === 'EMFILE' && isFromWatching(err)) {
    const limit = probe.openFilesLimit();
    const open = probe.openFds();
    if (limit === undefined || open < limit * FD_EXHAUSTED_SHARE) {
      const max = probe.inotifyLimits().maxUserInstances;
      return new GohotError(
        'INOTIFY_INSTANCE_LIMIT',
        `Cannot watch ${dir}: the inotify instance limit is reached ` +
          `(${sysctlValue('fs.inotify.max_user_instances', max)}); other programs of this user ` +
          `(editors, language servers, other watchers) hold all of them.`,
        `Stop watchers you do not need, ` +
          `${raiseSysctl('fs.inotify.max_user_instances', SUGGESTED_MAX_USER_INSTANCES)}, ${poll}.`,
        options,
      );
    }
  }

  if (code === 'EMFILE') {
    const limit = probe.openFilesLimit();
    return new GohotError(
      'FD_LIMIT',
      `Cannot watch ${dir}: this process ran out of file descriptors ` +
        `(ulimit -n is ${limit ?? 'unknown'}, ${probe.openFds()} open).`,
      'Raise the limit in the shell that starts gohot (`ulimit -n 65536`, or `LimitNOFILE=` ' +
        `for a systemd service), ignore large directories you do not need, ${poll}.`,
      options,
    );
  }

  if (code === 'ENFILE') {
    const fileMax = probe.fileMax();
    return new GohotError(
      'FD_LIMIT',
      `Cannot watch ${dir}: the system ran out of file descriptors ` +
        `(${sysctlValue('fs.file-max', fileMax)}; ulimit -n is ${probe.openFilesLimit() ?? 'unknown'}).`,
      'Close programs that hold many files, raise `sudo sysctl fs.file-max=...` and ' +
        `\`ulimit -n\`, ${poll}.`,
      options,
    );
  }

  return undefined;
}
