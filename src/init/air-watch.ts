/**
 * air's six watch settings (`include_ext`, `exclude_dir`, `include_dir`, `include_file`,
 * `exclude_file`, `exclude_regex`, plus the always-skipped `tmp_dir` and `testdata_dir`)
 * as gohot's ordered glob lists. Extensions go build reads become `watch.patterns` (a
 * change rebuilds); the others (templates, assets) become `watch.restartOnly`: air rebuilt
 * and restarted on them, and gohot restarts the app without a build, and builds when the
 * binary embeds the file. Missing keys take air's defaults
 * (docs/facts.md#air-config-semantics).
 */
import { checkPattern } from '../config/patterns.js';
import { convertAirRegex } from './air-regex.js';
import type { AirWork } from './air-values.js';

/** air's defaults for the watch keys (runner/config.go, defaultConfigBase). */
export const AIR_WATCH_DEFAULTS = {
  include_ext: ['go', 'tpl', 'tmpl', 'html'],
  exclude_dir: ['assets', 'tmp', 'vendor', 'testdata'],
  exclude_regex: ['_test.go'],
  tmp_dir: 'tmp',
  testdata_dir: 'testdata',
} as const;

/** Extensions of files go build compiles (gohot's default patterns). */
const BUILT_EXTS = new Set(['go', 'c', 'h', 's', 'S', 'cc', 'cpp', 'hpp', 'm', 'syso']);
/**
 * Generators whose inputs are known. When one is a beforeBuild hook, a change of its
 * input must build (which runs the hook), as in air, not restart without a build.
 */
const GENERATOR_INPUTS: Readonly<Record<string, readonly string[]>> = {
  templ: ['templ'],
  sqlc: ['sql'],
};
/** Module files gohot always watches: a go.mod edit changes what is built. */
const MODULE_FILES = ['**/go.mod', '**/go.sum', 'go.work', 'go.work.sum'];

const clean = (p: string) =>
  p
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');

const braces = (exts: readonly string[]) =>
  exts.length === 1 ? `*.${exts[0]}` : `*.{${exts.join(',')}}`;

