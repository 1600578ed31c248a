import path from 'node:path';
import type { DirExclusion, MatchVerdict } from '../config/roots-matcher.js';
import type { DirVerdict, FileReason, FileTier, FileVerdict, WatchFilter } from '../watch/types.js';
import { MODULE_FILES } from './classify.js';
import type { FilterModel } from './model-view.js';

/** Directory names never walked: JS dependencies and Go's test-only data. */
const SKIPPED_DIR_NAMES: ReadonlySet<string> = new Set(['node_modules', 'testdata']);

/** Inputs of the watch filter: pattern verdicts and paths that are never watched. */
export interface WatchFilterInput {
  /** The watch roots; a root itself is never skipped, even when its name starts with a dot. */
  readonly roots: readonly string[];
  /** Directories that are never watched (gohot's own output directory). */
  readonly skipDirs: readonly string[];
  /** Extra files always tracked (config files). */
  readonly alwaysTrack: ReadonlySet<string>;
  /** The pattern verdict for a file. */
  readonly match: (absPath: string) => MatchVerdict;
  /** `match` for the files directly in a directory, by name. @default `match` per file */
  readonly matchIn?: (absDir: string) => (name: string) => MatchVerdict;
  /** Why the patterns rule out every file below a directory, or undefined. */
  readonly dirExclusion: (absDir: string) => DirExclusion | undefined;
  /** The `watch.restartOnly` (or `proxy.reloadOnly`) pattern matching a file. @default none */
  readonly restartOnly?: (absPath: string) => string | undefined;
  /** The Go model as last listed (read at every call); undefined before go list answered. */
  readonly model?: () => FilterModel | undefined;
  /** True for a pattern of the defaults; a pattern the user wrote keeps its files hot. */
  readonly isDefaultPattern?: (pattern: string) => boolean;
  /** Directory names never walked. @default node_modules and testdata */
  readonly skipDirNames?: ReadonlySet<string>;
}

const MODULE_FILE_NAMES: ReadonlySet<string> = new Set([...MODULE_FILES, 'modules.txt']);

/** Whether a directory is walked and watched, and if not, why. Pure. */
export function dirVerdict(absDir: string, input: WatchFilterInput): DirVerdict {
  if (input.roots.includes(absDir)) return { watched: true };
  const name = path.basename(absDir);
  // go list says the binary embeds a file in it (all:static takes static/.well-known).
  const embedded = input.model?.()?.holdsEmbedded(absDir) === true;
  if (name.startsWith('.') && !embedded) return { watched: false, reason: { by: 'hidden', name } };
  if ((input.skipDirNames ?? SKIPPED_DIR_NAMES).has(name) && !embedded)
    return { watched: false, reason: { by: 'name', name } };
  for (const skip of input.skipDirs) {
    if (absDir === skip || absDir.startsWith(skip + path.sep)) {
      return { watched: false, reason: { by: 'output-dir' } };
    }
  }
  const exclusion = input.dirExclusion(absDir);
  return exclusion === undefined ? { watched: true } : { watched: false, reason: exclusion };
}

/** Whether a file's changes are tracked, and why. Pure; `cache` only shares the values. */
export function fileVerdict(
  absPath: string,
  input: WatchFilterInput,
  cache: VerdictCache = new VerdictCache(),
): FileVerdict {
  if (input.alwaysTrack.has(absPath)) return CONFIG_FILE;
  const restart = input.restartOnly?.(absPath);
  if (restart !== undefined) return { tracked: true, reason: { by: 'glob', pattern: restart } };
  const verdict = input.match(absPath);
  const reason = cache.reasonOf(verdict);
  const model = input.model?.();
  if (model === undefined) return cache.verdict(verdict.included, reason, undefined);
  if (verdict.included) {
    const userPattern = 'pattern' in reason && !(input.isDefaultPattern?.(reason.pattern) ?? false);
    const hot = userPattern || isModuleFileName(absPath) || model.relevant(absPath);
    return cache.verdict(true, reason, hot ? 'hot' : 'cold');
  }
  // A test file that only a default pattern excludes: tracked by existence, so an edit
  // gets its "not part of the binary" line instead of silence.
  if (
    absPath.endsWith('_test.go') &&
    reason.by === 'exclude' &&
    (input.isDefaultPattern?.(reason.pattern) ?? false)
  ) {
    return TEST_FILE;
  }
  // An embedded file no pattern names (static/app.css) is still read by the build.
  if (reason.by === 'no-match' && !absPath.endsWith('_test.go') && model.buildInput(absPath)) {
    return BUILD_INPUT;
  }
  return cache.verdict(false, reason, undefined);
}

const CONFIG_FILE: FileVerdict = Object.freeze({
  tracked: true,
  reason: Object.freeze({ by: 'config-file' }),
});
const TEST_FILE: FileVerdict = Object.freeze({
  tracked: true,
  reason: Object.freeze({ by: 'test-file' }),
  tier: 'cold',
});
const BUILD_INPUT: FileVerdict = Object.freeze({
  tracked: true,
  reason: Object.freeze({ by: 'build-input' }),
  tier: 'hot',
});

