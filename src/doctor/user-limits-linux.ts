import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readInotifyUsage } from '../watch/inotify-linux.js';

/** The soft and hard `Max open files` of a /proc/<pid>/limits text; undefined when absent. */
export function parseOpenFilesLimits(
  text: string,
): { readonly soft: number; readonly hard: number | undefined } | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  if (m === null || m[1] === 'unlimited') return undefined;
  return { soft: Number(m[1]), hard: m[2] === 'unlimited' ? undefined : Number(m[2]) };
}

/** `ulimit -n` (soft) and its hard limit for this process, from /proc/self/limits. */
export function readOpenFilesLimits(): ReturnType<typeof parseOpenFilesLimits> {
  try {
    return parseOpenFilesLimits(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * inotify instances and watches held by every process of user `uid` (the limits are per
 * user), summed over /proc/<pid>/fdinfo. Processes that end while counting are skipped;
 * undefined when /proc cannot be listed.
 */
export function readUserInotifyUse(
  uid: number,
): { readonly watches: number; readonly instances: number } | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined;
  }
  let watches = 0;
  let instances = 0;
  for (const pid of pids) {
    try {
      if (statSync(`/proc/${pid}`).uid !== uid) continue;
    } catch {
      continue;
    }
    const use = readInotifyUsage(Number(pid));
    watches += use.inotifyWatches;
    instances += use.inotifyFds;
  }
  return { watches, instances };
}
