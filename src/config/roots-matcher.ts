import path from 'node:path';
import { createPatternMatcher, type PatternMatch } from './patterns.js';

/** A pattern verdict for a file under the watch roots; `outside-roots` when none holds it. */
export type MatchVerdict =
  | PatternMatch
  | { readonly included: false; readonly by: 'outside-roots' };

/** Why a whole directory is skipped by the patterns: the covering exclude, or no root holds it. */
export type DirExclusion =
  | { readonly by: 'exclude'; readonly pattern: string }
  | { readonly by: 'outside-roots' };

/** Applies one pattern list to several watch roots (module, go.work modules, replace targets). */
export interface RootsMatcher {
  match(absPath: string): MatchVerdict;
  isIncluded(absPath: string): boolean;
  /** True when the list has no include, so no file is ever included (an unset restartOnly). */
  readonly includesNothing: boolean;
  /** Why no file below `absDir` can be included, or undefined when one can. */
  dirExclusion(absDir: string): DirExclusion | undefined;
  /**
   * `match` for the files directly in `absDir` (absolute, normalized), by name: the root and
   * the directory's part of the work are found once (see PatternMatcher.matchIn).
   */
  matchIn(absDir: string): (name: string) => MatchVerdict;
}

const OUTSIDE_ROOTS: MatchVerdict = Object.freeze({ included: false, by: 'outside-roots' });

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
    .map((root) => ({
      root,
      prefix: root + path.sep,
      matcher: createPatternMatcher(patterns, root),
    }));
  const rootParents = new Set(matchers.map((m) => path.dirname(m.root)));
  // Asked about every file of the tree: a plain loop, no closure or path built per call.
  const find = (abs: string) => {
    for (const m of matchers) if (abs === m.root || abs.startsWith(m.prefix)) return m;
    return undefined;
  };
  const match = (absPath: string): MatchVerdict => {
    const m = find(absPath);
    if (!m) return OUTSIDE_ROOTS;
    return m.matcher.match(absPath);
  };
  return {
    includesNothing: patterns.every((p) => p.startsWith('!')),
    match,
    matchIn(absDir) {
      // The root of `absDir` is that of its files, unless a root is one of those paths (or
      // `absDir` is `/`): then each file finds its own.
      const nested = rootParents.has(absDir);
      if (nested || absDir.endsWith(path.sep)) {
        const prefix = absDir.endsWith(path.sep) ? absDir : absDir + path.sep;
        return (name) => match(prefix + name);
      }
      const m = find(absDir);
      if (!m) return () => OUTSIDE_ROOTS;
      return m.matcher.matchIn(absDir);
    },
    isIncluded(absPath) {
      return find(absPath)?.matcher.isIncluded(absPath) ?? false;
    },
    dirExclusion(absDir) {
      const m = find(absDir);
      if (!m) return { by: 'outside-roots' };
      const by = m.matcher.dirExcludedBy(absDir);
      if (by === undefined) return undefined;
      return by === 'outside' ? { by: 'outside-roots' } : { by: 'exclude', pattern: by };
    },
  };
}
