import type { TestRunReason } from '../go/test-graph.js';
import type { PackageResult } from '../go/test-json.js';
import type { Diagnostic } from '../go/types.js';
import type { Batch, CancelReason } from '../schedule/scheduler.js';
import type { TestPlan } from '../testrun/plan-run.js';
import type { RootStatus } from '../watch/types.js';
import type { SessionEventBody } from './events.js';

/** One package of a finished test run: its result, where it lives, and why it ran. */
export interface PackageRun extends PackageResult {
  /** Absolute directory (test output names files relative to it). */
  readonly dir: string | undefined;
  readonly reason: TestRunReason;
}

/**
 * What `gohot test` tells the outside world beyond the session events it shares with
 * `gohot run` (decisions, watcher observations, go list). Values, worded by
 * report/test-text.ts; a JSON reporter can pass them through as they are.
 */
export type TestEventBody =
  | {
      readonly type: 'test-session-started';
      readonly goVersion: string;
      readonly moduleRoot: string;
      /** The package patterns as given (`./...` by default). */
      readonly patterns: readonly string[];
      readonly configSource: string | undefined;
      readonly roots: readonly RootStatus[];
      readonly trackedFiles: number;
    }
  | {
      readonly type: 'test-run-started';
      readonly batch: Batch;
      readonly plan: TestPlan & { readonly action: 'run' };
      /** The go command lines, without the go binary. */
      readonly commands: readonly (readonly string[])[];
    }
  | {
      readonly type: 'test-run-finished';
      readonly batch: Batch;
      readonly request: (TestPlan & { readonly action: 'run' })['request'];
      readonly packages: readonly PackageRun[];
      /** Selected packages this change cannot affect. */
      readonly skipped: readonly string[];
      /** Test binaries that did not build, and go's own errors. */
      readonly diagnostics: readonly Diagnostic[];
      readonly durationMs: number;
    }
  | {
      readonly type: 'test-run-cancelled';
      readonly generation: number;
      readonly reason: CancelReason;
      readonly durationMs: number;
    }
  /** The batch runs nothing; the reason says why. */
  | {
      readonly type: 'test-run-skipped';
      readonly batch: Batch;
      readonly reason:
        | (TestPlan & { readonly action: 'nothing' })['reason']
        | { readonly by: 'no-net-change'; readonly files: readonly string[] };
    }
  | {
      readonly type: 'test-run-not-started';
      readonly generation: number;
      readonly message: string;
    };

/** Everything a test session emits, with its monotonic time stamp. */
export type TestSessionEvent = (SessionEventBody | TestEventBody) & { readonly time: number };

/** A consumer of test session events. */
export interface TestReporter {
  report(event: TestSessionEvent): void;
}

/** Stamps events and hands them to a test reporter. */
export type TestEmit = (event: SessionEventBody | TestEventBody) => void;

/** Creates the one emitter of a test session. */
export function createTestEmitter(
  reporter: TestReporter,
  now: () => number = () => performance.now(),
): TestEmit {
  return (event) => reporter.report({ ...event, time: now() } as TestSessionEvent);
}
