// `go test -json` output (cmd/test2json): one JSON object per line, with Action, Package,
// Test, Output and Elapsed (seconds). Since Go 1.24 the build output of a test binary is
// JSON too, with ImportPath and Action build-output / build-fail
// (docs/facts.md#go-test-json). Everything here is pure.

/** How one test or package ended. */
export type TestOutcome = 'pass' | 'fail' | 'skip';

/** One line of `go test -json` output as a typed value. */
export type TestEvent =
  | { readonly type: 'package-start'; readonly pkg: string }
  | { readonly type: 'test-run'; readonly pkg: string; readonly test: string }
  /** Output of a test (`test` set) or of the package (the summary lines, a panic in init). */
  | {
      readonly type: 'output';
      readonly pkg: string;
      readonly test: string | undefined;
      readonly output: string;
    }
  | {
      readonly type: 'test-end';
      readonly pkg: string;
      readonly test: string;
      readonly outcome: TestOutcome;
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'package-end';
      readonly pkg: string;
      readonly outcome: TestOutcome;
      readonly elapsedMs: number;
      /** The test binary that failed to build (`FailedBuild`), if that is why it failed. */
      readonly failedBuild: string | undefined;
    }
  /** Compiler output of a test binary's build; `importPath` like `x [x.test]`. */
  | { readonly type: 'build-output'; readonly importPath: string; readonly output: string }
  | { readonly type: 'build-fail'; readonly importPath: string }
  /** A line that is not a test2json event (go's own errors on stderr, an old go's build output). */
  | { readonly type: 'text'; readonly line: string };

interface RawEvent {
  readonly Action?: unknown;
  readonly Package?: unknown;
  readonly ImportPath?: unknown;
  readonly Test?: unknown;
  readonly Output?: unknown;
  readonly Elapsed?: unknown;
  readonly FailedBuild?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ms = (v: unknown): number => (typeof v === 'number' ? Math.round(v * 1000) : 0);

/**
 * Parses one line of `go test -json` output. Actions gohot does not use (pause, cont,
 * bench, attr) come back undefined; a line that is not a JSON object is `text`.
 */
export function parseTestLine(line: string): TestEvent | undefined {
  let raw: RawEvent;
  try {
    const v: unknown = line.startsWith('{') ? JSON.parse(line) : undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { type: 'text', line };
    raw = v as RawEvent;
  } catch {
    return { type: 'text', line };
  }
  const action = str(raw.Action);
  const pkg = str(raw.Package);
  const test = str(raw.Test);
  const importPath = str(raw.ImportPath);
  if (action === 'build-output' && importPath !== undefined) {
    return { type: 'build-output', importPath, output: str(raw.Output) ?? '' };
  }
  if (action === 'build-fail' && importPath !== undefined)
    return { type: 'build-fail', importPath };
  if (pkg === undefined) return undefined;
  switch (action) {
    case 'start':
      return { type: 'package-start', pkg };
    case 'run':
      return test === undefined ? undefined : { type: 'test-run', pkg, test };
    case 'output':
      return { type: 'output', pkg, test, output: str(raw.Output) ?? '' };
    case 'pass':
    case 'fail':
    case 'skip':
      return test === undefined
        ? {
            type: 'package-end',
            pkg,
            outcome: action,
            elapsedMs: ms(raw.Elapsed),
            failedBuild: str(raw.FailedBuild),
          }
        : { type: 'test-end', pkg, test, outcome: action, elapsedMs: ms(raw.Elapsed) };
    default:
      return undefined;
  }
}

/** A test that failed, with what it printed. */
export interface TestFailure {
  readonly pkg: string;
  /** Full name, subtests joined by "/" as go prints them ("TestA/case_1"). */
  readonly test: string;
  /** Its output lines without `=== RUN` / `--- FAIL` framing. */
  readonly output: readonly string[];
  /** True when a subtest of it failed too (its own failure is then mostly theirs). */
  readonly hasFailedSubtests: boolean;
}

/** How one package's tests went. */
export type PackageOutcome =
  | 'pass'
  | 'fail'
  /** No test files, or every test skipped. */
  | 'skip'
  /** The test binary did not build; `buildOutput` has the compiler's words. */
  | 'build-failed';

/** One package of a test run. */
export interface PackageResult {
  readonly pkg: string;
  readonly outcome: PackageOutcome;
  /** Go's test cache answered (`ok pkg (cached)`). */
  readonly cached: boolean;
  readonly elapsedMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly TestFailure[];
  /** Output of the package outside any test (a panic in init, `FAIL` lines are dropped). */
  readonly output: readonly string[];
}

/** Everything a test run printed, folded into results. */
export interface TestTally {
  readonly packages: readonly PackageResult[];
  /** Compiler output per failed test binary build, joined; empty when everything built. */
  readonly buildOutput: string;
  /** Lines that were not events (go's own errors). */
  readonly text: readonly string[];
}

interface PackageState {
  outcome: PackageOutcome | undefined;
  cached: boolean;
  elapsedMs: number;
  passed: number;
  failed: number;
  skipped: number;
  readonly testOutput: Map<string, string[]>;
  readonly failedTests: string[];
  readonly output: string[];
}

const FRAMING = /^(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP):)\s/;
const PACKAGE_SUMMARY = /^(PASS|FAIL|ok\s|FAIL\s|\?\s|testing: warning: no tests to run)/;

