import { constants } from 'node:fs';
import { lstat, mkdtemp, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from '../errors.js';
import { decideFsBackend } from '../watch/fs-kind.js';
import { LinkBoundary } from '../watch/link-boundary.js';
import { Snapshot } from '../watch/snapshot.js';
import { TreeScanner } from '../watch/tree-scanner.js';
import type { BackendChoice, BackendKind, BackendReason, WatchFilter } from '../watch/types.js';

/** How a root would be watched, decided the way the watcher decides before its canary. */
export async function decideRootBackend(
  root: string,
  choice: BackendChoice,
  forcedBy: string,
): Promise<{ readonly backend: BackendKind; readonly reason: BackendReason }> {
  if (choice !== 'auto') return { backend: choice, reason: { by: 'forced', forcedBy } };
  return decideFsBackend(root);
}

/**
 * The directories gohot's watcher would watch under the roots with a native backend: the
 * watcher's own walk (TreeScanner.baseline over every root, in order, with the same filter
 * and symlink boundary), counting the directories it enters. Reads directories and stats
 * files; hashes and watches nothing.
 */
export async function countWatchedDirs(
  roots: readonly { readonly path: string; readonly backend: BackendKind }[],
  filter: WatchFilter,
): Promise<number> {
  const boundary = new LinkBoundary(
    roots.map((r) => r.path),
    () => undefined,
  );
  const snapshot = new Snapshot({ excludes: (p) => boundary.excludes(p, 'file') });
  const scanner = new TreeScanner(snapshot, filter, () => undefined, boundary);
  let dirs = 0;
  for (const root of roots) {
    const native = root.backend === 'native';
    await scanner.baseline(root.path, { enterDir: () => (native ? dirs++ : undefined) }, false);
  }
  return dirs;
}

/** Files written by one probe: enough to see a tick of the kernel's clock. */
const MAX_PROBE_FILES = 64;
/** How long a probe writes at most. */
const PROBE_BUDGET_MS = 200;

/**
 * Writes files one after another in a fresh private directory below `root` (mkdtemp: a new
 * name, never an existing path or a symlink; each file O_EXCL | O_NOFOLLOW) and returns
 * their mtimes in ns, or the errno when the root is not writable. The directory is hidden,
 * so a running gohot does not watch it, and is removed before returning.
 */
export async function probeMtimes(
  root: string,
): Promise<{ readonly stampsNs: readonly bigint[] } | { readonly code: string }> {
  let dir: string;
  try {
    dir = await mkdtemp(path.join(root, '.gohot-doctor-'));
  } catch (err) {
    return { code: errnoCode(err) ?? String(err) };
  }
  try {
    const stampsNs: bigint[] = [];
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const until = performance.now() + PROBE_BUDGET_MS;
    for (let i = 0; i < MAX_PROBE_FILES && (i < 8 || performance.now() < until); i++) {
      const file = path.join(dir, `t${i}`);
      const handle = await open(file, flags, 0o600);
      try {
        await handle.write('x');
      } finally {
        await handle.close();
      }
      stampsNs.push((await lstat(file, { bigint: true })).mtimeNs);
    }
    return { stampsNs };
  } catch (err) {
    return { code: errnoCode(err) ?? String(err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
