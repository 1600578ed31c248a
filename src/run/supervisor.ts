import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { errnoCode, GohotError } from '../errors.js';
import { listGroupMembers } from './proc-linux.js';
import type { ExitInfo, RunState, StartSpec, Supervisor, SupervisorOptions } from './types.js';

/** Stable codes of the errors the supervisor throws. */
export const RunErrorCode = {
  binaryNotFound: 'RUN_BINARY_NOT_FOUND',
  binaryNotExecutable: 'RUN_BINARY_NOT_EXECUTABLE',
  cwdNotFound: 'RUN_CWD_NOT_FOUND',
  spawnFailed: 'RUN_SPAWN_FAILED',
  alreadyRunning: 'RUN_ALREADY_RUNNING',
  unkillable: 'RUN_UNKILLABLE',
} as const;

const DEFAULT_STOP_TIMEOUT_MS = 3000;
/** After SIGKILL, how long to wait for the group to disappear before reporting failure. */
const KILL_WAIT_MS = 5000;
/** How often group membership is re-checked while waiting for grandchildren. */
const GROUP_POLL_MS = 10;

interface LeaderExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One started app: the group leader and the promise of its exit. */
interface App {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<LeaderExit>;
}

/** What terminateGroup observed. */
interface Termination {
  readonly leader: LeaderExit;
  readonly killed: boolean;
  readonly strays: readonly number[];
}

/** Creates a supervisor that runs one app at a time in its own process group. */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new ProcessSupervisor(options);
}

/**
 * SIGKILLs process group `pid` at once, synchronously: gohot's forced exit (second Ctrl-C).
 * Returns false when the group no longer exists.
 */
export function killGroupNow(pid: number): boolean {
  return signalGroup(pid, 'SIGKILL');
}

