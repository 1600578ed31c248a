// What /proc says about a process of the benchmark: memory, descriptors, inotify, CPU time.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Peak and current resident memory in MB (VmHWM, VmRSS), null when the process is gone. */
export function procStatus(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? Number.NaN);
    return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
  } catch {
    return { hwmMB: null, rssMB: null };
  }
}

/** Descriptors, inotify instances and watches (as src/watch/inotify-linux.ts counts them). */
export function inotifyUsage(pid) {
  let fds = 0;
  let watches = 0;
  let instances = 0;
  let entries = [];
  try {
    entries = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return { fds: null, inotifyFds: null, inotifyWatches: null };
  }
  for (const fd of entries) {
    fds++;
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    instances++;
    try {
      for (const l of readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n'))
        if (l.startsWith('inotify wd:')) watches++;
    } catch {}
  }
  return { fds, inotifyFds: instances, inotifyWatches: watches };
}

/** User + system CPU seconds of a process, NaN when it is gone. */
export function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}
