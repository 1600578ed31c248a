import { parseBuildText } from '../go/diagnostics.js';
import {
  parseTestLine,
  type TestEvent,
  type TestTally,
  TestTallyBuilder,
} from '../go/test-json.js';
import type { Diagnostic } from '../go/types.js';
import { runCommand } from '../run/runner.js';

/** One `go test -json` invocation. */
export interface TestSpec {
  readonly goBin: string;
  /** Directory go test runs in (the module root). */
  readonly cwd: string;
  /** Import paths (or patterns) to test. */
  readonly packages: readonly string[];
  /** `-run` pattern (the failed tests); the user's own flags come before it. */
  readonly run: string | undefined;
  /** The go test flags the user gave after `--`, verbatim. */
  readonly flags: readonly string[];
  readonly tags: readonly string[];
  /** Full environment of the go process. */
  readonly env: NodeJS.ProcessEnv;
}

/** How a test run ended; failing tests are a finished run, not an error. */
export type TestRunResult =
  | {
      readonly status: 'finished';
      readonly tally: TestTally;
      /** Compiler errors of test binaries that did not build, and go's own errors. */
      readonly diagnostics: readonly Diagnostic[];
      readonly exitCode: number | null;
      readonly durationMs: number;
    }
  | { readonly status: 'cancelled'; readonly reason: unknown; readonly durationMs: number }
  | { readonly status: 'not-started'; readonly message: string; readonly durationMs: number };

/**
 * The go command line for `spec`, without the go binary:
 * `test -json [-tags a,b] ...flags [-run pattern] packages`. Go's test cache is used as it
 * is: gohot never adds -count=1.
 */
export function testArgs(spec: TestSpec): string[] {
  const args = ['test', '-json'];
  if (spec.tags.length > 0) args.push('-tags', spec.tags.join(','));
  args.push(...spec.flags);
  if (spec.run !== undefined) args.push('-run', spec.run);
  // No "--": go test passes everything after it to the test binaries, packages included.
  args.push(...spec.packages);
  return args;
}

/**
 * Runs `go test -json` in its own process group and folds its events as they arrive
 * (`onEvent` sees each one). Aborting `signal` SIGKILLs go, the compilers and every test
 * binary at once; the promise settles once the group is empty.
 */
export async function runTests(
  spec: TestSpec,
  signal: AbortSignal,
  onEvent?: (event: TestEvent) => void,
): Promise<TestRunResult> {
  const tally = new TestTallyBuilder();
  const r = await runCommand(
    { command: spec.goBin, args: testArgs(spec), cwd: spec.cwd, env: spec.env },
    {
      signal,
      stop: { kind: 'kill' },
      onLine: (line) => {
        if (line === '') return;
        const event = parseTestLine(line);
        if (event === undefined) return;
        tally.add(event);
        onEvent?.(event);
      },
    },
  );
  if (r.status === 'cancelled') {
    return { status: 'cancelled', reason: r.reason, durationMs: r.durationMs };
  }
  if (r.status === 'not-started') {
    const message = r.error instanceof Error ? r.error.message : String(r.error);
    return {
      status: 'not-started',
      message: `go test could not start: ${message}`,
      durationMs: r.durationMs,
    };
  }
  const result = tally.result();
  // Build output is go build's text (as JSON events since Go 1.24, on stderr before).
  const text = `${result.buildOutput}${result.text.map((l) => `${l}\n`).join('')}`;
  return {
    status: 'finished',
    tally: result,
    diagnostics: parseBuildText(text, spec.cwd),
    exitCode: r.status === 'exited' ? r.code : null,
    durationMs: r.durationMs,
  };
}
