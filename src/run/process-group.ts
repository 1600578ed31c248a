import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode, GohotError } from '../errors.js';
import { isUsableHelper, lookPath } from './group-exec-linux.js';
import { listGroupMembers } from './proc-linux.js';
import { type Command, type GroupLeader, type LeaderExit, RunErrorCode } from './types.js';

/** After SIGKILL, how long a group may take to disappear before it counts as unkillable. */
export const KILL_WAIT_MS = 5000;
/** How often group membership is re-checked while waiting for members to exit. */
const GROUP_POLL_MS = 5;
/** /proc tells live members from zombies; without it a zombie counts as alive. */
const CAN_INSPECT_PROC = process.platform === 'linux' && existsSync('/proc/self/stat');

/** The result of spawnGroupLeader: a leader, or the error that kept it from starting. */
export type SpawnOutcome =
  | { readonly status: 'started'; readonly leader: GroupLeader }
  | { readonly status: 'failed'; readonly error: Promise<unknown> };

/** How to end a process group. */
export type StopPolicy =
  /** SIGKILL the whole group at once (a cancelled go command: its work is thrown away). */
  | { readonly kind: 'kill' }
  /** Send `signal`, give the group `graceMs` to exit, then SIGKILL what is left. */
  | { readonly kind: 'terminate'; readonly signal: NodeJS.Signals; readonly graceMs: number };

/** What terminateGroup observed. */
export interface GroupTermination {
  readonly leader: LeaderExit;
  /** True when something was still alive at the end of the grace period and got SIGKILL. */
  readonly sigkill: boolean;
  /** Members still alive after the leader had exited (grandchildren). Linux only. */
  readonly strays: readonly number[];
}

/** The setpgid helper (group-exec-linux.ts) once it is ready; until then, setsid. */
let groupExec: string | undefined;

/**
 * From now on, start process groups through `helper` (a group of their own in gohot's
 * session), or as sessions of their own again when undefined.
 */
export function useGroupExec(helper: string | undefined): void {
  groupExec = helper;
}

/** A spawn error as Node makes one, for a command the helper would not find. */
function spawnError(
  command: string,
  code: string,
  errno: number | undefined,
): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`spawn ${command} ${code}`);
  err.code = code;
  err.errno = errno;
  err.syscall = `spawn ${command}`;
  err.path = command;
  return err;
}

/**
 * A failed spawn of the helper as a failed spawn of `command` (a missing cwd is ENOENT of
 * the spawn): the error names what the user runs, not gohot's helper.
 */
function asSpawnOf(command: string, err: unknown): unknown {
  const code = errnoCode(err);
  if (code === undefined) return err;
  return spawnError(command, code, (err as NodeJS.ErrnoException).errno);
}

/**
 * Starts `cmd` as the leader of a new process group, so the whole group can be signalled
 * and a Ctrl-C in the terminal reaches only gohot: through the setpgid helper in gohot's
 * session when it is ready ({@link useGroupExec}), else in a new session (setsid). Node
 * reports ENOENT, EACCES and EAGAIN of spawn as a later 'error' event: such a start is
 * `failed` at once (there is no pid), and `error` resolves with the reason. Through the
 * helper, the command is looked up first, so a missing one fails the same way.
 */
export function spawnGroupLeader(cmd: Command, stdio: StdioOptions): SpawnOutcome {
  let child: ChildProcess;
  // A helper removed since (a tmp cleaner, a state directory given up) is not used.
  const helper =
    groupExec !== undefined && isUsableHelper(groupExec, process.geteuid?.() ?? 0)
      ? groupExec
      : undefined;
  try {
    if (helper === undefined) {
      child = spawn(cmd.command, [...cmd.args], {
        cwd: cmd.cwd,
        env: cmd.env,
        detached: true,
        stdio,
      });
    } else {
      const found = lookPath(cmd.command, cmd.env.PATH, cmd.cwd);
      if (!found.found) {
        const errno = found.code === 'ENOENT' ? -2 : -13;
        return {
          status: 'failed',
          error: Promise.resolve(spawnError(cmd.command, found.code, errno)),
        };
      }
      child = spawn(helper, [found.file, cmd.command, ...cmd.args], {
        cwd: cmd.cwd,
        env: cmd.env,
        stdio,
      });
    }
  } catch (err) {
    return { status: 'failed', error: Promise.resolve(err) };
  }
  const pid = child.pid;
  if (pid === undefined) {
    const error = new Promise((resolve) => child.once('error', resolve));
    return {
      status: 'failed',
      error: helper === undefined ? error : error.then((err) => asSpawnOf(cmd.command, err)),
    };
  }
  // After a successful spawn, 'error' only reports a failed kill(); never crash on it.
  child.on('error', () => {});
  const exited = new Promise<LeaderExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    status: 'started',
    leader: { pid, child, exited, command: cmd.command, ownGroupPending: helper !== undefined },
  };
}

/** What became of a signal sent to a group. */
export type GroupSignalResult = 'sent' | 'no-group' | 'not-permitted';

/**
 * process.kill on a whole group. Only for a group gohot started and still holds (see
 * {@link signalLeaderGroup}), or one identified by its /proc start time.
 */
