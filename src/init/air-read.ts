/**
 * Reads a parsed `.air.toml` into dotted keys (`build.cmd`) with air's types checked, in
 * file order, and notes every key air does not read, with a did-you-mean.
 */
import { didYouMean } from '../config/suggest.js';
import {
  AIR_ALIASES,
  AIR_BUILD_TABLES,
  AIR_PLATFORM_KEYS,
  AIR_TABLES,
  type AirKeySpec,
  type AirValueType,
} from './air-keys.js';
import type { AirNote } from './air-notes.js';
import { goDurationMs } from './air-values.js';

/** A TOML table as the parser returns it. */
export type Table = Record<string, unknown>;

/** True for a TOML table (not an array, a date or a scalar). */
export const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Every key path of the file (`build.cmd`, `build.linux.bin`, `coalor`), in file order. */
export function fileOrder(doc: Table, prefix = ''): string[] {
  return Object.entries(doc).flatMap(([key, value]) => {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    const known = prefix === '' ? Object.hasOwn(AIR_TABLES, key) : prefix === 'build';
    return isTable(value) && known ? [full, ...fileOrder(value, full)] : [full];
  });
}

/** Reads every key into `values` (type-checked), noting unknown and mistyped ones. */
export function readTables(doc: Table, values: Map<string, unknown>, notes: AirNote[]): void {
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
      if (Array.isArray(value)) values.set(full, value);
      else notes.push({ key: full, kind: 'unsupported', reason: { by: 'air-rules' } });
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
  boolean: 'true or false',
  integer: 'an integer',
  strings: 'an array of strings',
  duration: 'a duration string such as "500ms" or an integer',
  entrypoint: 'a string or an array of strings',
};

function checkType(type: AirValueType, value: unknown): { value: unknown } | undefined {
  switch (type) {
    case 'string':
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
