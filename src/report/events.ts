import type { Diagnostic } from '../go/types.js';
import type { ExitInfo } from '../run/types.js';
import type { RootStatus } from '../watch/types.js';

/**
 * Everything the session tells the outside world. Reporters (terminal today, NDJSON and
 * the trace later) consume these values; none of them decides anything.
 */
export type SessionEvent =
  | {
      readonly type: 'started';
      readonly goVersion: string;
      readonly moduleRoot: string;
      readonly mainPackage: string;
      readonly configSource: string | undefined;
      readonly roots: readonly RootStatus[];
      readonly trackedFiles: number;
      /** Subtrees of native roots polled because a watch could not be added (limits). */
      readonly polledSubtrees: number;
    }
  | {
      readonly type: 'build-started';
      readonly generation: number;
      readonly files: readonly string[];
    }
  | {
      readonly type: 'build-failed';
      readonly generation: number;
      readonly files: readonly string[];
      readonly trigger: string;
      readonly diagnostics: readonly Diagnostic[];
      readonly text: string;
      readonly durationMs: number;
      /** Pid of the previous app that keeps serving, if any. */
      readonly keptPid: number | undefined;
    }
  | {
      readonly type: 'reloaded';
      readonly generation: number;
      readonly trigger: string;
      readonly buildMs: number;
      readonly restartMs: number;
      readonly pid: number;
      readonly first: boolean;
    }
  | { readonly type: 'app-exited'; readonly exit: ExitInfo; readonly pid: number }
  | { readonly type: 'config-reloaded'; readonly changed: readonly string[] }
  | { readonly type: 'info'; readonly message: string }
  | {
      readonly type: 'warning';
      readonly message: string;
      readonly hint?: string | undefined;
    }
  | {
      readonly type: 'debug';
      readonly stage: 'watch' | 'classify' | 'schedule' | 'build' | 'run';
      readonly message: string;
    }
  | { readonly type: 'stopping'; readonly reason: string };

/** A consumer of session events. */
export interface Reporter {
  report(event: SessionEvent): void;
}
