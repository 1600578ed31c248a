import path from 'node:path';
import picomatch from 'picomatch';

/**
 * The verdict for one path and what decided it; `report/` turns it into words
 * (`included by "**\/*.go"`, `excluded by exact path "!gen/x.go"`, `matches no pattern`).
 * `pattern` is the deciding pattern exactly as written; `beats` a glob it overruled.
 */
export type PatternMatch =
  | { readonly included: true; readonly by: 'glob'; readonly pattern: string }
  | {
      readonly included: boolean;
      readonly by: 'exact';
      readonly pattern: string;
      readonly beats?: string;
    }
  | { readonly included: false; readonly by: 'exclude'; readonly pattern: string }
  | { readonly included: false; readonly by: 'no-match' }
  | { readonly included: false; readonly by: 'outside-root'; readonly root: string }
  | { readonly included: false; readonly by: 'root-itself' };

/** Decides which files under one root are watched. */
export interface PatternMatcher {
  /** The absolute root the patterns are relative to. */
  readonly root: string;
  /** The verdict for an absolute file path, with its reason. */
  match(absPath: string): PatternMatch;
  /** Shorthand for `match(absPath).included`. */
  isIncluded(absPath: string): boolean;
  /**
   * The exclude pattern that covers `absDir` when no file below it can ever be included, so
   * the watcher may skip the whole directory ('outside' when it is outside the root), else
   * undefined. Conservative: undefined whenever an exact include names a path below it.
   */
  dirExcludedBy(absDir: string): string | 'outside' | undefined;
  /**
   * The verdict of `match` for the files directly in `absDir`, by name: what is the same for
   * every file of the directory (its relative path, the patterns covering it, which patterns
   * can only match by the name) is worked out once. `match(absDir + sep + name)` is the same.
   */
  matchIn(absDir: string): (name: string) => PatternMatch;
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
  /**
   * For a `**\/<name glob>` pattern (one path segment after it, no `**` in it): the test of
   * a file's name alone, which matches exactly when `test` matches its relative path.
   */
  readonly testName: ((name: string) => boolean) | undefined;
  /** Its verdict for a path it covers that no exact pattern names. */
  readonly verdict: PatternMatch;
  /**
   * A glob's leading literal directories (`vendor` of `vendor/**`, `a/b` of `a/b/*.go`): a
   * path it matches is that or below it. Undefined when its first segment is a glob.
   */
  readonly lead: string | undefined;
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

/** How many directories' covering patterns a matcher keeps (see coveringDir). */
const COVER_CACHE_SIZE = 1024;

/** One pattern of a directory's matchIn plan: how its files are tested against it. */
interface PlanStep {
  readonly p: CompiledPattern;
  readonly how: 'covered' | 'name' | 'rel';
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
 * - `**\/*.go`, `!gen/`: `/m/gen/x/y.go` excluded, and `dirExcludedBy('/m/gen')` is `"!gen/"`.
 * - `**\/*.go`, `!gen/`, `gen/keep.go`: `/m/gen/keep.go` included, so `/m/gen` is not skipped.
 * - any list: `/elsewhere/x.go` is not included ("outside the module root").
 */
export function createPatternMatcher(patterns: readonly string[], root: string): PatternMatcher {
  const absRoot = path.resolve(root);
  const compiled = patterns.map(compilePattern);
  const exactIncludes = compiled.filter((p) => p.exact && !p.negated && !p.dirOnly);

  const prefix = absRoot.endsWith(path.sep) ? absRoot : absRoot + path.sep;
  const relative = (abs: string): string | undefined => {
    // Fast path for the normalized absolute paths the watcher passes (every file of a tree).
    if (path.sep === '/' && abs.startsWith(prefix) && !abs.includes('/.') && !abs.includes('//')) {
      return abs.endsWith('/') ? abs.slice(prefix.length, -1) : abs.slice(prefix.length);
    }
    const rel = path.relative(absRoot, path.resolve(abs)).split(path.sep).join('/');
    if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return undefined;
    return rel;
  };

  // Which patterns match a directory or one of its ancestors: the same for every file in
  // it, and a directory's is its parent's plus the patterns that match the directory itself.
  // Kept for the last COVER_CACHE_SIZE directories only (a walk asks about a directory's
  // children soon after the directory): one entry per directory of a big tree for as long as
  // the matcher lived was a path and an array each.
  const coverCache = new Map<string, readonly CompiledPattern[]>();
  const coveringDir = (dirRel: string): readonly CompiledPattern[] => {
    if (dirRel === '' || compiled.length === 0) return NONE;
    const cached = coverCache.get(dirRel);
    if (cached !== undefined) return cached;
    const slash = dirRel.lastIndexOf('/');
    const above = slash > 0 ? coveringDir(dirRel.slice(0, slash)) : NONE;
    let cover = above;
    const name = dirRel.slice(slash + 1);
    for (const p of compiled) {
      if (above.includes(p) || !matchesDir(p, dirRel, name)) continue;
      if (cover === above) cover = [...above];
      (cover as CompiledPattern[]).push(p);
    }
    if (coverCache.size >= COVER_CACHE_SIZE) coverCache.clear();
    coverCache.set(dirRel, cover);
    return cover;
  };
  const covers = (p: CompiledPattern, rel: string): boolean => {
    if (!p.dirOnly && p.test(rel)) return true;
    const slash = rel.lastIndexOf('/');
    return slash > 0 && coveringDir(rel.slice(0, slash)).includes(p);
  };
  // The covering patterns of the last parent directory asked about: a walk asks about the
  // files of one directory in a row, so its path is not sliced out of every file's.
  let lastParent = '';
  let lastParentCover: readonly CompiledPattern[] = NONE;
  const parentCover = (rel: string): readonly CompiledPattern[] => {
    const slash = rel.lastIndexOf('/');
    if (slash <= 0) return NONE;
    if (slash !== lastParent.length || !rel.startsWith(lastParent)) {
      lastParent = rel.slice(0, slash);
      lastParentCover = coveringDir(lastParent);
    }
    return lastParentCover;
  };

  const outside: PatternMatch = Object.freeze({
    included: false,
    by: 'outside-root',
    root: absRoot,
  });
  const exactBodies = new Set(compiled.filter((p) => p.exact && !p.dirOnly).map((p) => p.body));

  /** The verdict when exact patterns name `rel`: they decide first, see the rules above. */
  const exactMatch = (rel: string): PatternMatch => {
    const exactHits = compiled.filter((p) => p.exact && !p.dirOnly && p.body === rel);
    const otherHits = compiled.filter((p) => !exactHits.includes(p) && covers(p, rel));
    const exclude = exactHits.find((p) => p.negated);
    const winner = exclude ?? exactHits[0]!;
    const beaten = otherHits.find((p) => p.negated !== winner.negated);
    return {
      included: exclude === undefined,
      by: 'exact',
      pattern: winner.source,
      ...(beaten ? { beats: beaten.source } : {}),
    };
  };

  // Asked about every file of the tree: one pass over the patterns, nothing allocated but
  // the relative path; the verdicts are the patterns' own (frozen) values.
  const match = (absPath: string): PatternMatch => {
    const rel = relative(absPath);
    if (rel === undefined) return outside;
    return matchRel(rel);
  };
  const matchRel = (rel: string): PatternMatch => {
    if (rel === '') return ROOT_ITSELF;
    if (compiled.length === 0) return NO_MATCH;
    if (exactBodies.has(rel)) return exactMatch(rel);
    const above = parentCover(rel);
    let include: CompiledPattern | undefined;
    for (const p of compiled) {
      // The first include that covers names the reason; only an exclude can still overrule it.
      if (include !== undefined && !p.negated) continue;
      if ((p.dirOnly || !p.test(rel)) && !above.includes(p)) continue;
      if (p.negated) return p.verdict;
      include = p;
    }
    return include === undefined ? NO_MATCH : include.verdict;
  };

  // What matchIn asks of each pattern depends on the directory's cover alone: most directories
  // share one cover (NONE, the same cached array), so most share one plan.
  const plans = new WeakMap<readonly CompiledPattern[], readonly PlanStep[]>();
  const planFor = (above: readonly CompiledPattern[]): readonly PlanStep[] => {
    let plan = plans.get(above);
    if (plan !== undefined) return plan;
    const steps: PlanStep[] = [];
    for (const p of compiled) {
      if (above.includes(p)) steps.push({ p, how: 'covered' });
      // An exact pattern matches only the name it spells out (exactNames in matchIn).
      else if (p.dirOnly || p.exact) continue;
      else steps.push({ p, how: p.testName === undefined ? 'rel' : 'name' });
    }
    plan = steps;
    plans.set(above, plan);
    return plan;
  };

  // Per pattern, for the files of one directory: covered by it (or an ancestor), matched by
  // the name alone, or by the relative path; a pattern that cannot match them is left out.
  const matchIn = (absDir: string): ((name: string) => PatternMatch) => {
    const dirRel = relative(absDir);
    if (dirRel === undefined) return () => outside;
    if (compiled.length === 0) return () => NO_MATCH;
    const relOf = (name: string) => (dirRel === '' ? name : `${dirRel}/${name}`);
    // Names an exact pattern spells out take the general path (exact patterns decide first).
    let exactNames: Set<string> | undefined;
    for (const body of exactBodies) {
      const slash = body.lastIndexOf('/');
      if ((slash === -1 ? '' : body.slice(0, slash)) !== dirRel) continue;
      exactNames ??= new Set();
      exactNames.add(body.slice(slash + 1));
    }
    const shared = planFor(coveringDir(dirRel));
    // A pattern tested on each file's path is left out where its leading directories rule out
    // every file (`!vendor/**` outside vendor/): no path is built for it there.
    const plan = shared.some(
      ({ p, how }) => how === 'rel' && p.lead !== undefined && !reaches(p.lead, dirRel),
    )
      ? shared.filter(
          ({ p, how }) => how !== 'rel' || p.lead === undefined || reaches(p.lead, dirRel),
        )
      : shared;
    return (name) => {
      if (exactNames?.has(name)) return matchRel(relOf(name));
      let rel: string | undefined;
      let include: CompiledPattern | undefined;
      for (const { p, how } of plan) {
        if (include !== undefined && !p.negated) continue;
        if (how === 'name' && !p.testName!(name)) continue;
        if (how === 'rel') {
          rel ??= relOf(name);
          if (!p.test(rel)) continue;
        }
        if (p.negated) return p.verdict;
        include = p;
      }
      return include === undefined ? NO_MATCH : include.verdict;
    };
  };

  const dirExcludedBy = (absDir: string): string | 'outside' | undefined => {
    const rel = relative(absDir);
    if (rel === undefined) return 'outside';
    if (rel === '') return undefined;
    // Every path below rel has rel (or one of its ancestors) as an ancestor, so an exclude
    // matching any of those (coveringDir) covers the whole tree, except files an exact include
    // names. The first such exclude in the list names the reason.
    const covering = coveringDir(rel);
    const cover =
      covering.length === 0 ? undefined : compiled.find((p) => p.negated && covering.includes(p));
    if (cover === undefined) return undefined;
    return exactIncludes.some((p) => p.body.startsWith(`${rel}/`)) ? undefined : cover.source;
  };

  return {
    root: absRoot,
    match,
    isIncluded: (absPath) => match(absPath).included,
    dirExcludedBy,
    matchIn,
  };
}

function compilePattern(source: string): CompiledPattern {
  const negated = source.startsWith('!');
  let body = stripDotSlash(negated ? source.slice(1) : source);
  const dirOnly = body.endsWith('/');
  while (body.endsWith('/')) body = body.slice(0, -1);
  const exact = !picomatch.scan(body).isGlob;
  // The bare regular expression: picomatch's matcher function costs several times more per
  // call, and the watch filter asks about every file of the tree.
  const re = exact ? undefined : picomatch.makeRe(body, { dot: true });
  const test = re === undefined ? (rel: string) => rel === body : (rel: string) => re.test(rel);
  // `**/` matches any run of directories (none too) whose names are not `.` or `..`, which a
  // normalized relative path never holds: the rest of the pattern decides on the name alone.
  const tail = body.startsWith('**/') ? body.slice(3) : undefined;
  const nameRe =
    re !== undefined &&
    tail !== undefined &&
    tail !== '' &&
    !tail.includes('/') &&
    !tail.includes('**') &&
    !UNNAMED_TAIL.test(tail)
      ? picomatch.makeRe(tail, { dot: true })
      : undefined;
  const testName = nameRe === undefined ? undefined : nameTest(tail!, nameRe);
  const verdict: PatternMatch = Object.freeze(
    negated
      ? { included: false, by: 'exclude', pattern: source }
      : { included: true, by: 'glob', pattern: source },
  );
  return { source, negated, body, dirOnly, exact, test, testName, verdict, lead: leadOf(body) };
}

/**
 * The test of a file's name against `glob` (one segment), whose expression is `re`: the same
 * answers, most of them without running it. A literal name is compared; otherwise a name that
 * does not end with the glob's literal ending (`.go` of `*.go`) cannot match. The walk asks it
 * of every file of the tree, before the expressions are compiled to machine code.
 */
function nameTest(glob: string, re: RegExp): (name: string) => boolean {
  // `glob` holds none of UNNAMED_TAIL's characters (compilePattern).
  if (!GLOB_CHARS.test(glob) && re.test(glob)) return (name) => name === glob;
  let start = glob.length;
  while (start > 0 && !GLOB_CHARS.test(glob[start - 1]!)) start--;
  const ending = glob.slice(start);
  if (ending === '') return (name) => re.test(name);
  return (name) => name.endsWith(ending) && re.test(name);
}

// A tail picomatch reads otherwise alone than after `**/`: a leading `!` negates it, `|` and
// `"` are not per segment, an escape or a `$` may take another fast path. Such a pattern is
// tested on the whole relative path.
const UNNAMED_TAIL = /^!|[|"\0\\$]/;

// picomatch's glob and escape characters: a segment with none of them matches only itself.
const GLOB_CHARS = /[*?[\]{}()!+@\\]/;

// Characters picomatch does not take literally outside a glob segment either: `|` splits the
// whole expression into alternatives, `"` only quotes, NUL is dropped.
const UNSEGMENTED_CHARS = /[|"\0]/;

/** The segments of `body` before its first glob segment, joined; undefined when none. */
function leadOf(body: string): string | undefined {
  if (UNSEGMENTED_CHARS.test(body)) return undefined;
  const segments = body.split('/');
  const first = segments.findIndex((s) => GLOB_CHARS.test(s));
  return first <= 0 ? undefined : segments.slice(0, first).join('/');
}

/**
 * `p.test(dirRel)` for directory `dirRel` whose last segment is `name`, by the cheapest test
 * that gives the same answer: a `**\/<name glob>` pattern by the name alone (testName), a glob
 * with leading literal directories not at all outside them (a path it matches is its lead or
 * below it). The walk asks it of every directory of the tree, for every pattern.
 */
function matchesDir(p: CompiledPattern, dirRel: string, name: string): boolean {
  if (p.testName !== undefined) return p.testName(name);
  const lead = p.lead;
  if (lead !== undefined && dirRel !== lead && !dirRel.startsWith(`${lead}/`)) return false;
  return p.test(dirRel);
}

/**
 * False when no file directly in the directory `dirRel` can match a pattern whose paths are
 * `lead` or below it (see CompiledPattern.lead); true when one may.
 */
function reaches(lead: string, dirRel: string): boolean {
  if (dirRel === '' || dirRel === lead) return true;
  return dirRel.startsWith(`${lead}/`) || lead.startsWith(`${dirRel}/`);
}

const NONE: readonly CompiledPattern[] = Object.freeze([]);
const NO_MATCH: PatternMatch = Object.freeze({ included: false, by: 'no-match' });
const ROOT_ITSELF: PatternMatch = Object.freeze({ included: false, by: 'root-itself' });

function stripDotSlash(text: string): string {
  let out = text;
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}
