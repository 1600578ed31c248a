import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { describeMatch } from '../report/describe.js';
import {
  checkPattern,
  checkPatternList,
  createPatternMatcher,
  type PatternMatch,
} from './patterns.js';
import { DEFAULT_PATTERNS } from './types.js';

const ROOT = '/m';
const GO = '**/*.go';
const NO_TESTS = '!**/*_test.go';

interface Row {
  readonly patterns: readonly string[];
  readonly path: string;
  readonly included: boolean;
  readonly reason: string;
}

// Each row: patterns, absolute path, expected verdict and reason. Paths outside /m come last.
const rows: readonly Row[] = [
  // ** crosses directories, * does not.
  { patterns: [GO], path: '/m/main.go', included: true, reason: 'included by "**/*.go"' },
  { patterns: [GO], path: '/m/a/b/c.go', included: true, reason: 'included by "**/*.go"' },
  { patterns: ['*.go'], path: '/m/main.go', included: true, reason: 'included by "*.go"' },
  { patterns: ['*.go'], path: '/m/cmd/main.go', included: false, reason: 'matches no pattern' },
  { patterns: [GO], path: '/m/README.md', included: false, reason: 'matches no pattern' },
  {
    patterns: ['cmd/*.go'],
    path: '/m/cmd/x/main.go',
    included: false,
    reason: 'matches no pattern',
  },
  // dot: true, hidden directories are ordinary.
  { patterns: [GO], path: '/m/.hidden/x.go', included: true, reason: 'included by "**/*.go"' },
  // Excludes win over includes, in any order.
  {
    patterns: [GO, NO_TESTS],
    path: '/m/a/x_test.go',
    included: false,
    reason: 'excluded by "!**/*_test.go"',
  },
  {
    patterns: [NO_TESTS, GO],
    path: '/m/a/x_test.go',
    included: false,
    reason: 'excluded by "!**/*_test.go"',
  },
  { patterns: [GO, NO_TESTS], path: '/m/a/x.go', included: true, reason: 'included by "**/*.go"' },
  // An exact path beats a glob, both ways.
  {
    patterns: [GO, NO_TESTS, 'internal/special_test.go'],
    path: '/m/internal/special_test.go',
    included: true,
    reason:
      'included by exact path "internal/special_test.go" (an exact path beats "!**/*_test.go")',
  },
  {
    patterns: [GO, NO_TESTS, 'internal/special_test.go'],
    path: '/m/internal/other_test.go',
    included: false,
    reason: 'excluded by "!**/*_test.go"',
  },
  {
    patterns: [GO, '!gen/models.go'],
    path: '/m/gen/models.go',
    included: false,
    reason: 'excluded by exact path "!gen/models.go" (an exact path beats "**/*.go")',
  },
  {
    patterns: [GO, '!gen/models.go'],
    path: '/m/gen/other.go',
    included: true,
    reason: 'included by "**/*.go"',
  },
  // Two exact paths for the same file: the exclude wins.
  {
    patterns: ['a.go', '!a.go'],
    path: '/m/a.go',
    included: false,
    reason: 'excluded by exact path "!a.go"',
  },
  // An exact path with nothing to beat says only that.
  {
    patterns: ['Makefile'],
    path: '/m/Makefile',
    included: true,
    reason: 'included by exact path "Makefile"',
  },
  // A pattern matching a directory covers everything below it.
  { patterns: [GO, '!gen'], path: '/m/gen/x/y.go', included: false, reason: 'excluded by "!gen"' },
  {
    patterns: [GO, '!gen/'],
    path: '/m/gen/x/y.go',
    included: false,
    reason: 'excluded by "!gen/"',
  },
  {
    patterns: [GO, '!vendor/**'],
    path: '/m/vendor/a/b.go',
    included: false,
    reason: 'excluded by "!vendor/**"',
  },
  {
    patterns: [GO, '!**/testdata'],
    path: '/m/pkg/testdata/x.go',
    included: false,
    reason: 'excluded by "!**/testdata"',
  },
  {
    patterns: ['internal/*'],
    path: '/m/internal/a/b.txt',
    included: true,
    reason: 'included by "internal/*"',
  },
  {
    patterns: ['assets'],
    path: '/m/assets/css/site.css',
    included: true,
    reason: 'included by "assets"',
  },
  // A trailing / means "below this directory": a file of that name is not matched.
  { patterns: ['tmp/'], path: '/m/tmp', included: false, reason: 'matches no pattern' },
  { patterns: ['tmp/'], path: '/m/tmp/a.go', included: true, reason: 'included by "tmp/"' },
  // A directory exclude is a glob-level match for what is below it: an exact file still wins.
  {
    patterns: [GO, '!gen/', 'gen/keep.go'],
    path: '/m/gen/keep.go',
    included: true,
    reason: 'included by exact path "gen/keep.go" (an exact path beats "!gen/")',
  },
  // A directory include is not an exact match for the files below: excludes still win.
  {
    patterns: ['internal', NO_TESTS],
    path: '/m/internal/a_test.go',
    included: false,
    reason: 'excluded by "!**/*_test.go"',
  },
  // The first matching include is the one named.
  { patterns: ['**/*', GO], path: '/m/a.go', included: true, reason: 'included by "**/*"' },
  // Leading ./ is the same as nothing.
  {
    patterns: ['./cmd/**'],
    path: '/m/cmd/api/main.go',
    included: true,
    reason: 'included by "./cmd/**"',
  },
  // Braces, as in the defaults.
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/native/x.h',
    included: true,
    reason: 'included by "**/*.{c,h,s,S,cc,cpp,hpp,m,syso}"',
  },
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/go.work',
    included: true,
    reason: 'included by exact path "go.work"',
  },
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/sub/go.work',
    included: false,
    reason: 'matches no pattern',
  },
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/vendor/modules.txt',
    included: true,
    reason: 'included by exact path "vendor/modules.txt" (an exact path beats "!vendor/**")',
  },
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/vendor/github.com/acme/lib/lib.go',
    included: false,
    reason: 'excluded by "!vendor/**"',
  },
  {
    patterns: DEFAULT_PATTERNS,
    path: '/m/x_test.go',
    included: false,
    reason: 'excluded by "!**/*_test.go"',
  },
  // Outside the root: never, whatever the patterns say.
  { patterns: ['**'], path: '/other/x.go', included: false, reason: 'outside the module root /m' },
  {
    patterns: ['**'],
    path: '/m/../mx/x.go',
    included: false,
    reason: 'outside the module root /m',
  },
  { patterns: ['**'], path: '/mx/a.go', included: false, reason: 'outside the module root /m' },
  { patterns: ['**'], path: '/m', included: false, reason: 'is the module root itself' },
];

