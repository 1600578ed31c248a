import path from 'node:path';
import picomatch from 'picomatch';
import { quote } from './quote.js';

/** The verdict for one path, with the human reason `gohot explain` prints. */
export interface PatternMatch {
  /** True when the path is watched. */
  readonly included: boolean;
  /** Why, e.g. `excluded by "!**\/*_test.go"`, `included by "**\/*.go"`, `matches no pattern`. */
  readonly reason: string;
  /** The pattern that decided, exactly as written; absent when none did. */
  readonly pattern?: string;
}

/** Decides which files under one root are watched. */
export interface PatternMatcher {
  /** The absolute root the patterns are relative to. */
  readonly root: string;
  /** The verdict for an absolute file path, with its reason. */
  match(absPath: string): PatternMatch;
  /** Shorthand for `match(absPath).included`. */
  isIncluded(absPath: string): boolean;
  /**
   * True only when no file below `absDir` can ever be included, so the watcher may skip
   * the whole directory: it is outside the root, or an exclude covers it and no exact
   * include names a path below it. Conservative: false whenever in doubt.
   */
  isDirExcluded(absDir: string): boolean;
}

interface CompiledPattern {
  /** As written by the user, for reasons. */
  readonly source: string;
  readonly negated: boolean;
  /** Without `!`, leading `./` and trailing `/`. */
  readonly body: string;
  /** Written with a trailing `/`: matches only what is below the directories it names. */
  readonly dirOnly: boolean;
  /** No glob characters: a literal path relative to the root. */
  readonly exact: boolean;
  readonly test: (rel: string) => boolean;
}

/**
 * Why a pattern can never work, or undefined when it is fine. Used by the config
 * validator so mistakes are reported with a position instead of silently matching nothing.
 */
export function checkPattern(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'is empty';
  if (pattern.trim() !== pattern) return 'has leading or trailing whitespace';
  if (pattern === '!') return 'is "!" alone, which excludes nothing; write "!" and then a pattern';
  if (pattern.startsWith('!!'))
    return 'starts with "!!"; a pattern is either an include or one "!" exclude';
  const body = stripDotSlash(pattern.startsWith('!') ? pattern.slice(1) : pattern);
  if (body === '' || body === '/') return 'names no path';
  if (body.includes('\\')) return 'contains "\\"; write paths with "/"';
  if (body.startsWith('/'))
    return 'starts with "/"; patterns are relative to the module root, drop the "/"';
  if (body.split('/').includes('..'))
    return 'contains ".."; patterns cannot reach outside the module root';
  return undefined;
}

/**
 * Why a whole list can never work, or undefined: empty, or excludes only (which includes
 * nothing, because a listed `watch.patterns` replaces the defaults instead of extending them).
 */
export function checkPatternList(patterns: readonly string[]): string | undefined {
  if (patterns.length === 0) return 'is empty, so nothing would be watched';
  if (patterns.every((p) => p.startsWith('!'))) {
    return 'has only "!" excludes, so nothing would be watched (the list replaces the defaults; add includes such as "**/*.go")';
  }
  return undefined;
}

/**
 * Creates the matcher for one ordered pattern list relative to `root`.
 *
 * Rules, in order:
 * 1. Paths outside `root` are never included.
 * 2. Patterns that spell out this exact path (no glob characters, e.g.
 *    `internal/special_test.go`) decide first; among them an exclude wins.
 * 3. Otherwise all other matching patterns decide, and an exclude wins over an include,
 *    whatever their order in the list (order only picks which pattern a reason names).
 * 4. No matching pattern: not included.
 *
 * Matching: globs use picomatch with `dot: true`; `**` crosses directories, `*` and `?`
 * do not (`*.go` matches `main.go` only at the root). A pattern that matches a directory
 * matches everything below it, as in .gitignore: `gen`, `!vendor`, `!**\/testdata` and
 * `!tmp/**` all cover whole trees, and so does `internal/*` (every child of internal).
 * A trailing `/` (`!tmp/`) means "only below this directory", never a file of that name.
 *
 * Examples (root `/m`):
 * - `**\/*.go`: `/m/main.go` and `/m/a/b/c.go` included.
 * - `*.go`: `/m/main.go` included, `/m/cmd/main.go` matches no pattern.
 * - `**\/*.go`, `!**\/*_test.go`: `/m/a/x_test.go` excluded (excludes win).
 * - `!**\/*_test.go`, `**\/*.go`: the same; order does not matter.
 * - `**\/*.go`, `!**\/*_test.go`, `internal/special_test.go`: that file included (exact path).
 * - `**\/*.go`, `!gen/models.go`: `/m/gen/models.go` excluded (exact exclude).
 * - `**\/*.go`, `!gen/`: `/m/gen/x/y.go` excluded, and `isDirExcluded('/m/gen')` is true.
 * - `**\/*.go`, `!gen/`, `gen/keep.go`: `/m/gen/keep.go` included, so `/m/gen` is not skipped.
 * - any list: `/elsewhere/x.go` is not included ("outside the module root").
 */
