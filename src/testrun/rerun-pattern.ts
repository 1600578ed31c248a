import type { TestFailure } from '../go/test-json.js';

/** Go's regexp metacharacters, escaped so that a test name matches only itself. */
const META = /[\\^$.|?*+()[\]{}]/g;

/**
 * The `-run` pattern that runs exactly the failed tests of one package: one anchored
 * alternation per level of the names (`^(TestA|TestB)$`, with subtests
 * `^(TestA)$/^(case_1)$`). A failed test whose subtests failed is covered by them.
 * Undefined when nothing failed.
 */
export function rerunPattern(failures: readonly TestFailure[]): string | undefined {
  const leaves = failures.filter((f) => !f.hasFailedSubtests).map((f) => f.test.split('/'));
  if (leaves.length === 0) return undefined;
  const depth = Math.max(...leaves.map((l) => l.length));
  const levels: string[] = [];
  for (let i = 0; i < depth; i++) {
    const names = [...new Set(leaves.flatMap((l) => (l[i] === undefined ? [] : [l[i]!])))];
    const alternatives = names.map((n) => n.replace(META, '\\$&'));
    levels.push(
      alternatives.length === 1 ? `^${alternatives[0]}$` : `^(${alternatives.join('|')})$`,
    );
  }
  return levels.join('/');
}
