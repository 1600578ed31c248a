import { describe, expect, it } from 'vitest';
import type { TestFailure } from '../go/test-json.js';
import { rerunPattern } from './rerun-pattern.js';

const failed = (test: string, hasFailedSubtests = false): TestFailure => ({
  pkg: 'p',
  test,
  output: [],
  hasFailedSubtests,
});

describe('rerunPattern', () => {
  it.each([
    [[failed('TestA')], '^TestA$'],
    [[failed('TestA'), failed('TestB')], '^(TestA|TestB)$'],
    [[failed('TestA/sub'), failed('TestA', true)], '^TestA$/^sub$'],
    [[failed('TestA'), failed('TestB/x_1'), failed('TestB', true)], '^(TestA|TestB)$/^x_1$'],
    [[failed('TestA/a.b+c')], '^TestA$/^a\\.b\\+c$'],
    [[], undefined],
  ])('%j -> %s', (failures, want) => {
    expect(rerunPattern(failures)).toBe(want);
  });
});
