/**
 * Converts a parsed `.air.toml` into a gohot.json, and says for every key what became of
 * it. Pure: the parsed document and the module's main packages in, a value out.
 */
import { didYouMean } from '../config/suggest.js';
import type { ConfigFile } from '../config/types.js';
import { convertCommands } from './air-command.js';
import {
  AIR_ALIASES,
  AIR_BUILD_TABLES,
  AIR_PLATFORM_KEYS,
  AIR_TABLES,
  type AirKeySpec,
  type AirValueType,
} from './air-keys.js';
import type { AirConversion, AirNote } from './air-notes.js';
import { AirWork, goDurationMs, msDuration } from './air-values.js';
import { convertWatch } from './air-watch.js';

/** What the conversion needs to know about the module. */
export interface AirConvertOptions {
  /** Main packages relative to the module root (`.`, `./cmd/api`), the preferred one first. */
  readonly mains: readonly string[];
  /** The `$schema` value to write. @default none */
  readonly schema?: string;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Converts `doc` (the object a TOML parser returns). */
export function convertAir(doc: Table, options: AirConvertOptions): AirConversion {
  const values = new Map<string, unknown>();
  const early: AirNote[] = [];
  readTables(doc, values, early);
  const order = fileOrder(doc);
  const work = new AirWork(values);
  work.notes.push(...early);
  const prefix = convertRoot(work);
  convertCommands(work, options.mains, prefix);
  convertWatch(work, prefix);
  convertStop(work);
  convertPoll(work);
  convertDelay(work);
  for (const [key, spec] of fixedKeys()) {
    if (values.has(key)) {
      const { kind, reason } = spec.fixed(values.get(key));
      work.note(key, kind, reason);
    }
  }
  const envFiles = work.get<string[]>('env_files');
  if (envFiles !== undefined) {
    if (envFiles.length === 0) work.note('env_files', 'not-needed', { by: 'same-as-gohot' });
    else work.note('env_files', 'unsupported', { by: 'env-files-not-yet', files: envFiles });
  }
  const proxyOn = work.get<boolean>('proxy.enabled') === true;
  for (const key of [
    'proxy.enabled',
    'proxy.proxy_port',
    'proxy.app_port',
    'proxy.app_start_timeout',
  ]) {
    if (proxyOn) work.noteIfSet(key, 'unsupported', { by: 'proxy-not-yet' });
    else
      work.noteIfSet(
        key,
        'not-needed',
        key === 'proxy.enabled'
          ? { by: 'same-as-gohot' }
          : { by: 'only-with', other: 'proxy.enabled' },
      );
  }
  const rank = (n: AirNote) => {
    const base = n.key.replace(/\[\d+\]$/, '');
    const i = order.indexOf(base);
    return i === -1 ? order.length : i;
  };
  const notes = work.notes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i)
    .map((x) => x.n);
  return { config: assemble(work, options.schema), notes, warnings: work.warnings };
}

/** Every key path of the file (`build.cmd`, `build.linux.bin`, `coalor`), in file order. */
function fileOrder(doc: Table, prefix = ''): string[] {
  return Object.entries(doc).flatMap(([key, value]) => {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    const known = prefix === '' ? Object.hasOwn(AIR_TABLES, key) : prefix === 'build';
    return isTable(value) && known ? [full, ...fileOrder(value, full)] : [full];
  });
}

function* fixedKeys(): Generator<[string, Extract<AirKeySpec, { fixed: unknown }>]> {
  for (const [table, keys] of Object.entries(AIR_TABLES)) {
    for (const [key, spec] of Object.entries(keys)) {
      if ('fixed' in spec) yield [table === '' ? key : `${table}.${key}`, spec];
    }
  }
}

/** Reads every key into `values` (type-checked), noting unknown and mistyped ones. */
function readTables(doc: Table, values: Map<string, unknown>, notes: AirNote[]): void {
  const top = AIR_TABLES[''] ?? {};
  const tableNames = Object.keys(AIR_TABLES).filter((t) => t !== '');
  for (const [key, value] of Object.entries(doc)) {
    if (Object.hasOwn(top, key)) {
      readValue(key, top[key]!, value, values, notes);
    } else if (tableNames.includes(key)) {
      if (!isTable(value)) {
        notes.push({
          key,
          kind: 'unsupported',
          reason: { by: 'wrong-type', expected: `a table [${key}]` },
        });
        continue;
      }
      readTable(key, value, values, notes);
    } else {
      notes.push({
        key,
        kind: 'unknown',
        reason: unknown(key, isTable(value), ['']),
      });
    }
  }
}

