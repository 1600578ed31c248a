import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The per-user inotify limits of this machine (`sysctl fs.inotify.*`); undefined where unreadable. */
export interface InotifyLimits {
  /** fs.inotify.max_user_watches: watches (one per directory) across all of the user's processes. */
  readonly maxUserWatches?: number;
  /** fs.inotify.max_user_instances: inotify file descriptors across all of the user's processes. */
  readonly maxUserInstances?: number;
  /** fs.inotify.max_queued_events: events queued per instance before IN_Q_OVERFLOW. */
  readonly maxQueuedEvents?: number;
}

/** What one process holds: open descriptors, inotify instances and their watches. */
export interface InotifyUsage {
  /** Open file descriptors of the process. */
  readonly fds: number;
  /** Descriptors that are inotify instances (libuv shares one per event loop). */
  readonly inotifyFds: number;
  /** Watches across those instances. */
  readonly inotifyWatches: number;
}

/** Reads one number from a /proc or /sys file; undefined when missing or not a number. */
export function readProcNumber(path: string): number | undefined {
  try {
    const value = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Reads fs.inotify.max_user_watches, max_user_instances and max_queued_events. */
export function readInotifyLimits(): InotifyLimits {
  return {
    maxUserWatches: readProcNumber('/proc/sys/fs/inotify/max_user_watches'),
    maxUserInstances: readProcNumber('/proc/sys/fs/inotify/max_user_instances'),
    maxQueuedEvents: readProcNumber('/proc/sys/fs/inotify/max_queued_events'),
  };
}

/**
 * The soft limit on open files of a process (`ulimit -n`), from /proc/<pid>/limits;
 * undefined when unreadable or unlimited.
 */
export function readOpenFilesLimit(pid: number | 'self' = 'self'): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const m = /^Max open files\s+(\d+)/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** fs.file-max: the system-wide limit on open files (ENFILE), or undefined. */
export function readFileMax(): number | undefined {
  return readProcNumber('/proc/sys/fs/file-max');
}

/**
 * Counts a process's open descriptors, its inotify instances (descriptors whose link reads
 * `anon_inode:inotify`) and their watches (`inotify wd:` lines in /proc/<pid>/fdinfo/<fd>).
 * Descriptors closed while counting are skipped. All zero when /proc is not readable.
 */
export function readInotifyUsage(pid: number | 'self' = 'self'): InotifyUsage {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return { fds: 0, inotifyFds: 0, inotifyWatches: 0 };
  }
  let fds = 0;
  let inotifyFds = 0;
  let inotifyWatches = 0;
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      // Closed since readdir, e.g. the descriptor readdirSync itself used for the listing.
      continue;
    }
    fds++;
    if (target !== 'anon_inode:inotify') continue;
    inotifyFds++;
    try {
      const info = readFileSync(`/proc/${pid}/fdinfo/${name}`, 'utf8');
      for (const line of info.split('\n')) if (line.startsWith('inotify wd:')) inotifyWatches++;
    } catch {
      // Closed in between: its watches are gone too.
    }
  }
  return { fds, inotifyFds, inotifyWatches };
}
