/** How an app process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when gohot stopped it (restart or shutdown), false when it exited on its own. */
  readonly requested: boolean;
  /** True when the grace period ran out and the group was SIGKILLed. */
  readonly killed: boolean;
  /**
   * Pids of the app's process group that were still alive after the app itself exited
   * (grandchildren); they were waited for and, past the grace period, SIGKILLed. Linux only.
   */
  readonly strays?: readonly number[];
}

/** The supervisor's state machine. */
export type RunState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly pid: number; readonly startedAt: number }
  | { readonly status: 'stopping'; readonly pid: number; readonly deadline: number }
  | { readonly status: 'exited'; readonly exit: ExitInfo };

/** What to start. */
export interface StartSpec {
  readonly binary: string;
  readonly args: readonly string[];
  /** Full environment of the child. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Options of createSupervisor. */
export interface SupervisorOptions {
  /** Signal sent to the process group on stop. @default 'SIGTERM' */
  readonly stopSignal?: NodeJS.Signals;
  /** How long to wait after stopSignal before SIGKILL of the group. @default 3000 */
  readonly stopTimeoutMs?: number;
  /** Called when the app exits on its own (not because gohot stopped it). */
  readonly onUnexpectedExit?: (exit: ExitInfo, pid: number) => void;
  /** stdio for the child. @default 'inherit' */
  readonly stdio?: 'inherit' | 'pipe';
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
  /** The child of the current app when stdio is 'pipe' (tests). */
  child(): import('node:child_process').ChildProcess | undefined;
}