function readTable(
  table: string,
  doc: Table,
  values: Map<string, unknown>,
  notes: AirNote[],
): void {
  const keys = AIR_TABLES[table] ?? {};
  for (const [key, value] of Object.entries(doc)) {
    const full = `${table}.${key}`;
    if (Object.hasOwn(keys, key)) {
      readValue(full, keys[key]!, value, values, notes);
      continue;
    }
    const sub =
      table === 'build' && Object.hasOwn(AIR_BUILD_TABLES, key) ? AIR_BUILD_TABLES[key] : undefined;
    if (sub === 'rules') {
      notes.push({ key: full, kind: 'unsupported', reason: { by: 'rules-not-yet' } });
    } else if (sub === 'platform' && isTable(value)) {
      readPlatform(key, value, values, notes);
    } else {
      notes.push({ key: full, kind: 'unknown', reason: unknown(key, isTable(value), [table]) });
    }
  }
}

/** `[build.linux]` applies (gohot runs on Linux); `[build.windows]`, `[build.darwin]` do not. */
function readPlatform(
  os: string,
  doc: Table,
  values: Map<string, unknown>,
  notes: AirNote[],
): void {
  const full = `build.${os}`;
  if (os !== 'linux') {
    notes.push({ key: full, kind: 'not-needed', reason: { by: 'other-platform', os } });
    return;
  }
  const build = AIR_TABLES.build ?? {};
  const to: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (!AIR_PLATFORM_KEYS.includes(key)) {
      notes.push({
        key: `${full}.${key}`,
        kind: 'unknown',
        reason: unknown(key, isTable(value), ['build']),
      });
      continue;
    }
    readValue(`build.${key}`, build[key]!, value, values, notes, `${full}.${key}`);
    to.push(`build.${key}`);
  }
  notes.push({ key: full, kind: 'mapped', reason: { by: 'mapped', to } });
}

function readValue(
  key: string,
  spec: AirKeySpec,
  value: unknown,
  values: Map<string, unknown>,
  notes: AirNote[],
  shownAs = key,
): void {
  const typed = checkType(spec.type, value);
  if (typed === undefined) {
    notes.push({
      key: shownAs,
      kind: 'unsupported',
      reason: { by: 'wrong-type', expected: EXPECTED[spec.type] },
    });
    return;
  }
  // A key read again (from [build.linux]) keeps its first position in the report.
  values.set(key, typed.value);
}

const EXPECTED: Readonly<Record<AirValueType, string>> = {
  string: 'a string',
  'string-or-unset': 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  strings: 'an array of strings',
  duration: 'a duration string such as "500ms" or an integer',
  entrypoint: 'a string or an array of strings',
};

function checkType(type: AirValueType, value: unknown): { value: unknown } | undefined {
  switch (type) {
    case 'string':
    case 'string-or-unset':
      return typeof value === 'string' ? { value } : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? { value } : undefined;
    case 'integer':
      return Number.isInteger(value) ? { value } : undefined;
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? { value }
        : undefined;
    case 'duration':
      if (Number.isInteger(value)) return { value };
      return typeof value === 'string' && goDurationMs(value) !== undefined ? { value } : undefined;
    case 'entrypoint':
      if (typeof value === 'string') return { value: value === '' ? [] : [value] };
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? { value }
        : undefined;
  }
}

/** The did-you-mean of an unknown key: an alias, a near key here, or the table it belongs in. */
function unknown(key: string, table: boolean, tables: readonly string[]): AirNote['reason'] {
  const alias = Object.hasOwn(AIR_ALIASES, key) ? AIR_ALIASES[key] : undefined;
  const here = tables.flatMap((t) => Object.keys(AIR_TABLES[t] ?? {}));
  const topTables = tables.includes('') ? Object.keys(AIR_TABLES).filter((t) => t !== '') : [];
  const near = alias ?? didYouMean(key, table ? [...topTables, ...here] : [...here, ...topTables]);
  if (near !== undefined) {
    const full =
      tables.length === 1 && tables[0] !== '' && !topTables.includes(near)
        ? `${tables[0]}.${near}`
        : near;
    return { by: 'unknown-key', table, suggestion: full };
  }
  // A known key in the wrong table, e.g. `cmd` at the top level.
  for (const [t, keys] of Object.entries(AIR_TABLES)) {
    if (table) break;
    if (t !== '' && !tables.includes(t) && Object.hasOwn(keys, key)) {
      return { by: 'unknown-key', table, suggestion: `${t}.${key}` };
    }
  }
  return { by: 'unknown-key', table, suggestion: undefined };
}

