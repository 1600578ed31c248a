import path from 'node:path';
import type { RootsMatcher } from '../config/roots-matcher.js';
import { DEFAULT_PATTERNS } from '../config/types.js';
import type { WatchFilter } from '../watch/types.js';
import type { ClassifyContext } from './classify.js';
import type { FilterModel } from './model-view.js';
import { createWatchFilter } from './watch-filter.js';

const TEST_SKIPPED_DIR_NAMES: ReadonlySet<string> = new Set(['node_modules']);

const DEFAULT_PATTERN_SET: ReadonlySet<string> = new Set(DEFAULT_PATTERNS);

/** True for a pattern of the defaults (the model decides its files, not the pattern). */
export const isDefaultPattern = (pattern: string): boolean => DEFAULT_PATTERN_SET.has(pattern);

/** The pattern of a `watch.restartOnly` matcher that matches a file. */
export function restartPattern(matcher: RootsMatcher, absPath: string): string | undefined {
  const m = matcher.match(absPath);
  return m.included && 'pattern' in m ? m.pattern : undefined;
}

/** What classification and the watch filter are made from, the same in `run` and `explain`. */
export interface DecisionInputs {
  readonly roots: readonly string[];
  /** Absolute path of go.work, when in a workspace. */
  readonly workFile: string | undefined;
  readonly configFiles: ReadonlySet<string>;
  readonly matcher: RootsMatcher;
  readonly restartMatcher: RootsMatcher;
  /** `proxy.reloadOnly`: static files whose change reloads pages. @default none */
  readonly reloadMatcher?: RootsMatcher;
  readonly model: () => FilterModel | undefined;
  readonly lineShifts: 'rebuild' | 'ignore';
  /**
   * What the binaries are: the program (`run`), or test binaries (`test`: _test.go files
   * are sources, testdata directories are watched). @default 'run'
   */
  readonly purpose?: DecisionPurpose;
}

/** What the decided changes feed: `gohot run` or `gohot test`. */
export type DecisionPurpose = 'run' | 'test';

/** The default pattern that leaves test files out of `run`; `test` drops it. */
const TEST_FILE_EXCLUDE = '!**/*_test.go';

/**
 * The watch patterns for a purpose: as configured, except that `test` drops the default
 * exclusion of _test.go files (the test binaries are built from them).
 */
export function patternsFor(purpose: DecisionPurpose, patterns: readonly string[]): string[] {
  return purpose === 'test' ? patterns.filter((p) => p !== TEST_FILE_EXCLUDE) : [...patterns];
}

/** The classifier's context for these inputs. */
export function classifyContextOf(inputs: DecisionInputs, afterRelist = false): ClassifyContext {
  return {
    configFiles: inputs.configFiles,
    moduleDirs: [...inputs.roots, ...(inputs.workFile ? [path.dirname(inputs.workFile)] : [])],
    verdict: (p) => {
      const { included, ...reason } = inputs.matcher.match(p);
      return { tracked: included, reason };
    },
    isDefaultPattern,
    restartOnly: (p) => restartPattern(inputs.restartMatcher, p),
    reloadOnly: (p) => (inputs.reloadMatcher ? restartPattern(inputs.reloadMatcher, p) : undefined),
    model: inputs.model(),
    lineShifts: inputs.lineShifts,
    afterRelist,
    testFiles: inputs.purpose === 'test' ? 'compiled' : 'outside-binary',
  };
}

/** The watch filter for these inputs; `outDir` (gohot's run directory) is never watched. */
export function watchFilterOf(inputs: DecisionInputs, outDir: string | undefined): WatchFilter {
  return createWatchFilter({
    roots: inputs.roots,
    skipDirs: outDir === undefined ? [] : [outDir],
    alwaysTrack: inputs.configFiles,
    match: (p) => inputs.matcher.match(p),
    matchIn: (d) => inputs.matcher.matchIn(d),
    dirExclusion: (d) => inputs.matcher.dirExclusion(d),
    restartOnly: restartOnlyOf(inputs.restartMatcher, inputs.reloadMatcher),
    model: inputs.model,
    isDefaultPattern,
    // go test runs in the package directory: tests read their testdata/ from there.
    skipDirNames: inputs.purpose === 'test' ? TEST_SKIPPED_DIR_NAMES : undefined,
  });
}

/**
 * The restartOnly / reloadOnly pattern of a file, undefined when neither list can include
 * one (the default): the filter then asks no matcher about each file of the tree.
 */
function restartOnlyOf(
  restart: RootsMatcher,
  reload: RootsMatcher | undefined,
): ((absPath: string) => string | undefined) | undefined {
  const matchers = [restart, ...(reload === undefined ? [] : [reload])].filter(
    (m) => !m.includesNothing,
  );
  if (matchers.length === 0) return undefined;
  return (p) => {
    for (const m of matchers) {
      const pattern = restartPattern(m, p);
      if (pattern !== undefined) return pattern;
    }
    return undefined;
  };
}