describe('createPatternMatcher().match', () => {
  it.each(rows.map((r) => [r.patterns.join(' '), r.path, r]))('%s | %s', (_p, _path, row) => {
    const matcher = createPatternMatcher(row.patterns, ROOT);
    const verdict = matcher.match(row.path);
    expect({ included: verdict.included, reason: describeMatch(verdict) }).toEqual({
      included: row.included,
      reason: row.reason,
    });
    expect(matcher.isIncluded(row.path)).toBe(row.included);
  });

  it('names the deciding pattern as written, and none when nothing matched', () => {
    const m = createPatternMatcher([GO, NO_TESTS], ROOT);
    expect(m.match('/m/a_test.go')).toEqual({ included: false, by: 'exclude', pattern: NO_TESTS });
    expect(m.match('/m/a.go')).toEqual({ included: true, by: 'glob', pattern: GO });
    expect(m.match('/m/a.txt')).toEqual({ included: false, by: 'no-match' });
  });

  // Regression: a pattern holding ESC was printed raw in the verbose reason.
  it('quotes the pattern in the reason with control characters escaped', () => {
    const m = createPatternMatcher(['\u001bx*', '!x\u009b*'], ROOT);
    expect(describeMatch(m.match('/m/\u001bxa'))).toBe('included by "\\x1bx*"');
    expect(describeMatch(m.match('/m/x\u009by'))).toBe('excluded by "!x\\x9b*"');
  });

  it('accepts a root given with a trailing slash or relative segments', () => {
    const m = createPatternMatcher([GO], '/m/sub/../');
    expect(m.root).toBe('/m');
    expect(m.isIncluded('/m/a.go')).toBe(true);
  });
});