/** air's root relative to the module root: `''` for the module root, `web/` for a subdirectory. */
function convertRoot(work: AirWork): string {
  const root = work.get<string>('root');
  if (root === undefined) return '';
  const clean = root
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (clean === '' || clean === '.') {
    work.note('root', 'not-needed', { by: 'same-as-gohot' });
    return '';
  }
  if (clean.startsWith('/') || clean.startsWith('~') || clean.split('/').includes('..')) {
    work.note('root', 'unsupported', { by: 'outside-root', path: root });
    return '';
  }
  work.note('root', 'mapped', { by: 'root-prefix', root: clean });
  return `${clean}/`;
}

function convertStop(work: AirWork): void {
  const interrupt = work.get<boolean>('build.send_interrupt') === true;
  const raw = work.get<number | string>('build.kill_delay');
  if (!interrupt) {
    work.noteIfSet('build.send_interrupt', 'not-needed', { by: 'graceful-stop' });
    work.noteIfSet('build.kill_delay', 'not-needed', {
      by: 'only-with',
      other: 'build.send_interrupt',
    });
    return;
  }
  work.draft.run.stopSignal = 'SIGINT';
  work.note('build.send_interrupt', 'mapped', { by: 'mapped', to: ['run.stopSignal'] });
  if (raw === undefined) return;
  // air reads a bare integer below 1,000,000 as milliseconds, anything else as a
  // time.Duration in nanoseconds, truncated to whole milliseconds (runner/config.go killDelay).
  const ms =
    typeof raw === 'number'
      ? raw < 1_000_000
        ? raw
        : Math.floor(raw / 1_000_000)
      : Math.floor(goDurationMs(raw) ?? 0);
  if (ms <= 0) {
    work.note('build.kill_delay', 'not-needed', { by: 'kill-delay-zero' });
    return;
  }
  work.draft.run.stopTimeout = msDuration(ms);
  work.note('build.kill_delay', 'mapped', { by: 'kill-delay', ms, raw });
}

function convertPoll(work: AirWork): void {
  const poll = work.get<boolean>('build.poll');
  const interval = work.get<number>('build.poll_interval');
  if (poll !== true) {
    work.noteIfSet('build.poll', 'not-needed', { by: 'same-as-gohot' });
    work.noteIfSet('build.poll_interval', 'not-needed', { by: 'only-with', other: 'build.poll' });
    return;
  }
  work.draft.watch.poll = true;
  work.note('build.poll', 'mapped', { by: 'mapped', to: ['watch.poll'] });
  if (interval === undefined) return;
  // air polls at least every 500 ms, whatever the file says (runner/watcher.go).
  const ms = Math.max(interval, 500);
  work.draft.watch.pollInterval = msDuration(ms);
  work.note('build.poll_interval', 'mapped', { by: 'poll-interval', ms, raised: ms !== interval });
}

function convertDelay(work: AirWork): void {
  const delay = work.get<number>('build.delay');
  if (delay === undefined) return;
  if (delay <= 0) {
    work.note('build.delay', 'not-needed', { by: 'delay-zero' });
    return;
  }
  work.draft.watch.quietWindow = msDuration(delay);
  work.note('build.delay', 'mapped', { by: 'delay', ms: delay });
}

/** The gohot.json object, keys in the README's order, empty sections left out. */
function assemble(work: AirWork, schema: string | undefined): ConfigFile {
  const d = work.draft;
  const pick = <T extends object>(o: T): T | undefined => {
    const entries = Object.entries(o).filter(([, v]) => {
      if (v === undefined) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
      return true;
    });
    return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
  };
  const build = pick({
    flags: d.build.flags,
    tags: d.build.tags,
    ldflags: d.build.ldflags,
    env: d.build.env,
    buildvcs: d.build.buildvcs,
    debug: d.build.debug,
  });
  const run = pick({
    args: d.run.args,
    env: d.run.env,
    stopSignal: d.run.stopSignal,
    stopTimeout: d.run.stopTimeout,
  });
  const watch = pick({
    patterns: d.watch.patterns,
    restartOnly: d.watch.restartOnly,
    quietWindow: d.watch.quietWindow,
    poll: d.watch.poll,
    pollInterval: d.watch.pollInterval,
  });
  return pick({ $schema: schema, main: d.main, build, run, watch }) ?? {};
}