export function sendGroupSignal(pgid: number, signal: NodeJS.Signals | 0): GroupSignalResult {
  try {
    process.kill(-pgid, signal);
    return 'sent';
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ESRCH') return 'no-group';
    // EPERM: some member exists but belongs to another user.
    if (code === 'EPERM') return 'not-permitted';
    throw err;
  }
}

/** Like {@link sendGroupSignal}; false when the group does not exist (ESRCH). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  return sendGroupSignal(pgid, signal) !== 'no-group';
}

/**
 * Signals the helper's Go runtime dies of. It catches SIGUSR1 and SIGUSR2 and does nothing
 * (os/signal: "other signals will be caught but no action will be taken") and answers
 * SIGQUIT with a goroutine dump: a stop signal like that, sent before the exec, would be lost.
 */
const HELPER_DIES_OF: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGKILL']);

/**
 * Signals the group of `leader`. Once the leader was reaped and its group is empty, the
 * group id is free for the kernel to hand out again: then nothing is sent. A leader started
 * through the setpgid helper has no group of its own for the first moment (until its
 * setpgid): then it gets the signal itself, and has no children yet to share it with; the
 * command has not started either, so a signal the helper would survive is SIGKILL.
 */
export function signalLeaderGroup(leader: GroupLeader, signal: NodeJS.Signals): boolean {
  const reaped = leader.child.exitCode !== null || leader.child.signalCode !== null;
  if (reaped && !signalGroup(leader.pid, 0)) return false;
  if (signalGroup(leader.pid, signal)) return true;
  if (reaped || !leader.ownGroupPending) return false;
  try {
    process.kill(leader.pid, HELPER_DIES_OF.has(signal) ? signal : 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/**
 * True while group `pgid` has a live member. `kill(-pgid, 0)` also counts zombies, which an
 * init that reaps lazily (or never, in many containers) keeps around; /proc tells them apart.
 */
export function isGroupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  return !CAN_INSPECT_PROC || listGroupMembers(pgid).length > 0;
}

/** Options of {@link waitForGroupEmpty}. */
export interface WaitForGroupOptions {
  /** Give up at this performance.now() time. @default never */
  readonly deadline?: number;
  /** Give up when this aborts. */
  readonly signal?: AbortSignal;
}

/**
 * Polls until group `pgid` has no live member (true), or until the deadline passes or
 * `signal` aborts (false).
 */
export async function waitForGroupEmpty(
  pgid: number,
  options: WaitForGroupOptions = {},
): Promise<boolean> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  for (;;) {
    if (!isGroupAlive(pgid)) return true;
    const left = deadline - performance.now();
    if (left <= 0 || options.signal?.aborted) return false;
    try {
      await delay(Math.min(GROUP_POLL_MS, left), undefined, { signal: options.signal });
    } catch {
      return !isGroupAlive(pgid);
    }
  }
}

/**
 * Ends the group of `leader` by `policy` and waits until the leader has exited and no live
 * member is left. Rejects with RUN_UNKILLABLE when the group survives SIGKILL for
 * KILL_WAIT_MS, so a stop never hangs.
 */
export async function terminateGroup(
  leader: GroupLeader,
  policy: StopPolicy,
): Promise<GroupTermination> {
  if (policy.kind === 'terminate') {
    const deadline = performance.now() + policy.graceMs;
    signalLeaderGroup(leader, policy.signal);
    const exit = await raceDeadline(leader.exited, deadline);
    if (exit !== undefined) {
      if (!isGroupAlive(leader.pid)) return { leader: exit, sigkill: false, strays: [] };
      // The leader is gone but grandchildren got the same signal: they share its grace period.
      const strays = listGroupMembers(leader.pid);
      if (await waitForGroupEmpty(leader.pid, { deadline })) {
        return { leader: exit, sigkill: false, strays };
      }
      return killGroup(leader, strays);
    }
  }
  return killGroup(leader, []);
}

async function killGroup(leader: GroupLeader, strays: readonly number[]) {
  // Whether anything was still alive to kill: the leader may have exited cleanly just as
  // the grace period ran out, and that is not "killed".
  const aliveAtKill = listGroupMembers(leader.pid).length > 0;
  signalLeaderGroup(leader, 'SIGKILL');
  const killDeadline = performance.now() + KILL_WAIT_MS;
  const exit = await raceDeadline(leader.exited, killDeadline);
  const gone =
    exit !== undefined && (await waitForGroupEmpty(leader.pid, { deadline: killDeadline }));
  if (exit === undefined || !gone) {
    const left = listGroupMembers(leader.pid);
    throw new GohotError(
      RunErrorCode.unkillable,
      `The process group ${leader.pid} (${leader.command}) is still alive ${KILL_WAIT_MS} ms after SIGKILL` +
        (left.length > 0 ? ` (pids ${left.join(', ')}).` : '.'),
      'A process stuck in uninterruptible I/O (state D in `ps`) cannot be killed; check for a hung mount or device.',
    );
  }
  return { leader: exit, sigkill: aliveAtKill || exit.signal === 'SIGKILL', strays };
}

/** Resolves with the promise's value, or undefined once `deadline` (performance.now()) passes. */
async function raceDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(Math.max(0, deadline - performance.now()), undefined, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
}
