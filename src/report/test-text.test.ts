import { describe, expect, it } from 'vitest';
import type { Batch } from '../schedule/scheduler.js';
import type { SessionEventBody } from './events.js';
import type { PackageRun, TestEventBody, TestSessionEvent } from './test-events.js';
import { createTestTextReporter } from './test-text.js';

const batch: Batch = {
  generation: 2,
  triggers: [{ kind: 'change', files: ['/m/b/b_test.go'] }],
  files: ['/m/b/b_test.go'],
};
const pkg = (over: Partial<PackageRun>): PackageRun => ({
  pkg: 'ex/b',
  dir: '/m/b',
  reason: { by: 'changed', pkg: 'ex/b' },
  outcome: 'pass',
  cached: false,
  elapsedMs: 5,
  passed: 1,
  failed: 0,
  skipped: 0,
  failures: [],
  output: [],
  ...over,
});

/** A finished run of ex/b in which `test` failed with `output`. */
const failedRun = (test: string, output: string[]): TestEventBody => ({
  type: 'test-run-finished',
  batch,
  request: 'changes',
  packages: [
    pkg({
      outcome: 'fail',
      failed: 1,
      failures: [{ pkg: 'ex/b', test, output, hasFailedSubtests: false }],
    }),
  ],
  skipped: ['ex/a', 'ex/c'],
  diagnostics: [],
  durationMs: 1234,
});

function render(event: SessionEventBody | TestEventBody): string[] {
  const lines: string[] = [];
  const r = createTestTextReporter({
    cwd: '/m',
    write: (l) => lines.push(l),
    now: () => new Date(0),
  });
  r.report({ ...event, time: 0 } as TestSessionEvent);
  return lines.map((l) => l.replace(/^\S+ gohot {2}/, ''));
}

describe('the test reporter', () => {
  it('one line per run, then each failure with file:line relative to the cwd', () => {
    const lines = render(
      failedRun('TestDouble', ['    b_test.go:11: Double() = 2, want 3', '        more detail']),
    );
    expect(lines).toEqual([
      'b/b_test.go changed -> 1 package tested, 2 skipped -> FAIL 1 passed, 1 failed, 0 skipped (1.23 s)',
      '--- FAIL: TestDouble (ex/b)',
      'b/b_test.go:11: Double() = 2, want 3',
      '        more detail',
    ]);
  });

  it('a panic starts with the first frame in the package', () => {
    const lines = render(
      failedRun('TestPanics', [
        'panic: boom',
        'testing.tRunner.func1.2()',
        '\t/goroot/src/testing/testing.go:1974 +0x232',
        'ex/b.TestPanics()',
        '\t/m/b/b_test.go:7 +0x28',
      ]),
    );
    expect(lines[2]).toBe('b/b_test.go:7: panic: boom');
  });

  it('a comment edit says why nothing runs', () => {
    const lines = render({
      type: 'decision',
      stage: 'classify',
      action: 'ignore',
      subject: '/m/c/c.go',
      reason: { by: 'comments-only', pkg: 'ex/c', lines: 'same' },
      change: { path: '/m/c/c.go', kind: 'modified', via: 'event' },
      relist: false,
    });
    expect(lines).toEqual([
      'c/c.go changed -> no tests run: only comments or white space changed (ex/c)',
    ]);
  });
});