/** Converts the watch keys; `prefix` is air's root below the module root (`''` or `web/`). */
export function convertWatch(work: AirWork, prefix: string): void {
  const { patterns, restartOnly } = work.draft.watch;
  const list = (key: keyof typeof AIR_WATCH_DEFAULTS, full: string) => {
    const value = work.get<string[]>(full);
    if (value !== undefined) return { value, defaulted: false };
    return { value: AIR_WATCH_DEFAULTS[key] as readonly string[], defaulted: true };
  };
  const exts = list('include_ext', 'build.include_ext');
  const trimmed = exts.value.map((e) => e.trim().replace(/^\./, '')).filter(Boolean);
  const wildcard = trimmed.includes('*');
  const generated = new Set(
    work.draft.hooks.beforeBuild.flatMap((c) => {
      const tool = (c[0] ?? '').replace(/^.*\//, '');
      return Object.hasOwn(GENERATOR_INPUTS, tool) ? GENERATOR_INPUTS[tool]! : [];
    }),
  );
  const isBuilt = (e: string) => BUILT_EXTS.has(e) || generated.has(e);
  const built = trimmed.filter(isBuilt);
  const restart = wildcard
    ? ['*']
    : trimmed.filter((e) => !isBuilt(e) && e !== 'mod' && e !== 'sum');

  const includeDirs = (work.get<string[]>('build.include_dir') ?? []).map(clean).filter(Boolean);
  const inside = includeDirs.filter(
    (d) => !d.startsWith('/') && !d.startsWith('../') && d !== '..',
  );
  const bases = inside.length > 0 ? inside.map((d) => `${prefix}${d}/`) : [prefix];
  const buildExts = wildcard ? [...BUILT_EXTS] : built.includes('go') ? built : ['go', ...built];
  for (const base of bases) patterns.push(`${base}**/${braces(buildExts)}`);
  patterns.push(...MODULE_FILES);
  for (const base of bases) {
    if (wildcard) restartOnly.push(`${base}**/*`);
    else if (restart.length > 0) restartOnly.push(`${base}**/${braces(restart)}`);
  }
  const toExts = [
    ...(buildExts.length > 0 ? ['watch.patterns'] : []),
    ...(restart.length > 0 ? ['watch.restartOnly'] : []),
  ];
  if (exts.defaulted) {
    work.note(
      'build.include_ext',
      'mapped',
      { by: 'air-default', to: toExts, value: exts.value },
      true,
    );
  } else {
    work.note('build.include_ext', 'mapped', {
      by: 'include-ext',
      built: wildcard ? ['*'] : built,
      restart,
    });
  }
  if (work.has('build.include_dir')) {
    for (const dir of includeDirs.filter((d) => !inside.includes(d))) {
      work.note('build.include_dir', 'unsupported', { by: 'outside-root', path: dir });
    }
    if (inside.length > 0 || includeDirs.length === 0) {
      work.note(
        'build.include_dir',
        includeDirs.length === 0 ? 'not-needed' : 'mapped',
        includeDirs.length === 0 ? { by: 'same-as-gohot' } : { by: 'mapped', to: toExts },
      );
    }
  }

  const includeFiles = (work.get<string[]>('build.include_file') ?? []).map(clean).filter(Boolean);
  const toFiles = new Set<string>();
  for (const file of includeFiles) {
    const ext = file.includes('.') ? file.slice(file.lastIndexOf('.') + 1) : '';
    const built = BUILT_EXTS.has(ext);
    (built ? patterns : restartOnly).push(`${prefix}${file}`);
    toFiles.add(built ? 'watch.patterns' : 'watch.restartOnly');
  }
  if (includeFiles.length > 0) {
    work.note('build.include_file', 'mapped', { by: 'mapped', to: [...toFiles] });
  } else work.noteIfSet('build.include_file', 'not-needed', { by: 'same-as-gohot' });

  const excludes: string[] = [];
  const addExclude = (glob: string) => {
    if (!excludes.includes(glob)) excludes.push(glob);
  };
  for (const [key, what] of [
    ['tmp_dir', 'tmp_dir'],
    ['testdata_dir', 'testdata_dir'],
  ] as const) {
    const dir = clean(work.get<string>(key) || AIR_WATCH_DEFAULTS[key]);
    if (dir === '' || dir.startsWith('/') || dir.startsWith('..')) {
      work.noteIfSet(key, 'not-needed', { by: 'gohot-binary' });
      continue;
    }
    addExclude(`${prefix}${dir}/`);
    work.noteIfSet(key, 'mapped', { by: 'skip-dir', dir, what });
  }
  const excludeDirs = list('exclude_dir', 'build.exclude_dir');
  for (const dir of excludeDirs.value.map(clean).filter(Boolean)) addExclude(`${prefix}${dir}/`);
  const toEx = ['watch.patterns', ...(restartOnly.length > 0 ? ['watch.restartOnly'] : [])];
  if (excludeDirs.defaulted) {
    const reason = { by: 'air-default', to: toEx, value: excludeDirs.value } as const;
    work.note('build.exclude_dir', 'mapped', reason, true);
  } else if (excludeDirs.value.length === 0) {
    work.note('build.exclude_dir', 'not-needed', { by: 'same-as-gohot' });
  } else work.note('build.exclude_dir', 'mapped', { by: 'mapped', to: toEx });
  if (excludes.includes(`${prefix}vendor/`) && buildExts.includes('go')) {
    // gohot follows vendored code through vendor/modules.txt (docs/facts.md#vendored-modules).
    patterns.push(`${prefix}vendor/modules.txt`);
  }
  if (wildcard) addExclude('**/.*/');

  const excludeFiles = (work.get<string[]>('build.exclude_file') ?? []).map(clean).filter(Boolean);
  let fileOk = 0;
  for (const glob of excludeFiles) {
    const problem = /[{}]/.test(glob)
      ? 'uses braces, which air reads literally'
      : checkPattern(`${prefix}${glob}`);
    if (problem !== undefined) {
      work.note('build.exclude_file', 'unsupported', {
        by: 'not-a-glob',
        pattern: glob,
        what: problem,
      });
    } else {
      addExclude(`${prefix}${glob}`);
      fileOk++;
    }
  }
  if (work.has('build.exclude_file') && (fileOk > 0 || excludeFiles.length === 0)) {
    work.note(
      'build.exclude_file',
      fileOk > 0 ? 'mapped' : 'not-needed',
      fileOk > 0 ? { by: 'mapped', to: toEx } : { by: 'same-as-gohot' },
    );
  }

  const regexes = list('exclude_regex', 'build.exclude_regex');
  regexes.value.forEach((regex, i) => {
    const key = regexes.defaulted ? 'build.exclude_regex' : `build.exclude_regex[${i}]`;
    const converted = convertAirRegex(regex);
    const conversion =
      converted.kind === 'exact' || converted.kind === 'approximate'
        ? { ...converted, globs: converted.globs.map(testGlob) }
        : converted;
    if (conversion.kind === 'exact' || conversion.kind === 'approximate') {
      for (const glob of conversion.globs) addExclude(glob);
      work.note(key, 'mapped', { by: 'exclude-regex', regex, conversion }, regexes.defaulted);
    } else {
      work.note(
        key,
        conversion.kind === 'matches-nothing' ? 'not-needed' : 'unsupported',
        {
          by: 'exclude-regex',
          regex,
          conversion,
        },
        regexes.defaulted,
      );
    }
  });
  // gohot never builds for a test file; said in the patterns, as in its defaults.
  addExclude('**/*_test.go');
  // air watches a rule's include_dir even when exclude_dir names it (runner/engine.go
  // isRuleDir); in gohot an exclude wins over every include, the rule's too.
  const ruleDirs = work.draft.ruleDirs.filter((d) => excludes.includes(d));
  for (const dir of ruleDirs) work.warn({ by: 'rule-dir-excluded', dir });
  patterns.push(...excludes.filter((g) => !ruleDirs.includes(g)).map((g) => `!${g}`));
  if (restartOnly.length > 0) restartOnly.push(...excludes.map((g) => `!${g}`));
}

/** `**\/*_test.go*` (air's `_test.go`, unanchored) is gohot's test-file exclude. */
function testGlob(glob: string): string {
  return glob === '**/*_test.go*' ? '**/*_test.go' : glob;
}
