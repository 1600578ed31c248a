/**
 * After a successful build: does the app need a restart, or is the new binary the program
 * that already runs? Pure: the caller reads the build IDs (`identifyBinary`) and the
 * supervisor's state.
 */

/** A problem as a value (the shape of a GohotError: code, message, hint). */
export interface ProblemInfo {
  readonly code: string | undefined;
  readonly message: string;
  readonly hint: string | undefined;
}

/** What a binary is, as far as a restart is concerned: its content ID, or why it is unknown. */
export type BinaryIdentity =
  | { readonly known: true; readonly contentId: string }
  | { readonly known: false; readonly problem: ProblemInfo };

/** The settings an app was started with besides its binary (the directory never changes). */
export interface RunSettings {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The app gohot started and still runs: its pid, binary and settings. */
export interface StartedApp {
  readonly pid: number;
  readonly binary: BinaryIdentity;
  readonly settings: RunSettings;
}

/** Why the running app is kept after a build. */
export type KeepAppReason = { readonly by: 'identical-binary'; readonly contentId: string };

/** Why the app is (re)started after a build. */
export type RestartReason =
  /** No app runs: the first start, or the last one exited on its own (it crashed). */
  | { readonly by: 'not-running' }
  /** The build was asked for (`r` + Enter): the user wants a fresh process. */
  | { readonly by: 'requested' }
  /** Files the app reads at start-up changed (`watch.restartOnly`): it must start again. */
  | { readonly by: 'restart-only-change' }
  /** `run.args` or `run.env` changed: the same binary must run with the new ones. */
  | { readonly by: 'run-settings-changed' }
  /** A build ID could not be read (of the new binary, or of the running one when it started). */
  | {
      readonly by: 'build-id-unreadable';
      readonly of: 'new' | 'running';
      readonly problem: ProblemInfo;
    }
  | { readonly by: 'binary-changed'; readonly from: string; readonly to: string };

/** Keep the running app, or restart it, with the reason. */
export type SwapDecision =
  | { readonly action: 'keep'; readonly pid: number; readonly reason: KeepAppReason }
  | { readonly action: 'restart'; readonly reason: RestartReason };

/** What {@link decideSwap} looks at. */
export interface SwapInput {
  /** The app that runs now, as it was started; undefined when none runs. */
  readonly running: StartedApp | undefined;
  /** The binary just built. */
  readonly built: BinaryIdentity;
  /** The settings the app would be started with now. */
  readonly settings: RunSettings;
  /** The batch holds a manual rebuild. */
  readonly requested: boolean;
  /** The batch holds a change of files the app reads at start-up. @default false */
  readonly restartOnly?: boolean;
}

/**
 * Keeps the running app when the new binary has the content ID of the one it was started
 * from (the same program: docs/facts.md#build-ids) and nothing else about the start
 * changed. A crashed app is started again even then, a requested rebuild restarts, and a
 * build ID that cannot be read restarts as if the binary had changed.
 */
export function decideSwap(input: SwapInput): SwapDecision {
  const { running, built } = input;
  const restart = (reason: RestartReason): SwapDecision => ({ action: 'restart', reason });
  if (running === undefined) return restart({ by: 'not-running' });
  if (input.requested) return restart({ by: 'requested' });
  if (input.restartOnly === true) return restart({ by: 'restart-only-change' });
  if (!sameSettings(running.settings, input.settings))
    return restart({ by: 'run-settings-changed' });
  if (!built.known)
    return restart({ by: 'build-id-unreadable', of: 'new', problem: built.problem });
  const before = running.binary;
  if (!before.known) {
    return restart({ by: 'build-id-unreadable', of: 'running', problem: before.problem });
  }
  if (before.contentId !== built.contentId) {
    return restart({ by: 'binary-changed', from: before.contentId, to: built.contentId });
  }
  return {
    action: 'keep',
    pid: running.pid,
    reason: { by: 'identical-binary', contentId: built.contentId },
  };
}

function sameSettings(a: RunSettings, b: RunSettings): boolean {
  if (a.args.length !== b.args.length || a.args.some((arg, i) => arg !== b.args[i])) return false;
  const aKeys = Object.keys(a.env);
  return aKeys.length === Object.keys(b.env).length && aKeys.every((k) => b.env[k] === a.env[k]);
}
