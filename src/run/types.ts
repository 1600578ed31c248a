import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { OutputTail } from './output-tail.js';
import type { LineSource } from './readiness.js';

/** Stable codes of the errors of src/run/. */
export const RunErrorCode = {
  binaryNotFound: 'RUN_BINARY_NOT_FOUND',
  binaryNotExecutable: 'RUN_BINARY_NOT_EXECUTABLE',
  cwdNotFound: 'RUN_CWD_NOT_FOUND',
  spawnFailed: 'RUN_SPAWN_FAILED',
  alreadyRunning: 'RUN_ALREADY_RUNNING',
  unkillable: 'RUN_UNKILLABLE',
  listenFailed: 'RUN_LISTEN_FAILED',
} as const;

/** How the app's own process ended: an exit code, or the signal that ended it. */
export type AppEnd =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'killed'; readonly signal: NodeJS.Signals };

/** How one run of the app ended. A plain value: it serialises as-is. */
export type ExitInfo =
  /** The app ended without gohot asking (it crashed, or it finished). */
  | { readonly kind: 'ended'; readonly app: AppEnd }
  /** gohot stopped it, for a restart or on shutdown. */
  | {
      readonly kind: 'stopped';
      readonly app: AppEnd;
      /** True when something was still alive when the grace period ran out and got SIGKILL. */
      readonly sigkill: boolean;
      /**
       * Pids of the app's process group still alive after the app itself exited
       * (grandchildren); they were waited for and, past the grace period, SIGKILLed. Linux only.
       */
      readonly strays: readonly number[];
    };

/** A command line to start: never a shell string. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Full environment of the process. */
  readonly env: NodeJS.ProcessEnv;
}

/** How a group leader exited, as Node reports it: exactly one of the two is non-null. */
export interface LeaderExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A process started as the leader of its own process group (its pid is the group id). */
export interface GroupLeader {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the leader itself has exited and was reaped, not the rest of its group. */
  readonly exited: Promise<LeaderExit>;
  /** The command as it was given (the leader may have been started through a helper). */
  readonly command: string;
  /**
   * Started through the setpgid helper: for its first moment the leader is still in
   * gohot's group, and a signal for its group must go to the leader itself.
   */
  readonly ownGroupPending: boolean;
}

/**
 * The supervisor's state machine. The app exists only inside `running` and `stopping`, so
 * nothing beside the state can name an app that is not there. Times are performance.now() ms.
 */
export type RunState =
  | { readonly status: 'idle' }
  | {
      readonly status: 'running';
      readonly app: GroupLeader;
      readonly startedAt: number;
      /** The app's output lines, when it was started with `output: 'tap'`. */
      readonly lines: LineSource | undefined;
    }
  | {
      readonly status: 'stopping';
      readonly app: GroupLeader;
      /** When the grace period ends and the group gets SIGKILL. */
      readonly deadline: number;
      /** The one stop in progress; concurrent stop() calls share it. */
      readonly done: Promise<ExitInfo>;
    }
  | {
      readonly status: 'exited';
      readonly pid: number;
      readonly exit: ExitInfo;
      /**
       * Ending the grandchildren an app that exited on its own left behind (they would keep
       * its port); the next stop() waits for it.
       */
      readonly cleanup: Promise<void> | undefined;
    }
  /** The group survived SIGKILL (RUN_UNKILLABLE): gohot gave up on it. */
  | { readonly status: 'abandoned'; readonly pid: number };

/** What to start. */
export interface StartSpec {
  /** The program: an absolute path, or a path relative to `cwd`. PATH is not searched. */
  readonly binary: string;
  readonly args: readonly string[];
  /** Full environment of the child. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * `tap`: the app's stdout and stderr pass through gohot (forwarded as they arrive) so its
   * lines can be matched (`run.ready.log`); the app then writes to pipes, not a terminal.
   * @default 'inherit'
   */
  readonly output?: 'inherit' | 'tap';
}

/**
 * Listening sockets gohot holds for the app (`run.listen`) and passes to every app process
 * it starts, by the systemd socket-activation protocol.
 */
export interface HeldSockets {
  /** gohot's descriptors, in order: the app gets them as 3, 4, ... */
  readonly fds: readonly number[];
  /** LISTEN_FDNAMES, in the same order. */
  readonly names: readonly string[];
  /** Where each one listens, as bound (a port 0 resolved). */
  readonly addresses: readonly { readonly host: string; readonly port: number }[];
  /** Closes gohot's descriptors (the sockets end once no app holds them either). */
  close(): void;
}

/** Options of createSupervisor. */
export interface SupervisorOptions {
  /** Signal sent to the process group on stop. @default 'SIGTERM' */
  readonly stopSignal?: NodeJS.Signals;
  /** How long to wait after stopSignal before SIGKILL of the group. @default 3000 */
  readonly stopTimeoutMs?: number;
  /** Called when the app exits on its own (not because gohot stopped it). */
  readonly onUnexpectedExit?: (exit: ExitInfo, pid: number) => void;
  /**
   * stdio for the child; 'pipe' makes the output readable from state().app.child (tests);
   * 'stderr' sends its stdout to gohot's stderr (stdout carries `--reporter json`).
   * @default 'inherit'
   */
  readonly stdio?: 'inherit' | 'pipe' | 'stderr';
  /** Where a tapped app's output is forwarded. @default process.stdout and process.stderr */
  readonly sinks?: { readonly stdout: Writable; readonly stderr: Writable };
  /**
   * Keep the app's last output lines here (for the browser overlay): its output is piped
   * through gohot to where it would have gone. @default none
   */
  readonly tail?: OutputTail;
  /** Sockets every app process gets (socket activation). @default none */
  readonly listeners?: Pick<HeldSockets, 'fds' | 'names'>;
}

/** Runs one app process at a time in its own process group. */
export interface Supervisor {
  state(): RunState;
  /** Starts the app; the previous one must be stopped first. Returns the pid. */
  start(spec: StartSpec): number;
  /**
   * Stops the current app's whole process group and waits until it is gone; resolves undefined
   * when nothing was running. Concurrent calls share one stop.
   */
  stop(): Promise<ExitInfo | undefined>;
  /** Changes the signal and grace period of the next stop (a config reload). */
  setStopPolicy(stopSignal: NodeJS.Signals, stopTimeoutMs: number): void;
}
