import path from 'node:path';
import { createPatternMatcher } from './patterns.js';

/** A pattern verdict for a file, with the human reason shown by --verbose and explain. */
export interface MatchVerdict {
  readonly included: boolean;
  readonly reason: string;
}

/** Applies one pattern list to several watch roots (module, go.work modules, replace targets). */
export interface RootsMatcher {
  match(absPath: string): MatchVerdict;
  isIncluded(absPath: string): boolean;
  isDirExcluded(absDir: string): boolean;
}

/**
 * Patterns are written relative to a root; a file is judged by the pattern list relative to
 * the deepest watch root that contains it, so `**\/*.go` also covers a `replace ../lib` tree.
 */
export function createRootsMatcher(
  roots: readonly string[],
  patterns: readonly string[],
): RootsMatcher {
  const matchers = [...roots]
    .sort((a, b) => b.length - a.length)
    .map((root) => ({ root, matcher: createPatternMatcher(patterns, root) }));
  const find = (abs: string) =>
    matchers.find(({ root }) => abs === root || abs.startsWith(root + path.sep));
  return {
    match(absPath) {
      const m = find(absPath);
      if (!m) return { included: false, reason: 'outside every watched root' };
      const verdict = m.matcher.match(absPath);
      return { included: verdict.included, reason: verdict.reason };
    },
    isIncluded(absPath) {
      return find(absPath)?.matcher.isIncluded(absPath) ?? false;
    },
    isDirExcluded(absDir) {
      const m = find(absDir);
      return m === undefined || m.matcher.isDirExcluded(absDir);
    },
  };
}
