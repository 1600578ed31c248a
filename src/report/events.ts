import type { ChangeDecision, ChangeReason } from '../classify/classify.js';
import type { KeepAppReason, RestartReason } from '../compile/swap.js';
import type { HookName } from '../config/types.js';
import type { GoTraceSpan } from '../go/debug-trace.js';
import type { Diagnostic } from '../go/types.js';
import type { ReadyHow, ReadyOutcome } from '../run/readiness.js';
import type { RunEnd } from '../run/runner.js';
import type { ExitInfo } from '../run/types.js';
import type {
  Batch,
  CancelReason,
  CycleOutcome,
  KeepReason,
  Trigger,
} from '../schedule/scheduler.js';
import type {
  DirSkipReason,
  FileChange,
  FileVerdict,
  RootStatus,
  WatchObservation,
} from '../watch/types.js';

/** An error as a value: its stable code (when it is a GohotError), message and hint. */
export interface ErrorInfo {
  readonly code: string | undefined;
  readonly message: string;
  readonly hint: string | undefined;
}

/** Where the time of one reload went, in monotonic ms. */
export interface ReloadTimings {
  /** From the first trigger seen to the cycle's start: the quiet window, and any wait for a busy cycle. */
  readonly quietWindowMs: number;
  readonly buildMs: number;
  /** Stopping the previous app (0 when none ran). */
  readonly stopMs: number;
  /** Spawning the new one. */
  readonly startMs: number;
  /** From the spawn until the app was ready; undefined when it never was (see `ready`). */
  readonly readyMs: number | undefined;
}

/** Why gohot is stopping. */
export type StopReason =
  | { readonly by: 'signal'; readonly signal: NodeJS.Signals }
  /** gohot's terminal or the reader of its output went away (EIO, EPIPE). */
  | { readonly by: 'output-closed'; readonly stream: 'stdout' | 'stderr'; readonly code: string }
  | { readonly by: 'request' };

/**
 * A decision one stage made, with its reason as a value. `subject` is what was decided about:
 * an absolute path for the watch and classify stages, a generation for schedule and build.
 */
export type Decision =
  | {
      readonly stage: 'watch';
      readonly action: 'skip-dir';
      readonly subject: string;
      readonly reason: DirSkipReason;
    }
  | {
      readonly stage: 'watch';
      readonly action: 'skip-file';
      readonly subject: string;
      readonly reason: FileVerdict['reason'];
    }
  | {
      readonly stage: 'watch';
      readonly action: 'skip-unchanged';
      readonly subject: string;
      readonly reason: { readonly by: 'same-content'; readonly via: 'event' | 'poll' };
    }
  | {
      readonly stage: 'classify';
      readonly action: ChangeDecision['action'];
      readonly subject: string;
      readonly reason: ChangeReason;
      readonly change: ChangeDecision['change'];
      /** The model is listed again because of this change. */
      readonly relist: boolean;
    }
  | {
      /** `skip`: no build at all; `drop`: the build goes on for the other files. */
      readonly stage: 'build';
      readonly action: 'skip' | 'drop';
      readonly subject: number;
      readonly reason: { readonly by: 'no-net-change'; readonly files: readonly string[] };
    }
  | {
      readonly stage: 'schedule';
      readonly action: 'queue';
      readonly subject: Trigger;
      readonly reason: { readonly quietWindowMs: number };
    }
  | {
      readonly stage: 'schedule';
      readonly action: 'start';
      readonly subject: number;
      readonly batch: Batch;
      /** Started at once (watch.leadingEdge): an input within the window cancels it. */
      readonly reason?: { readonly by: 'leading-edge'; readonly quietWindowMs: number };
    }
  | {
      readonly stage: 'schedule' | 'build';
      readonly action: 'cancel';
      readonly subject: number;
      readonly reason: CancelReason;
      /** For the build stage: how long the build had run. */
      readonly durationMs?: number;
    }
  | {
      readonly stage: 'schedule';
      readonly action: 'keep';
      readonly subject: number;
      readonly reason: KeepReason;
    }
  /** After a successful build: the new binary is the program that runs, so the app stays. */
  | {
      readonly stage: 'build';
      readonly action: 'keep';
      readonly subject: number;
      readonly reason: KeepAppReason;
      readonly batch: Batch;
      /** The app that keeps running. */
      readonly pid: number;
      /** How long the build took. */
      readonly durationMs: number;
    }
  /** After a successful build: the app is (re)started, and why (not-running, binary-changed ...). */
  | {
      readonly stage: 'build';
      readonly action: 'restart';
      readonly subject: number;
      readonly reason: RestartReason;
    }
  | {
      readonly stage: 'schedule';
      readonly action: 'finish';
      readonly subject: number;
      readonly outcome: CycleOutcome;
    }
  | {
      readonly stage: 'schedule';
      readonly action: 'requeue';
      readonly subject: number;
      readonly triggers: number;
    }
  /** Build inputs were still being written: the pending batch (cycle `subject`) waits. */
  | {
      readonly stage: 'schedule';
      readonly action: 'hold';
      readonly subject: number;
      readonly reason: { readonly by: 'inputs-written'; readonly maxHoldMs: number };
    }
  /**
   * A build failed while files it reads changed under it (a checkout still writing): its
   * errors may come from half-written files, so its batch is built again instead of reported.
   */
  | {
      readonly stage: 'build';
      readonly action: 'retry';
      readonly subject: number;
      readonly reason: {
        readonly by: 'inputs-changed-while-failing';
        readonly files: readonly string[];
      };
    };

