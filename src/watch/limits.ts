// MINIMAL placeholder written by the watcher-core engineer so native-tree.ts compiles; the
// engineer who owns this file replaces it (keep the signature of describeWatchLimitError).
import { errnoCode, GohotError } from '../errors.js';
import { readFileMax, readInotifyLimits } from './inotify-linux.js';

/**
 * A GohotError naming the limit and the sysctl to raise when `err` (thrown by fs.watch for
 * `dir`) is a watch or descriptor limit (ENOSPC, EMFILE, ENFILE); undefined otherwise.
 */
export function describeWatchLimitError(err: unknown, dir: string): GohotError | undefined {
  const code = errnoCode(err);
  if (code === 'ENOSPC') {
    const max = readInotifyLimits().maxUserWatches ?? 'unknown';
    return new GohotError(
      'WATCH_LIMIT',
      `inotify watch limit reached (fs.inotify.max_user_watches=${max}) while watching ${dir}.`,
      'Raise it with `sudo sysctl fs.inotify.max_user_watches=524288`, or run with --poll.',
      { cause: err },
    );
  }
  if (code === 'EMFILE') {
    const max = readInotifyLimits().maxUserInstances ?? 'unknown';
    return new GohotError(
      'WATCH_LIMIT',
      `too many inotify instances or open files (fs.inotify.max_user_instances=${max}) while watching ${dir}.`,
      'Raise it with `sudo sysctl fs.inotify.max_user_instances=1024` (or `ulimit -n`), or run with --poll.',
      { cause: err },
    );
  }
  if (code === 'ENFILE') {
    const max = readFileMax() ?? 'unknown';
    return new GohotError(
      'WATCH_LIMIT',
      `the system ran out of file handles (fs.file-max=${max}) while watching ${dir}.`,
      'Raise it with `sudo sysctl fs.file-max=2097152`, or run with --poll.',
      { cause: err },
    );
  }
  return undefined;
}
