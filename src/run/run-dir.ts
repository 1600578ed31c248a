import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  isRunDirInUse,
  type ReapedOrphan,
  RUN_DIR_FILES,
  reapOrphans,
  recordApp,
  recordOwner,
  releaseRunDir,
} from './orphans.js';
import { ensurePrivateDir, openStateDir, projectDirName } from './state-dir.js';

/** The directory one gohot builds into and records its app in. */
export interface RunDir {
  /** Absolute path of the directory: the same for a project in every session. */
  readonly path: string;
  /** Where go build writes the app: a stable path, so go can skip an up-to-date link. */
  readonly binary: string;
  /** GOTMPDIR for the go command: its work files never land in the project or a shared /tmp. */
  readonly goTmpDir: string;
  /**
   * Checks again that the directory (and GOTMPDIR) is private to this user, re-creating them
   * when something removed them (a tmp cleaner). Throws STATE_DIR_UNSAFE when someone else
   * put a directory there: nothing from it is ever run. Called before every build.
   */
  verify(): void;
  /** Records the app just started, so a later gohot can stop it if this one is SIGKILLed. */
  recordApp(pid: number): void;
  /**
   * Gives the directory up: removes gohot's record (and, for a temporary directory, its
   * binary); never what the app wrote there. Synchronous: the forced exit uses it.
   */
  remove(): void;
}

/** What {@link openRunDir} did. */
export interface OpenedRunDir {
  readonly dir: RunDir;
  /** The private state directory the run directory is in. */
  readonly stateDir: string;
  /** Apps of dead gohots that were found and stopped on the way (the session reports them). */
  readonly reaped: readonly ReapedOrphan[];
}

/**
 * Opens this gohot's run directory for the project at `moduleRoot`, below the private state
 * directory (`openStateDir`): first stops the apps of gohots that died without cleaning up,
 * then takes the project's stable directory, or `<stable>.<pid>` while another live gohot
 * uses it, and writes the owner record: if this gohot dies, the next one stops its app.
 */
export function openRunDir(
  moduleRoot: string,
  stateDir: string = openStateDir(),
  uid: number = process.geteuid?.() ?? 0,
): OpenedRunDir {
  const reaped = reapOrphans(stateDir, uid);
  const stable = path.join(stateDir, projectDirName(moduleRoot));
  ensurePrivateDir(stable, uid);
  const dirPath = isRunDirInUse(stable, uid) ? `${stable}.${process.pid}` : stable;
  const goTmpDir = path.join(dirPath, RUN_DIR_FILES.goTmp);
  // go leaves its $WORK behind when a cancelled build is SIGKILLed; nobody else uses this
  // private directory now (a live gohot would have made us take `<stable>.<pid>`).
  rmSync(goTmpDir, { recursive: true, force: true });
  const verify = () => {
    ensurePrivateDir(stateDir, uid);
    ensurePrivateDir(dirPath, uid);
    ensurePrivateDir(goTmpDir, uid);
  };
  verify();
  recordOwner(dirPath);
  return {
    reaped,
    stateDir,
    dir: {
      path: dirPath,
      binary: path.join(dirPath, RUN_DIR_FILES.binary),
      goTmpDir,
      verify,
      recordApp: (pid) => recordApp(dirPath, pid),
      remove: () => releaseRunDir(dirPath),
    },
  };
}