class ProcessSupervisor implements Supervisor {
  #stopSignal: NodeJS.Signals;
  #stopTimeoutMs: number;
  readonly #onUnexpectedExit: ((exit: ExitInfo, pid: number) => void) | undefined;
  readonly #stdio: 'inherit' | 'pipe';
  readonly #canInspectProc: boolean;
  #state: RunState = { status: 'idle' };
  #app: App | undefined;
  #stopping: Promise<ExitInfo> | undefined;
  /** Termination of grandchildren left behind by an app that exited on its own. */
  #strayCleanup: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#stopSignal = options.stopSignal ?? 'SIGTERM';
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#onUnexpectedExit = options.onUnexpectedExit;
    this.#stdio = options.stdio ?? 'inherit';
    this.#canInspectProc = process.platform === 'linux' && existsSync('/proc/self/stat');
  }

  state(): RunState {
    return this.#state;
  }

  setStopPolicy(stopSignal: NodeJS.Signals, stopTimeoutMs: number): void {
    this.#stopSignal = stopSignal;
    this.#stopTimeoutMs = stopTimeoutMs;
  }

  child(): ChildProcess | undefined {
    return this.#app?.child;
  }

  start(spec: StartSpec): number {
    const current = this.#state;
    if (current.status === 'running' || current.status === 'stopping') {
      throw new GohotError(
        RunErrorCode.alreadyRunning,
        `Cannot start ${spec.binary}: the app (pid ${current.pid}) is still ${current.status}.`,
        'This is a bug in gohot: stop() must resolve before start() is called again.',
      );
    }
    checkSpawnable(spec);
    let child: ChildProcess;
    try {
      child = spawn(spec.binary, [...spec.args], {
        cwd: spec.cwd,
        env: spec.env,
        // Own session and process group (setsid): stop() signals the whole group, so
        // grandchildren die too, and a Ctrl-C in the terminal reaches only gohot.
        detached: true,
        // stdin belongs to gohot (keys); output goes straight to the terminal, unbuffered.
        stdio: ['ignore', this.#stdio, this.#stdio],
      });
    } catch (err) {
      throw spawnFailed(spec, err);
    }
    // Node reports ENOENT/EACCES/EAGAIN of spawn as a later 'error' event; the pid check
    // below turns them into a synchronous GohotError, so the event is only swallowed here.
    child.on('error', () => {});
    const pid = child.pid;
    if (pid === undefined) throw spawnFailed(spec, undefined);

    const app: App = {
      pid,
      child,
      exited: new Promise((resolveExit) => {
        child.once('exit', (code, signal) => {
          resolveExit({ code, signal });
          this.#onLeaderExit(app, { code, signal });
        });
      }),
    };
    this.#app = app;
    this.#stopping = undefined;
    this.#state = { status: 'running', pid, startedAt: Date.now() };
    return pid;
  }

  stop(): Promise<ExitInfo | undefined> {
    const current = this.#state;
    const app = this.#app;
    if (current.status === 'stopping' && this.#stopping) return this.#stopping;
    if (current.status !== 'running' || app === undefined) {
      return this.#awaitStrayCleanup().then(() => undefined);
    }
    const deadline = Date.now() + this.#stopTimeoutMs;
    this.#state = { status: 'stopping', pid: app.pid, deadline };
    const stopping = this.#terminate(app, deadline);
    this.#stopping = stopping;
    return stopping;
  }

  async #terminate(app: App, deadline: number): Promise<ExitInfo> {
    let exit: ExitInfo;
    try {
      const t = await terminateGroup(app.pid, app.exited, this.#stopSignal, deadline, (pgid) =>
        this.#isGroupAlive(pgid),
      );
      exit = {
        code: t.leader.code,
        signal: t.leader.signal,
        requested: true,
        killed: t.killed,
        ...(t.strays.length > 0 ? { strays: t.strays } : {}),
      };
    } catch (err) {
      if (this.#app === app) {
        this.#state = {
          status: 'exited',
          exit: { code: null, signal: null, requested: true, killed: true },
        };
      }
      throw err;
    }
    if (this.#app === app) this.#state = { status: 'exited', exit };
    return exit;
  }

  #onLeaderExit(app: App, leader: LeaderExit): void {
    // A stop in progress owns this exit; only an exit while 'running' is unexpected.
    if (this.#app !== app || this.#state.status !== 'running') return;
    const exit: ExitInfo = {
      code: leader.code,
      signal: leader.signal,
      requested: false,
      killed: false,
    };
    this.#state = { status: 'exited', exit };
    if (this.#isGroupAlive(app.pid)) {
      // Orphaned grandchildren of a crashed app would keep its port (air #216 #534):
      // give them the same grace as a stop, then SIGKILL.
      const cleanup = terminateGroup(
        app.pid,
        app.exited,
        this.#stopSignal,
        Date.now() + this.#stopTimeoutMs,
        (pgid) => this.#isGroupAlive(pgid),
      ).then(() => {});
      // Surfaces on the next stop(); never as an unhandled rejection.
      cleanup.catch(() => {});
      this.#strayCleanup = cleanup;
    }
    this.#onUnexpectedExit?.(exit, app.pid);
  }

  async #awaitStrayCleanup(): Promise<void> {
    const cleanup = this.#strayCleanup;
    if (cleanup === undefined) return;
    try {
      await cleanup;
    } finally {
      if (this.#strayCleanup === cleanup) this.#strayCleanup = undefined;
    }
  }

  /**
   * True while group `pgid` has a live member. `kill(-pgid, 0)` also counts zombies, which an
   * init that reaps lazily (or never, in many containers) keeps around; /proc tells them apart.
   */
  #isGroupAlive(pgid: number): boolean {
    if (!signalGroup(pgid, 0)) return false;
    return !this.#canInspectProc || listGroupMembers(pgid).length > 0;
  }
}

/**
 * Sends `signal` to group `pgid`, waits until `deadline` for the leader and then for every
 * other member to exit, and SIGKILLs the group when the deadline passes. Resolves once the
 * leader has exited and the group is gone; rejects (RUN_UNKILLABLE) if SIGKILL does not end
 * it within KILL_WAIT_MS, so a stop never hangs forever.
 */