/**
 * Everything the session tells the outside world, as values. Reporters (terminal today,
 * NDJSON and the trace later) consume them; only they turn them into words, none of them
 * decides anything. `time` is monotonic (performance.now(), ms).
 */
export type SessionEventBody =
  | {
      readonly type: 'started';
      readonly goVersion: string;
      readonly moduleRoot: string;
      readonly mainPackage: string;
      readonly configSource: string | undefined;
      /** The directory the app is built into; files the app keeps beside it stay there. */
      readonly runDir: string;
      readonly roots: readonly RootStatus[];
      readonly trackedFiles: number;
      /** Subtrees of native roots polled because a watch could not be added (limits). */
      readonly polledSubtrees: number;
      /** A `.air.toml` in a module without gohot.json: `gohot init --from-air` converts it. */
      readonly airConfig?: string | undefined;
    }
  | ({ readonly type: 'decision' } & Decision)
  | { readonly type: 'watch'; readonly observation: WatchObservation }
  | {
      readonly type: 'build-started';
      readonly generation: number;
      readonly files: readonly string[];
    }
  | {
      readonly type: 'build-failed';
      readonly batch: Batch;
      readonly diagnostics: readonly Diagnostic[];
      readonly text: string;
      readonly durationMs: number;
      /** Pid of the previous app that keeps serving, if any. */
      readonly keptPid: number | undefined;
    }
  /** A generator rule of `rules` started for a batch. */
  | { readonly type: 'rule-started'; readonly generation: number; readonly rule: string }
  /** A rule failed: the cycle ends like a failed build, the old app keeps running. */
  | {
      readonly type: 'rule-failed';
      readonly batch: Batch;
      readonly rule: string;
      readonly end: Exclude<RunEnd, { status: 'cancelled' }>;
      /** The rule's output, stdout and stderr as they arrived. */
      readonly text: string;
      readonly durationMs: number;
      readonly keptPid: number | undefined;
    }
  /** A line a hook command printed. */
  | {
      readonly type: 'hook-output';
      readonly hook: HookName;
      readonly stream: 'stdout' | 'stderr';
      readonly text: string;
    }
  /** A hook command failed; `keptPid`: the app that keeps running (beforeBuild, beforeStart). */
  | {
      readonly type: 'hook-failed';
      readonly hook: HookName;
      readonly command: readonly string[];
      readonly end: Exclude<RunEnd, { status: 'cancelled' }>;
      readonly keptPid: number | undefined;
    }
  /** A newer change (or shutdown) killed a running rule's process group. */
  | {
      readonly type: 'rule-cancelled';
      readonly generation: number;
      readonly rule: string;
      readonly reason: CancelReason;
    }
  /**
   * A build restarted the app. Reported once the app is ready (or its readiness check gave
   * up), so `timings` are complete; without a check, right after the spawn.
   */
  | {
      readonly type: 'reloaded';
      readonly batch: Batch;
      /** How long the rules ran before the build, when some did. */
      readonly rulesMs?: number;
      readonly buildMs: number;
      /** Stop of the old app and start of the new one. */
      readonly restartMs: number;
      readonly pid: number;
      readonly first: boolean;
      readonly timings: ReloadTimings;
      readonly ready: ReadyOutcome;
    }
  /** Lines go build printed as it compiled packages: `done` of `total` (undefined: unknown). */
  | {
      readonly type: 'build-progress';
      readonly generation: number;
      readonly done: number;
      readonly total: number | undefined;
      readonly elapsedMs: number;
    }
  /** gohot is about to stop the app (a restart): a proxy holds new requests from now on. */
  | { readonly type: 'app-stopping'; readonly pid: number; readonly signal: NodeJS.Signals }
  /** `sigkill`: the grace period ran out and the group was killed. */
  | {
      readonly type: 'app-stopped';
      readonly pid: number;
      readonly durationMs: number;
      readonly sigkill: boolean;
    }
  | { readonly type: 'app-started'; readonly pid: number }
  /** `ms`: from the spawn until the check answered. */
  | {
      readonly type: 'app-ready';
      readonly pid: number;
      readonly how: ReadyHow;
      readonly ms: number;
    }
  /** Only restart-only files changed: the app was restarted with the binary it had. */
  | {
      readonly type: 'restarted';
      readonly batch: Batch;
      readonly restartMs: number;
      readonly pid: number;
    }
  | { readonly type: 'app-exited'; readonly exit: ExitInfo; readonly pid: number }
  /** Only `proxy.reloadOnly` files changed: pages reload (or swap stylesheets), no build. */
  | { readonly type: 'assets-changed'; readonly files: readonly string[] }
  /** gohot holds these listening sockets (run.listen) and passes them to every app it starts. */
  | {
      readonly type: 'sockets-held';
      readonly sockets: readonly {
        readonly name: string;
        readonly host: string;
        readonly port: number;
      }[];
    }
  /** The browser live-reload proxy listens on `url` and forwards to `target`. */
  | { readonly type: 'proxy-listening'; readonly url: string; readonly target: string }
  | { readonly type: 'orphan-reaped'; readonly appPid: number; readonly gohotPid: number }
  | {
      readonly type: 'config-reloaded';
      readonly changed: readonly string[];
      /** Changed keys read at start-up only: they take effect when gohot starts again. */
      readonly atNextStart: readonly string[];
    }
  /** A config edit was rejected; the last good config stays in effect. */
  | { readonly type: 'config-rejected'; readonly error: ErrorInfo }
  /** A new "main" could not be resolved; the running package is kept. */
  | { readonly type: 'main-kept'; readonly error: ErrorInfo; readonly main: string }
  | { readonly type: 'roots-changed'; readonly roots: readonly string[] }
  /** go list answered: the packages the binary is built from (`editable`: the user's own). */
  | {
      readonly type: 'model-listed';
      readonly packages: number;
      readonly editable: number;
      readonly files: number;
      readonly errors: readonly { readonly importPath: string; readonly message: string }[];
      readonly durationMs: number;
      readonly first: boolean;
    }
  /** How the watcher splits its files once the graph is known: hashed, or by existence only. */
  | {
      readonly type: 'tiers';
      readonly hot: number;
      readonly cold: number;
      readonly pollIntervals: { readonly hotMs: number; readonly coldMs: number } | undefined;
      readonly first: boolean;
    }
  /** go list could not list the main package; `kept`: the last good model stays in effect. */
  | {
      readonly type: 'model-kept';
      readonly reason: {
        readonly by: 'main-not-found' | 'main-error' | 'list-failed';
        readonly error: string | undefined;
      };
      readonly kept: boolean;
    }
  /** A reaction (config reload, project refresh) or a whole cycle failed and was survived. */
  | {
      readonly type: 'failed';
      readonly during: 'config-reload' | 'project-refresh' | 'cycle';
      readonly generation: number | undefined;
      readonly error: ErrorInfo;
    }
  | { readonly type: 'stopping'; readonly reason: StopReason }
  /** A watcher is up: its roots walked, watched (or polled) and snapshotted. */
  | {
      readonly type: 'watcher-started';
      readonly roots: readonly RootStatus[];
      /** Directories with a native watch (inotify watches added, in aggregate). */
      readonly watchedDirs: number;
      readonly trackedFiles: number;
      /** Trees the poller sweeps: polled roots and subtrees that fell back to polling. */
      readonly polledTrees: number;
      /** From creating the watcher to ready. */
      readonly durationMs: number;
    }
  /** A watcher released every watch (new roots or patterns replace it, or gohot stops). */
  | {
      readonly type: 'watcher-stopped';
      readonly roots: readonly string[];
      /** Native watches released. */
      readonly watchedDirs: number;
      /** Changes its reconciliation found that no native event had announced. */
      readonly misses: number;
    }
  /** Verified changes as the watcher delivered them, before classification. */
  | { readonly type: 'changes-observed'; readonly changes: readonly FileChange[] }
  /** go list starts listing the package graph (ends with model-listed or model-kept). */
  | { readonly type: 'model-list-started'; readonly first: boolean }
  /** go build succeeded; what happens to the app follows as a decision. */
  | {
      readonly type: 'build-finished';
      readonly generation: number;
      readonly durationMs: number;
      /** The binary written. */
      readonly output: string;
    }
  /**
   * The go command's own trace of a build (`-debug-trace`, only while a trace is written),
   * emitted before the build's outcome; spans start at the go trace's first event.
   */
  | {
      readonly type: 'build-trace';
      readonly generation: number;
      readonly spans: readonly GoTraceSpan[];
    }
  /** The session is over: the app is stopped and the temporary files are gone. */
  | { readonly type: 'ended' };

/** A session event with its monotonic time stamp. */
export type SessionEvent = SessionEventBody & { readonly time: number };

/** A consumer of session events. */
export interface Reporter {
  report(event: SessionEvent): void;
}

/** Turns any thrown value into an ErrorInfo (code and hint from a GohotError). */
export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    const hint = 'hint' in err && typeof err.hint === 'string' ? err.hint : undefined;
    return { code, message: err.message, hint };
  }
  return { code: undefined, message: String(err), hint: undefined };
}

/** Stamps events with a monotonic time and hands them to a reporter. */
export type Emit = (event: SessionEventBody) => void;

/** Creates the one emitter of a session. */
export function createEmitter(
  reporter: Reporter,
  now: () => number = () => performance.now(),
): Emit {
  return (event) => reporter.report({ ...event, time: now() } as SessionEvent);
}
