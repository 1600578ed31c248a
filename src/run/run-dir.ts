import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ReapedOrphan, reapOrphans, recordApp, recordOwner } from './orphans.js';

/** The directory one gohot builds into and records its app in. */
export interface RunDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Records the app just started, so a later gohot can stop it if this one is SIGKILLed. */
  recordApp(pid: number): void;
  /** Removes the directory and everything in it. Synchronous: the forced exit uses it. */
  remove(): void;
}

/** What {@link openRunDir} did. */
export interface OpenedRunDir {
  readonly dir: RunDir;
  /** Apps of dead gohots that were found and stopped on the way (the session reports them). */
  readonly reaped: readonly ReapedOrphan[];
}

/**
 * Where the run directories of every gohot of this user live: the temporary directory
 * (TMPDIR when set). The one place that decides it.
 */
export function runDirParent(): string {
  return os.tmpdir();
}

/**
 * Stops the apps of gohots that died without cleaning up, then creates this gohot's
 * `gohot-XXXXXX` directory (mode 0700) under `parent` with its owner record: if this gohot
 * dies before it can clean up (even during start-up), the next one removes the directory.
 */
export function openRunDir(parent: string = runDirParent()): OpenedRunDir {
  const reaped = reapOrphans(parent);
  const dirPath = mkdtempSync(path.join(parent, 'gohot-'));
  recordOwner(dirPath);
  return {
    reaped,
    dir: {
      path: dirPath,
      recordApp: (pid) => recordApp(dirPath, pid),
      remove: () => rmSync(dirPath, { recursive: true, force: true }),
    },
  };
}
