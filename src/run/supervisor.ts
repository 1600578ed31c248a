import { GohotError } from '../errors.js';
import { type OutputSinks, tapOutput } from './output-tap.js';
import {
  isGroupAlive,
  type StopPolicy,
  signalGroup,
  signalLeaderGroup,
  spawnGroupLeader,
  terminateGroup,
} from './process-group.js';
import type { LineSource } from './readiness.js';
import { activationCommand, checkTrampolineShell } from './socket-activation.js';
import { checkSpawnable, spawnFailed } from './spawn-checks.js';
import {
  type AppEnd,
  type Command,
  type ExitInfo,
  type GroupLeader,
  type LeaderExit,
  RunErrorCode,
  type RunState,
  type StartSpec,
  type Supervisor,
  type SupervisorOptions,
} from './types.js';

const DEFAULT_STOP_TIMEOUT_MS = 3000;

/** Creates a supervisor that runs one app at a time in its own process group. */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new ProcessSupervisor(options);
}

/**
 * SIGKILLs the group of `app` (a leader, or the pid of one that exited) at once,
 * synchronously: gohot's forced exit (second Ctrl-C). A leader that has no group yet (just
 * started through the setpgid helper) is killed itself. Returns false when the group no
 * longer exists.
 */
export function killGroupNow(app: GroupLeader | number): boolean {
  if (typeof app === 'number') return signalGroup(app, 'SIGKILL');
  return signalLeaderGroup(app, 'SIGKILL');
}

class ProcessSupervisor implements Supervisor {
  #stopSignal: NodeJS.Signals;
  #stopTimeoutMs: number;
  readonly #onUnexpectedExit: ((exit: ExitInfo, pid: number) => void) | undefined;
  readonly #stdio: NonNullable<SupervisorOptions['stdio']>;
  readonly #sinks: OutputSinks;
  readonly #tail: SupervisorOptions['tail'];
  readonly #listeners: SupervisorOptions['listeners'];
  #state: RunState = { status: 'idle' };