/** True when the file's name is one of MODULE_FILE_NAMES (no path is cut out for it). */
function isModuleFileName(absPath: string): boolean {
  for (const name of MODULE_FILE_NAMES) {
    if (!absPath.endsWith(name)) continue;
    const at = absPath.length - name.length;
    if (at === 0 || absPath[at - 1] === path.sep) return true;
  }
  return false;
}

/**
 * The verdict values a filter hands out, shared: the pattern matcher returns one value per
 * deciding pattern, so a tree of 100,000 files gets a handful of verdicts, not one each
 * (bench/footprint.mjs). Values are frozen.
 */
export class VerdictCache {
  readonly #reasons = new WeakMap<MatchVerdict, FileReason>();
  /** Per reason: the verdicts by kind (see kindOf), so no key is built per file. */
  readonly #verdicts = new WeakMap<FileReason, (FileVerdict | undefined)[]>();

  /** The verdict's reason: the verdict without `included`. */
  reasonOf(match: MatchVerdict): FileReason {
    let reason = this.#reasons.get(match);
    if (reason === undefined) {
      const { included: _, ...rest } = match;
      reason = Object.freeze(rest);
      this.#reasons.set(match, reason);
    }
    return reason;
  }

  /** The one verdict value for `tracked`, `reason` and `tier` (no tier key when undefined). */
  verdict(tracked: boolean, reason: FileReason, tier: FileTier | undefined): FileVerdict {
    let byKind = this.#verdicts.get(reason);
    if (byKind === undefined) {
      byKind = [];
      this.#verdicts.set(reason, byKind);
    }
    const kind = (tracked ? 3 : 0) + (tier === undefined ? 0 : tier === 'hot' ? 1 : 2);
    let verdict = byKind[kind];
    if (verdict === undefined) {
      verdict = Object.freeze(tier === undefined ? { tracked, reason } : { tracked, reason, tier });
      byKind[kind] = verdict;
    }
    return verdict;
  }
}

/**
 * A filter from two plain predicates, for tools and tests that need no pattern reasons: a
 * skipped directory is reported as skipped by its name, an untracked file as matching nothing.
 */
export function predicateFilter(p: {
  readonly ignoreDir: (absDir: string) => boolean;
  readonly trackFile: (absPath: string) => boolean;
}): WatchFilter {
  return {
    dir: (absDir) =>
      p.ignoreDir(absDir)
        ? { watched: false, reason: { by: 'name', name: path.basename(absDir) } }
        : { watched: true },
    file: (absPath) =>
      p.trackFile(absPath)
        ? { tracked: true, reason: { by: 'glob', pattern: '**' } }
        : { tracked: false, reason: { by: 'no-match' } },
  };
}

/** alwaysTrack's names by directory, made once per set (asked for every directory walked). */
const configNamesByDir = new WeakMap<ReadonlySet<string>, Map<string, Set<string>>>();

function configNamesIn(alwaysTrack: ReadonlySet<string>): Map<string, Set<string>> {
  let byDir = configNamesByDir.get(alwaysTrack);
  if (byDir === undefined) {
    byDir = new Map();
    for (const file of alwaysTrack) {
      const dir = path.dirname(file);
      let names = byDir.get(dir);
      if (names === undefined) {
        names = new Set();
        byDir.set(dir, names);
      }
      names.add(path.basename(file));
    }
    configNamesByDir.set(alwaysTrack, byDir);
  }
  return byDir;
}

/**
 * `fileVerdict` for the files directly in `absDir`, by name, or undefined when it needs each
 * file's path (a restartOnly or reloadOnly list, a Go model): what the walk asks before go list
 * answered, with the pattern work per directory done once (PatternMatcher.matchIn).
 */
export function fileVerdictsIn(
  absDir: string,
  input: WatchFilterInput,
  cache: VerdictCache = new VerdictCache(),
): ((name: string) => FileVerdict) | undefined {
  if (input.matchIn === undefined || input.restartOnly !== undefined) return undefined;
  if (input.model?.() !== undefined || absDir.endsWith(path.sep)) return undefined;
  const configNames = configNamesIn(input.alwaysTrack).get(absDir);
  const matchName = input.matchIn(absDir);
  // Most files of a directory share one pattern verdict: the last one's value is kept.
  let last: MatchVerdict | undefined;
  let lastVerdict: FileVerdict | undefined;
  return (name) => {
    if (configNames?.has(name)) return CONFIG_FILE;
    const verdict = matchName(name);
    if (verdict !== last) {
      last = verdict;
      lastVerdict = cache.verdict(verdict.included, cache.reasonOf(verdict), undefined);
    }
    return lastVerdict!;
  };
}

/** The filter stage handed to the watcher. */
export function createWatchFilter(input: WatchFilterInput): WatchFilter {
  const cache = new VerdictCache();
  return {
    dir: (absDir) => dirVerdict(absDir, input),
    file: (absPath) => fileVerdict(absPath, input, cache),
    filesIn: (absDir) => fileVerdictsIn(absDir, input, cache),
  };
}