export function createPatternMatcher(patterns: readonly string[], root: string): PatternMatcher {
  const absRoot = path.resolve(root);
  const compiled = patterns.map(compilePattern);
  const exactIncludes = compiled.filter((p) => p.exact && !p.negated && !p.dirOnly);

  const relative = (abs: string): string | undefined => {
    const rel = path.relative(absRoot, path.resolve(abs)).split(path.sep).join('/');
    if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return undefined;
    return rel;
  };

  const match = (absPath: string): PatternMatch => {
    const rel = relative(absPath);
    if (rel === undefined) {
      return { included: false, reason: `outside the module root ${absRoot}` };
    }
    if (rel === '') return { included: false, reason: 'is the module root itself' };

    const exactHits = compiled.filter((p) => p.exact && !p.dirOnly && p.body === rel);
    const otherHits = compiled.filter((p) => !exactHits.includes(p) && coversPath(p, rel));
    if (exactHits.length > 0) {
      const exclude = exactHits.find((p) => p.negated);
      const winner = exclude ?? exactHits[0]!;
      const beaten = otherHits.find((p) => p.negated !== winner.negated);
      const beats = beaten
        ? ` (an exact path beats ${quote(beaten.source, Number.POSITIVE_INFINITY)})`
        : '';
      return {
        included: exclude === undefined,
        reason: `${exclude ? 'excluded' : 'included'} by exact path ${quote(winner.source, Number.POSITIVE_INFINITY)}${beats}`,
        pattern: winner.source,
      };
    }
    const exclude = otherHits.find((p) => p.negated);
    if (exclude) {
      return {
        included: false,
        reason: `excluded by ${quote(exclude.source, Number.POSITIVE_INFINITY)}`,
        pattern: exclude.source,
      };
    }
    const include = otherHits[0];
    if (include) {
      return {
        included: true,
        reason: `included by ${quote(include.source, Number.POSITIVE_INFINITY)}`,
        pattern: include.source,
      };
    }
    return { included: false, reason: 'matches no pattern' };
  };

  const isDirExcluded = (absDir: string): boolean => {
    const rel = relative(absDir);
    if (rel === undefined) return true;
    if (rel === '') return false;
    // Every path below rel has rel (or one of its ancestors) as an ancestor, so an exclude
    // matching any of those covers the whole tree, except files an exact include names.
    const candidates = [rel, ...ancestors(rel)];
    const covered = compiled.some(
      (p) => p.negated && candidates.some((c) => (p.exact ? c === p.body : p.test(c))),
    );
    if (!covered) return false;
    return !exactIncludes.some((p) => p.body.startsWith(`${rel}/`));
  };

  return {
    root: absRoot,
    match,
    isIncluded: (absPath) => match(absPath).included,
    isDirExcluded,
  };
}

function compilePattern(source: string): CompiledPattern {
  const negated = source.startsWith('!');
  let body = stripDotSlash(negated ? source.slice(1) : source);
  const dirOnly = body.endsWith('/');
  while (body.endsWith('/')) body = body.slice(0, -1);
  const exact = !picomatch.scan(body).isGlob;
  const test = exact ? (rel: string) => rel === body : picomatch(body, { dot: true });
  return { source, negated, body, dirOnly, exact, test };
}

/** True when the pattern matches rel itself or a directory above it. */
function coversPath(p: CompiledPattern, rel: string): boolean {
  if (!p.dirOnly && p.test(rel)) return true;
  return ancestors(rel).some((a) => p.test(a));
}

/** `a/b/c.go` -> `a/b`, `a`. */
function ancestors(rel: string): string[] {
  const out: string[] = [];
  let i = rel.lastIndexOf('/');
  while (i > 0) {
    out.push(rel.slice(0, i));
    i = rel.lastIndexOf('/', i - 1);
  }
  return out;
}

function stripDotSlash(text: string): string {
  let out = text;
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}