/** The rules of createPatternMatcher, spelled out directly: each pattern tested on its own. */
function referenceMatch(patterns: readonly string[], rel: string): PatternMatch {
  const compiled = patterns.map((source) => {
    const negated = source.startsWith('!');
    let body = negated ? source.slice(1) : source;
    while (body.startsWith('./')) body = body.slice(2);
    const dirOnly = body.endsWith('/');
    while (body.endsWith('/')) body = body.slice(0, -1);
    const exact = !picomatch.scan(body).isGlob;
    const re = picomatch.makeRe(body, { dot: true });
    return {
      source,
      negated,
      body,
      dirOnly,
      exact,
      test: (x: string) => (exact ? x === body : re.test(x)),
    };
  });
  const parts = rel.split('/');
  const ancestors = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
  const covers = (p: (typeof compiled)[number]) =>
    (!p.dirOnly && p.test(rel)) || ancestors.some((a) => p.test(a));
  const exactHits = compiled.filter((p) => p.exact && !p.dirOnly && p.body === rel);
  const otherHits = compiled.filter((p) => !exactHits.includes(p) && covers(p));
  if (exactHits.length > 0) {
    const exclude = exactHits.find((p) => p.negated);
    const winner = exclude ?? exactHits[0]!;
    const beaten = otherHits.find((p) => p.negated !== winner.negated);
    return {
      included: exclude === undefined,
      by: 'exact',
      pattern: winner.source,
      ...(beaten ? { beats: beaten.source } : {}),
    };
  }
  const exclude = otherHits.find((p) => p.negated);
  if (exclude) return { included: false, by: 'exclude', pattern: exclude.source };
  return otherHits[0]
    ? { included: true, by: 'glob', pattern: otherHits[0].source }
    : { included: false, by: 'no-match' };
}