async function terminateGroup(
  pgid: number,
  leaderExited: Promise<LeaderExit>,
  signal: NodeJS.Signals,
  deadline: number,
  isGroupAlive: (pgid: number) => boolean,
): Promise<Termination> {
  signalGroup(pgid, signal);
  let leader = await raceDeadline(leaderExited, deadline);
  let strays: number[] = [];
  if (leader !== undefined && isGroupAlive(pgid)) {
    // The leader is gone but grandchildren got the same signal: they share its grace period.
    strays = listGroupMembers(pgid);
    if (await waitUntil(() => !isGroupAlive(pgid), deadline)) {
      return { leader, killed: false, strays };
    }
  } else if (leader !== undefined) {
    return { leader, killed: false, strays };
  }

  // Whether anything was still alive to kill: the leader may have exited cleanly just as
  // the grace period ran out, and that is not "killed".
  const aliveAtKill = listGroupMembers(pgid).length > 0;
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = Date.now() + KILL_WAIT_MS;
  leader ??= await raceDeadline(leaderExited, killDeadline);
  const gone = await waitUntil(() => !isGroupAlive(pgid), killDeadline);
  if (leader === undefined || !gone) {
    const left = listGroupMembers(pgid);
    throw new GohotError(
      RunErrorCode.unkillable,
      `The app's process group ${pgid} is still alive ${KILL_WAIT_MS} ms after SIGKILL` +
        (left.length > 0 ? ` (pids ${left.join(', ')}).` : '.'),
      'A process stuck in uninterruptible I/O (state D in `ps`) cannot be killed; check for a hung mount or device.',
    );
  }
  return { leader, killed: aliveAtKill || leader.signal === 'SIGKILL', strays };
}

/** process.kill on a whole group; false when the group does not exist (ESRCH). */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ESRCH') return false;
    // EPERM: some member exists but belongs to another user; it is still there.
    if (code === 'EPERM') return true;
    throw err;
  }
}

/** Resolves with the promise's value, or undefined once `deadline` (epoch ms) has passed. */
function raceDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => resolvePromise(undefined), Math.max(0, deadline - Date.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Polls `check` every GROUP_POLL_MS until it is true (true) or `deadline` passes (false). */
async function waitUntil(check: () => boolean, deadline: number): Promise<boolean> {
  for (;;) {
    if (check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((r) => setTimeout(r, Math.min(GROUP_POLL_MS, left)));
  }
}

/** Turns the usual reasons a binary cannot start into clear errors before spawning it. */
function checkSpawnable(spec: StartSpec): void {
  if (!safeStat(spec.cwd)?.isDirectory()) {
    throw new GohotError(
      RunErrorCode.cwdNotFound,
      `The app's working directory ${spec.cwd} does not exist or is not a directory.`,
      'Check the working directory in the gohot config, or create it.',
    );
  }
  const path = spec.binary.includes('/')
    ? resolve(spec.cwd, spec.binary)
    : findOnPath(spec.binary, spec.env.PATH);
  if (path === undefined) {
    throw new GohotError(
      RunErrorCode.binaryNotFound,
      `The app binary ${spec.binary} was not found on PATH.`,
      'Give the binary as an absolute path, or add its directory to PATH.',
    );
  }
  const stat = safeStat(path);
  if (stat === undefined) {
    throw new GohotError(
      RunErrorCode.binaryNotFound,
      `The app binary ${path} does not exist.`,
      'Check the build output path in the gohot config; the build may have written elsewhere.',
    );
  }
  const mode = `mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}`;
  if (!stat.isFile()) {
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not a regular file (${stat.isDirectory() ? 'a directory' : mode}).`,
      'Point the build output path at a file, not a directory.',
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not executable (${mode}).`,
      `Run \`chmod +x ${path}\`; if it already is executable, its file system is probably mounted noexec (often /tmp): choose a build output directory elsewhere.`,
    );
  }
  // Node retries an exec that fails with ENOEXEC through /bin/sh, which "runs" a binary of
  // another architecture as a shell script: check the header first (Linux: ELF or #!).
  if (process.platform === 'linux' && !hasRunnableHeader(path)) {
    throw new GohotError(
      RunErrorCode.binaryNotExecutable,
      `The app binary ${path} is not a program this machine can run (no ELF header).`,
      'Was it built for another system? Check GOOS/GOARCH in build.env of gohot.json and in your environment.',
    );
  }
}

function hasRunnableHeader(path: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, 4, 0);
  } catch {
    return true; // unreadable: let spawn report the real error
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return (
    head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === '#!'
  );
}

function spawnFailed(spec: StartSpec, cause: unknown): GohotError {
  const code = errnoCode(cause);
  return new GohotError(
    RunErrorCode.spawnFailed,
    `The system refused to start ${spec.binary}${code ? ` (${code})` : ''}.`,
    'Check that the binary is built for this machine, and the process and file limits (`ulimit -u`, `ulimit -n`).',
    { cause },
  );
}

function safeStat(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (safeStat(candidate)?.isFile()) return candidate;
  }
  return undefined;
}