/** Folds events into a {@link TestTally}; add events in the order go printed them. */
export class TestTallyBuilder {
  readonly #packages = new Map<string, PackageState>();
  #buildOutput = '';
  readonly #text: string[] = [];

  add(event: TestEvent): void {
    switch (event.type) {
      case 'build-output':
        this.#buildOutput += event.output;
        return;
      case 'build-fail':
        return;
      case 'text':
        if (event.line.trim() !== '') this.#text.push(event.line);
        return;
      default:
        break;
    }
    const p = this.#pkg(event.pkg);
    switch (event.type) {
      case 'package-start':
      case 'test-run':
        return;
      case 'output': {
        const line = event.output.replace(/\n$/, '');
        if (event.test !== undefined) {
          if (FRAMING.test(line.trimStart())) return;
          const lines = p.testOutput.get(event.test) ?? [];
          lines.push(line);
          p.testOutput.set(event.test, lines);
          return;
        }
        if (/^ok\s.*\(cached\)/.test(line)) p.cached = true;
        if (!PACKAGE_SUMMARY.test(line) && line !== '') p.output.push(line);
        return;
      }
      case 'test-end':
        if (event.outcome === 'pass') p.passed++;
        else if (event.outcome === 'skip') p.skipped++;
        else {
          p.failed++;
          p.failedTests.push(event.test);
        }
        return;
      case 'package-end':
        p.elapsedMs = event.elapsedMs;
        p.outcome = event.failedBuild !== undefined ? 'build-failed' : event.outcome;
        return;
    }
  }

  #pkg(pkg: string): PackageState {
    let p = this.#packages.get(pkg);
    if (p === undefined) {
      p = {
        outcome: undefined,
        cached: false,
        elapsedMs: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        testOutput: new Map(),
        failedTests: [],
        output: [],
      };
      this.#packages.set(pkg, p);
    }
    return p;
  }

  /** The tally so far; a package without an end event (the run was stopped) counts as failed. */
  result(): TestTally {
    const packages = [...this.#packages].map(([pkg, p]): PackageResult => {
      const failures = p.failedTests.map(
        (test): TestFailure => ({
          pkg,
          test,
          output: p.testOutput.get(test) ?? [],
          hasFailedSubtests: p.failedTests.some((t) => t.startsWith(`${test}/`)),
        }),
      );
      return {
        pkg,
        outcome: p.outcome ?? 'fail',
        cached: p.cached,
        elapsedMs: p.elapsedMs,
        passed: p.passed,
        failed: p.failed,
        skipped: p.skipped,
        failures,
        output: p.output,
      };
    });
    return { packages, buildOutput: this.#buildOutput, text: this.#text };
  }
}

/** Parses a whole captured `go test -json` output into a tally. */
export function tallyTestOutput(text: string): TestTally {
  const tally = new TestTallyBuilder();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const event = parseTestLine(line);
    if (event !== undefined) tally.add(event);
  }
  return tally.result();
}

/** A `file:line` reference in a test's output line (`    x_test.go:12: message`). */
export interface OutputPosition {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const POSITION = /^\s+([^\s:]+\.go):(\d+): ?(.*)$/;
const STACK_POSITION = /^\t(\/[^\s:]+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;

/**
 * The file:line a test output line starts with: `t.Error` output (`    x_test.go:12: msg`,
 * file relative to the package directory) or a stack frame (`\t/abs/x_test.go:7 +0x28`).
 */
export function outputPosition(line: string): OutputPosition | undefined {
  const m = POSITION.exec(line);
  if (m !== null) return { file: m[1]!, line: Number(m[2]), message: m[3]! };
  const s = STACK_POSITION.exec(line);
  if (s !== null) return { file: s[1]!, line: Number(s[2]), message: '' };
  return undefined;
}
