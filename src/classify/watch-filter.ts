import path from 'node:path';
import type { WatchFilter } from '../watch/types.js';

/** Directory names never walked: VCS data, JS dependencies and Go's test-only data. */
const SKIPPED_DIR_NAMES: ReadonlySet<string> = new Set(['node_modules', 'testdata']);

/** Inputs of the watch filter: pattern verdicts and paths that are never watched. */
export interface WatchFilterInput {
  /** The watch roots; a root itself is never skipped, even when its name starts with a dot. */
  readonly roots: readonly string[];
  /** Directories that are never watched (gohot's own output directory). */
  readonly skipDirs: readonly string[];
  /** Extra files always tracked (config files). */
  readonly alwaysTrack: ReadonlySet<string>;
  readonly isIncluded: (absPath: string) => boolean;
  readonly isDirExcluded: (absDir: string) => boolean;
}

/**
 * Why a directory is not watched, or undefined when it is. Pure; the reason is what
 * --verbose and `explain` print.
 */
export function whyDirSkipped(absDir: string, input: WatchFilterInput): string | undefined {
  if (input.roots.includes(absDir)) return undefined;
  const name = path.basename(absDir);
  if (name.startsWith('.'))
    return `hidden directory ${name} (.git, .idea, .cache ... are never watched)`;
  if (SKIPPED_DIR_NAMES.has(name)) return `${name} directories are never watched`;
  for (const skip of input.skipDirs) {
    if (absDir === skip || absDir.startsWith(skip + path.sep)) return "gohot's output directory";
  }
  if (input.isDirExcluded(absDir)) return 'excluded by watch.patterns';
  return undefined;
}

/** The filter stage handed to the watcher. */
export function createWatchFilter(input: WatchFilterInput): WatchFilter {
  return {
    ignoreDir: (absDir) => whyDirSkipped(absDir, input) !== undefined,
    trackFile: (absPath) => input.alwaysTrack.has(absPath) || input.isIncluded(absPath),
  };
}
