import type { InotifyLimits } from '../watch/inotify-linux.js';
import type { BackendKind, BackendReason } from '../watch/types.js';
import type { DoctorCheck } from './types.js';

/** Facts of the inotify check. */
export interface InotifyFacts {
  readonly limits: InotifyLimits;
  /** Watches and instances every process of this user holds now; undefined when unreadable. */
  readonly inUse: { readonly watches: number; readonly instances: number } | undefined;
  /** Directories the natively watched roots hold, as gohot's own walk counts them. */
  readonly dirs: number;
}

/**
 * The watches gohot would add (one per directory of a native root) and the one instance it
 * opens (libuv shares one per process), against the per-user limits minus what other
 * programs hold. Short of either, gohot polls the directories it cannot watch: slower, so a
 * warning (docs/facts.md#inotify-limits). Pure.
 */
export function checkInotify(f: InotifyFacts): DoctorCheck {
  const { maxUserWatches, maxUserInstances } = f.limits;
  if (maxUserWatches === undefined && maxUserInstances === undefined) {
    return { id: 'inotify', status: 'ok', finding: { kind: 'inotify-unknown' } };
  }
  const watchesInUse = f.inUse?.watches ?? 0;
  const instancesInUse = f.inUse?.instances ?? 0;
  const needed = f.dirs > 0;
  const short =
    needed && maxUserInstances !== undefined && instancesInUse + 1 > maxUserInstances
      ? 'instances'
      : needed && maxUserWatches !== undefined && watchesInUse + f.dirs > maxUserWatches
        ? 'watches'
        : 'none';
  return {
    id: 'inotify',
    status: short === 'none' ? 'ok' : 'warn',
    finding: {
      kind: 'inotify',
      dirs: f.dirs,
      maxUserWatches,
      watchesInUse,
      maxUserInstances,
      instancesInUse,
      short,
    },
  };
}

/**
 * The backend a root's file system implies: inotify, or polling for network, VM-shared and
 * FUSE mounts whose edits from elsewhere produce no event (slower: a warning). A backend the
 * user forced is what they asked for. Pure (docs/facts.md#remote-file-systems).
 */
export function checkBackend(
  root: string,
  backend: BackendKind,
  reason: BackendReason,
): DoctorCheck {
  const status = backend === 'poll' && reason.by === 'remote-fs' ? 'warn' : 'ok';
  return { id: 'filesystem', status, finding: { kind: 'backend', root, backend, reason } };
}

/** Units a file system may stamp times in, coarsest first: FAT's 2 s down to 1 ns. */
const UNITS_NS = [2e9, 1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 10, 1] as const;
/** Fewer stamps than this cannot tell a unit from chance (one in ten ends in 0 anyway). */
const MIN_SAMPLES_FOR_UNIT = 4;

/**
 * The granularity of a file system's mtimes from stamps of files written one after another:
 * the coarsest unit every stamp is a multiple of (FAT: 2 s, many NFS servers: 1 s), or the
 * smallest step seen between distinct stamps (Linux stamps from a clock that advances once
 * per timer tick), whichever is coarser. Pure (docs/facts.md#timestamp-granularity).
 */
export function mtimeGranularityNs(stampsNs: readonly bigint[]): number {
  if (stampsNs.length === 0) return 1;
  const unit =
    stampsNs.length < MIN_SAMPLES_FOR_UNIT
      ? 1
      : (UNITS_NS.find((u) => stampsNs.every((s) => s % BigInt(u) === 0n)) ?? 1);
  const distinct = [...new Set(stampsNs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let step: bigint | undefined;
  for (let i = 1; i < distinct.length; i++) {
    const d = distinct[i]! - distinct[i - 1]!;
    if (step === undefined || d < step) step = d;
  }
  return Math.max(unit, step === undefined ? 1 : Number(step));
}

/** Coarser than this, two saves in one window look alike to a stat. */
export const COARSE_MTIME_NS = 1e9;

/**
 * Stamps as coarse as a second: two saves within it leave the same mtime, so the poller and
 * the racy-clean rule fall back to comparing content (correct, but more reading). Pure.
 */
export function checkMtime(
  root: string,
  probe: { readonly stampsNs: readonly bigint[] } | { readonly code: string },
): DoctorCheck {
  if ('code' in probe) {
    return {
      id: 'mtime',
      status: 'warn',
      finding: { kind: 'mtime-unmeasured', root, code: probe.code },
    };
  }
  const granularityNs = mtimeGranularityNs(probe.stampsNs);
  return {
    id: 'mtime',
    status: granularityNs >= COARSE_MTIME_NS ? 'warn' : 'ok',
    finding: { kind: 'mtime', root, granularityNs, samples: probe.stampsNs.length },
  };
}

/** Below this soft `ulimit -n`, gohot, its go commands and the app's pipes run out. */
export const MIN_OPEN_FILES = 64;
/** Below this, a large build (go opens many files at once) or a busy app may run short. */
export const LOW_OPEN_FILES = 1024;

/**
 * `ulimit -n` of the process (Node raises its soft limit to the hard one at start): very low
 * blocks, low warns. Pure.
 */
export function checkOpenFiles(
  limits: { soft: number; hard: number | undefined } | undefined,
): DoctorCheck {
  if (limits === undefined)
    return { id: 'ulimit', status: 'ok', finding: { kind: 'ulimit-unknown' } };
  const status =
    limits.soft < MIN_OPEN_FILES ? 'block' : limits.soft < LOW_OPEN_FILES ? 'warn' : 'ok';
  return {
    id: 'ulimit',
    status,
    finding: { kind: 'ulimit', soft: limits.soft, hard: limits.hard },
  };
}