  constructor(options: SupervisorOptions) {
    this.#stopSignal = options.stopSignal ?? 'SIGTERM';
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#onUnexpectedExit = options.onUnexpectedExit;
    this.#stdio = options.stdio ?? 'inherit';
    // With stdout carrying `--reporter json`, a tapped app's stdout goes to stderr too.
    this.#sinks =
      options.sinks ??
      (this.#stdio === 'stderr' ? { stdout: process.stderr, stderr: process.stderr } : process);
    this.#tail = options.tail;
    this.#listeners = options.listeners;
  }

  state(): RunState {
    return this.#state;
  }

  setStopPolicy(stopSignal: NodeJS.Signals, stopTimeoutMs: number): void {
    this.#stopSignal = stopSignal;
    this.#stopTimeoutMs = stopTimeoutMs;
  }

  start(spec: StartSpec): number {
    const current = this.#state;
    if (current.status === 'running' || current.status === 'stopping') {
      throw new GohotError(
        RunErrorCode.alreadyRunning,
        `Cannot start ${spec.binary}: the app (pid ${current.app.pid}) is still ${current.status}.`,
        'This is a bug in gohot: stop() must resolve before start() is called again.',
      );
    }
    const binary = checkSpawnable(spec);
    const tail = this.#tail;
    const tap = spec.output === 'tap' && this.#stdio !== 'pipe';
    // Through gohot when its lines are matched (log readiness) or kept (the proxy's overlay).
    const through = (tap || tail !== undefined) && this.#stdio !== 'pipe';
    const plain: Command = { command: binary, args: spec.args, cwd: spec.cwd, env: spec.env };
    if (this.#listeners !== undefined) checkTrampolineShell();
    const { command, extraFds } =
      this.#listeners === undefined
        ? { command: plain, extraFds: [] }
        : activationCommand(plain, this.#listeners);
    const spawned = spawnGroupLeader(command, [
      // stdin belongs to gohot (keys); output goes straight to the terminal, unbuffered,
      // or through gohot chunk by chunk.
      ...(through
        ? (['ignore', 'pipe', 'pipe'] as const)
        : this.#stdio === 'stderr'
          ? (['ignore', 2, 'inherit'] as const)
          : (['ignore', this.#stdio, this.#stdio] as const)),
      // run.listen's sockets, from descriptor 3 on.
      ...extraFds,
    ]);
    // The checks above leave only rare reasons (EAGAIN, a race with a deleted file), which
    // Node reports after start() must have returned.
    if (spawned.status === 'failed') throw spawnFailed(spec, undefined);
    const app = spawned.leader;
    let lines: LineSource | undefined;
    if (through) {
      if (tail !== undefined) {
        tail.reset();
        app.child.stdout?.on('data', (chunk: Buffer) => tail.push('stdout', chunk));
        app.child.stderr?.on('data', (chunk: Buffer) => tail.push('stderr', chunk));
      }
      // Forwarded (with back-pressure) to where inherited output would have gone.
      const source = tapOutput(app.child, this.#sinks);
      if (tap) lines = source;
    }
    this.#state = { status: 'running', app, startedAt: performance.now(), lines };
    void app.exited.then((exit) => this.#onLeaderExit(app, exit));
    return app.pid;
  }

  stop(): Promise<ExitInfo | undefined> {
    const current = this.#state;
    switch (current.status) {
      case 'stopping':
        return current.done;
      case 'running': {
        const policy: StopPolicy = {
          kind: 'terminate',
          signal: this.#stopSignal,
          graceMs: this.#stopTimeoutMs,
        };
        const deadline = performance.now() + policy.graceMs;
        const done = this.#terminate(current.app, policy);
        this.#state = { status: 'stopping', app: current.app, deadline, done };
        return done;
      }
      case 'exited':
        return this.#awaitCleanup(current).then(() => undefined);
      default:
        return Promise.resolve(undefined);
    }
  }

  async #terminate(app: GroupLeader, policy: StopPolicy): Promise<ExitInfo> {
    try {
      const t = await terminateGroup(app, policy);
      const exit: ExitInfo = {
        kind: 'stopped',
        app: appEnd(t.leader),
        sigkill: t.sigkill,
        strays: t.strays,
      };
      this.#settle(app, { status: 'exited', pid: app.pid, exit, cleanup: undefined });
      return exit;
    } catch (err) {
      this.#settle(app, { status: 'abandoned', pid: app.pid });
      throw err;
    }
  }

  /** Leaves `stopping` for `next`, unless the state has moved on. */
  #settle(app: GroupLeader, next: RunState): void {
    const current = this.#state;
    if (current.status === 'stopping' && current.app === app) this.#state = next;
  }

  #onLeaderExit(app: GroupLeader, leader: LeaderExit): void {
    // A stop in progress owns this exit; only an exit while 'running' is unexpected.
    const current = this.#state;
    if (current.status !== 'running' || current.app !== app) return;
    const exit: ExitInfo = { kind: 'ended', app: appEnd(leader) };
    let cleanup: Promise<void> | undefined;
    if (isGroupAlive(app.pid)) {
      // Orphaned grandchildren of a crashed app would keep its port (air #216 #534):
      // give them the same grace as a stop, then SIGKILL.
      cleanup = terminateGroup(app, {
        kind: 'terminate',
        signal: this.#stopSignal,
        graceMs: this.#stopTimeoutMs,
      }).then(() => {});
      // Surfaces on the next stop(); never as an unhandled rejection.
      cleanup.catch(() => {});
    }
    this.#state = { status: 'exited', pid: app.pid, exit, cleanup };
    this.#onUnexpectedExit?.(exit, app.pid);
  }

  async #awaitCleanup(exited: RunState & { status: 'exited' }): Promise<void> {
    if (exited.cleanup === undefined) return;
    try {
      await exited.cleanup;
    } finally {
      // A failed cleanup is reported by one stop(), not by every later one.
      if (this.#state === exited) this.#state = { ...exited, cleanup: undefined };
    }
  }
}

function appEnd(leader: LeaderExit): AppEnd {
  return leader.signal !== null
    ? { kind: 'killed', signal: leader.signal }
    : { kind: 'exited', code: leader.code ?? 0 };
}
