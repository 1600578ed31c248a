import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outputPosition, parseTestLine, tallyTestOutput } from './test-json.js';

// Captured with go 1.26: `go test -json ./...` on test/fixtures/test-chain (a fresh and a
// cached run) and on a module with a failing, a panicking, a skipping and a non-compiling
// package (mixed.json).
const captured = (name: string) =>
  readFileSync(new URL(`./testdata/test-json/${name}`, import.meta.url), 'utf8');

describe('parseTestLine', () => {
  it.each([
    [
      '{"Action":"run","Package":"p","Test":"TestA"}',
      { type: 'test-run', pkg: 'p', test: 'TestA' },
    ],
    [
      '{"Action":"fail","Package":"p","Test":"TestA","Elapsed":0.25}',
      { type: 'test-end', pkg: 'p', test: 'TestA', outcome: 'fail', elapsedMs: 250 },
    ],
    [
      '{"Action":"fail","Package":"p","Elapsed":0,"FailedBuild":"p [p.test]"}',
      { type: 'package-end', pkg: 'p', outcome: 'fail', elapsedMs: 0, failedBuild: 'p [p.test]' },
    ],
    [
      '{"ImportPath":"p [p.test]","Action":"build-output","Output":"x.go:1:1: bad\\n"}',
      { type: 'build-output', importPath: 'p [p.test]', output: 'x.go:1:1: bad\n' },
    ],
    ['go: no such tool', { type: 'text', line: 'go: no such tool' }],
    ['{"Action":"pause","Package":"p","Test":"TestA"}', undefined],
  ])('%s', (line, want) => {
    expect(parseTestLine(line)).toEqual(want);
  });
});

describe('tallyTestOutput on captured output', () => {
  it('counts a passing run per package', () => {
    const t = tallyTestOutput(captured('chain-pass.json'));
    expect(t.packages.map((p) => [p.pkg.split('/').pop(), p.outcome, p.passed])).toEqual([
      ['a', 'pass', 1],
      ['b', 'pass', 2],
      ['c', 'pass', 1],
      ['d', 'pass', 1],
    ]);
    expect(t.packages.some((p) => p.cached)).toBe(false);
  });

  it('sees the test cache answer', () => {
    const t = tallyTestOutput(captured('chain-cached.json'));
    expect(t.packages.every((p) => p.cached && p.outcome === 'pass')).toBe(true);
  });

  it('keeps failures, their output, skips, a panic and a build failure', () => {
    const t = tallyTestOutput(captured('mixed.json'));
    const by = new Map(t.packages.map((p) => [p.pkg.split('/').pop(), p]));
    expect(by.get('broken')?.outcome).toBe('build-failed');
    expect(t.buildOutput).toContain(
      'broken/broken_test.go:6:17: cannot use X() (value of type int) as string value',
    );
    const fail = by.get('fail')!;
    expect([fail.outcome, fail.passed, fail.failed, fail.skipped]).toEqual(['fail', 2, 3, 1]);
    expect(fail.failures.map((f) => [f.test, f.hasFailedSubtests])).toEqual([
      ['TestBad', false],
      ['TestSub/bad_case', false],
      ['TestSub', true],
    ]);
    expect(fail.failures[0]?.output).toEqual([
      '    fail_test.go:8: about to fail',
      '    fail_test.go:9: got 1, want 2',
    ]);
    expect(by.get('notest')?.outcome).toBe('skip');
    const pan = by.get('pan')!;
    expect(pan.outcome).toBe('fail');
    expect(pan.failures[0]?.output[0]).toMatch(/^panic: assignment to entry in nil map/);
  });
});

describe('outputPosition', () => {
  it.each([
    [
      '    fail_test.go:9: got 1, want 2',
      { file: 'fail_test.go', line: 9, message: 'got 1, want 2' },
    ],
    [
      '\t/work/tj/pan/pan_test.go:7 +0x28',
      { file: '/work/tj/pan/pan_test.go', line: 7, message: '' },
    ],
    ['panic: boom', undefined],
    ['        continued message', undefined],
  ])('%j', (line, want) => {
    expect(outputPosition(line)).toEqual(want);
  });
});