describe('createPatternMatcher().match against the rules, on random lists and paths', () => {
  const segment = fc.constantFrom('a', 'b', 'gen', 'x.go', 'y_test.go', 'm.txt');
  const pattern = fc
    .tuple(
      fc.boolean(),
      fc.array(fc.constantFrom('**', '*', 'a', 'gen', '*.go', '*_test.go', 'x.go', 'a/x.go'), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.boolean(),
    )
    .map(
      ([negated, parts, dirOnly]) => `${negated ? '!' : ''}${parts.join('/')}${dirOnly ? '/' : ''}`,
    );
  it('gives the same verdict, whatever order the paths are asked in', () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 30,
        }),
        (patterns, paths) => {
          // One matcher for all paths: what it remembers between calls must not leak.
          const m = createPatternMatcher(patterns, ROOT);
          for (const parts of paths) {
            const rel = parts.join('/');
            expect(m.match(`${ROOT}/${rel}`)).toEqual(referenceMatch(patterns, rel));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matchIn gives the verdict of match for each file of a directory', () => {
    const name = fc.constantFrom('x.go', 'y_test.go', 'm.txt', '.z.go', 'go.mod', 'a', 'gen');
    const list = fc.oneof(
      fc.array(pattern, { minLength: 0, maxLength: 5 }),
      fc.constant([...DEFAULT_PATTERNS]),
      fc.constant([...DEFAULT_PATTERNS, 'gen/x.go', '!a/**/m.txt', '**/.z.go', 'a/*']),
    );
    fc.assert(
      fc.property(
        list,
        fc.array(fc.constantFrom('a', 'b', 'gen', 'x.go', 'vendor', '.h'), { maxLength: 3 }),
        fc.array(name, { minLength: 1, maxLength: 8 }),
        (patterns, dirParts, names) => {
          const m = createPatternMatcher(patterns, ROOT);
          const dir = [ROOT, ...dirParts].join('/');
          const inDir = m.matchIn(dir);
          for (const n of names) expect(inDir(n)).toEqual(m.match(`${dir}/${n}`));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matchIn agrees with the reference in every directory one matcher is asked about', () => {
    // Globs with leading literal directories (left out of directories they cannot reach),
    // and directories in any order: what the matcher keeps between calls must not leak.
    const glob = fc.constantFrom(
      '**/*.go',
      'vendor/**',
      'a/b/*.go',
      'a/*',
      'gen/**/x.go',
      'a/gen/',
      '**/m.txt',
      'b/**',
      'a/x.go',
      // Not literal leads: `|` makes alternatives of the whole expression, `"` only quotes.
      'x|b/*.go',
      'vendor/x|**/*.go',
      '"gen"/*.go',
    );
    const pattern = fc.tuple(fc.boolean(), glob).map(([neg, g]) => (neg ? `!${g}` : g));
    const dirParts = fc.array(fc.constantFrom('a', 'b', 'gen', 'vendor', 'x.go'), { maxLength: 4 });
    const name = fc.constantFrom('x.go', 'y_test.go', 'm.txt', 'a', 'b', 'gen', 'vendor');
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(dirParts, fc.array(name, { minLength: 1, maxLength: 4 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (patterns, dirs) => {
          const m = createPatternMatcher(patterns, ROOT);
          for (const [parts, names] of dirs) {
            const inDir = m.matchIn([ROOT, ...parts].join('/'));
            for (const n of names) {
              expect(inDir(n)).toEqual(referenceMatch(patterns, [...parts, n].join('/')));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps covering directories right past the directories it keeps (a big tree)', () => {
    // gen/ covers everything below it; 3,000 directories are more than the matcher keeps.
    const m = createPatternMatcher(['**/*.go', '!gen/'], ROOT);
    for (let i = 0; i < 3000; i++) {
      const dir = i % 2 === 0 ? `${ROOT}/gen/d${i}/e` : `${ROOT}/src/d${i}/e`;
      expect(m.matchIn(dir)('x.go').included).toBe(i % 2 !== 0);
      expect(m.match(`${dir}/y.go`).included).toBe(i % 2 !== 0);
    }
  });
});

describe('createPatternMatcher(): names tested without the expression', () => {
  // A `**/<name glob>` pattern tests a file's name by a comparison (a literal name) or by its
  // literal ending first (`.go` of `*.go`): the answers must be the expression's own.
  it("gives the verdict of the whole pattern's expression (property)", () => {
    const tail = fc.constantFrom(
      '*.go',
      '*_test.go',
      'go.mod',
      '*.{c,h}',
      'x?.go',
      '[ab].go',
      '*.go.bak',
      '.env',
      '*.',
      '*.+(go|mod)',
      'a\\*.go',
      '*.tar.gz',
      '$x.go',
      '!a',
      'a|b',
      'a$$',
      'a\\\\',
    );
    const part = fc.constantFrom(
      '',
      '.',
      'a',
      'x',
      'go',
      '.go',
      '_test',
      '.mod',
      '.c',
      '.h',
      '.',
      '*',
      '$',
      'bak',
      '.env',
      '.gz',
      '$$',
      '!a',
      'a|b',
      'b',
      '\\',
    );
    const name = fc
      .array(part, { minLength: 1, maxLength: 4 })
      .map((p) => p.join(''))
      .filter((n) => n !== '');
    let matched = 0;
    fc.assert(
      fc.property(tail, name, (t, n) => {
        const pattern = `**/${t}`;
        const expected = picomatch.makeRe(pattern, { dot: true }).test(`d/${n}`);
        if (expected) matched++;
        const m = createPatternMatcher([pattern], ROOT);
        expect(m.matchIn('/m/d')(n).included).toBe(expected);
        expect(m.match(`/m/d/${n}`).included).toBe(expected);
      }),
      { numRuns: 4000, seed: 4242 },
    );
    expect(matched).toBeGreaterThan(40);
  });
});

describe('createPatternMatcher().dirExcludedBy', () => {
  const cases: readonly [readonly string[], string, string | undefined][] = [
    [[GO, '!vendor/**'], '/m/vendor', '!vendor/**'],
    [[GO, '!vendor/**'], '/m/vendor/a/b', '!vendor/**'],
    [[GO, '!tmp/'], '/m/tmp', '!tmp/'],
    [[GO, '!**/testdata'], '/m/a/testdata', '!**/testdata'],
    [[GO, '!**/testdata'], '/m/a/testdata/deep', '!**/testdata'],
    [[GO, '!gen/', 'gen/keep.go'], '/m/gen', undefined],
    [[GO, '!gen/', 'gen/keep.go'], '/m/gen/sub', '!gen/'],
    // A file exclude does not make its directory skippable.
    [[GO, NO_TESTS], '/m/internal', undefined],
    [[GO, '!gen/models.go'], '/m/gen', undefined],
    [[GO], '/m/vendor', undefined],
    [[GO, '!vendor/**'], '/m/vendored', undefined],
    [[GO, '!vendor/**'], '/m', undefined],
    [[GO], '/elsewhere', 'outside'],
    // The defaults walk vendor/ only for modules.txt, never its packages.
    [DEFAULT_PATTERNS, '/m/vendor', undefined],
    [DEFAULT_PATTERNS, '/m/vendor/github.com', '!vendor/**'],
  ];
  it.each(cases)('%j %s -> %s', (patterns, dir, expected) => {
    expect(createPatternMatcher(patterns, ROOT).dirExcludedBy(dir)).toBe(expected);
  });

  it('never skips a directory that holds an included file (property)', () => {
    const segment = fc.constantFrom('a', 'b', 'gen', 'vendor', 'x_test.go', 'y.go');
    const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const glob = fc.oneof(
      relPath,
      fc.constantFrom('**/*.go', '*.go', '**/*_test.go', 'gen/**', '**/vendor', 'a/*', '**'),
      relPath.map((p) => `${p}/`),
    );
    const pattern = fc.tuple(fc.boolean(), glob).map(([neg, g]) => (neg ? `!${g}` : g));
    let skipped = 0;
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 6 }), relPath, relPath, (patterns, dir, below) => {
        const m = createPatternMatcher(patterns, ROOT);
        if (m.dirExcludedBy(`/m/${dir}`) !== undefined) {
          skipped++;
          expect(m.isIncluded(`/m/${dir}/${below}`)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
    // The property is only worth something if the generator reaches the skip branch often.
    expect(skipped).toBeGreaterThan(100);
  });

  // A directory is asked about by its name alone for a `**/<name>` pattern, and not at all
  // outside a glob's leading directories: the answer is still the one of the whole pattern's
  // regular expression on each of the directory's ancestors and itself.
  it('names the first exclude whose expression matches the directory or an ancestor (property)', () => {
    const segment = fc.constantFrom(
      'a',
      'b',
      'bc',
      'gen',
      'vendor',
      'vendorx',
      'y.go',
      '.h',
      '!a',
      'a$$',
      'a|b',
    );
    const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const glob = fc.constantFrom(
      '**/*.go',
      '**/vendor',
      '**/b*',
      '**/.h',
      'vendor/**',
      'a/b/*',
      'a/b/**',
      'gen/*.go',
      'a/**/gen',
      '*/bc',
      'a/b',
      '**/!a',
      '**/a|b',
      '**/a$$',
    );
    let excluded = 0;
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 5 }), relPath, (globs, dir) => {
        const patterns = ['**/*.go', ...globs.map((g) => `!${g}`)];
        const segments = dir.split('/');
        const ancestors = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
        const expected = patterns.find(
          (p) =>
            p.startsWith('!') &&
            ancestors.some((a) => picomatch.makeRe(p.slice(1), { dot: true }).test(a)),
        );
        if (expected !== undefined) excluded++;
        expect(createPatternMatcher(patterns, ROOT).dirExcludedBy(`/m/${dir}`)).toBe(expected);
      }),
      { numRuns: 3000, seed: 4242 },
    );
    expect(excluded).toBeGreaterThan(300);
  });
});

describe('checkPattern', () => {
  const cases: readonly [string, string | undefined][] = [
    ['**/*.go', undefined],
    ['!**/*_test.go', undefined],
    ['./cmd/**', undefined],
    ['gen/', undefined],
    ['', 'is empty'],
    ['   ', 'is empty'],
    [' **/*.go', 'has leading or trailing whitespace'],
    ['!', 'is "!" alone, which excludes nothing; write "!" and then a pattern'],
    ['!!x', 'starts with "!!"; a pattern is either an include or one "!" exclude'],
    ['./', 'names no path'],
    ['/go.mod', 'starts with "/"; patterns are relative to the module root, drop the "/"'],
    ['!../lib/**', 'contains ".."; patterns cannot reach outside the module root'],
    ['a\\b.go', 'contains "\\"; write paths with "/"'],
  ];
  it.each(cases)('%j -> %s', (pattern, problem) => {
    expect(checkPattern(pattern)).toBe(problem);
  });

  it('rejects empty and exclude-only lists, accepts the defaults', () => {
    expect(checkPatternList([])).toBe('is empty, so nothing would be watched');
    expect(checkPatternList(['!vendor/**'])).toMatch(/^has only "!" excludes/);
    expect(checkPatternList(DEFAULT_PATTERNS)).toBeUndefined();
  });
});
