/**
 * air's `[[build.rules]]`: when a file matching a rule changes, air runs the rule's `cmd`
 * (after the rule's `delay`, 1000 ms by default) instead of rebuilding; a file it writes
 * that the build watches rebuilds then (runner/rule.go, docs/facts.md#air-config-semantics).
 * gohot's `rules` run a generator inside the reload cycle, before the build, for the
 * changes that match their `on` globs: the same job, so each air rule becomes one.
 */

import { hookArgv } from './air-command.js';
import type { Argv } from './air-notes.js';
import { isTable, type Table } from './air-read.js';
import { convertAirRegex } from './air-regex.js';
import type { AirWork } from './air-values.js';

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;

const clean = (p: string) =>
  p
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');

/** Converts every rule; `prefix` is air's root below the module root (`''` or `web/`). */
export function convertRules(work: AirWork, prefix: string): void {
  const list = work.get<unknown[]>('build.rules');
  if (list === undefined) return;
  const names = new Set<string>();
  list.forEach((item, i) => {
    const key = `build.rules[${i}]`;
    const rule = isTable(item) ? item : undefined;
    const converted = rule === undefined ? undefined : convertRule(rule, i, prefix);
    if (converted === undefined) {
      // air refuses such a file: "cmd is required", "at least one of include_dir ...".
      work.note(key, 'unsupported', {
        by: 'wrong-type',
        expected: 'a rule with a cmd and include_dir, include_ext or include_file',
      });
      return;
    }
    let name = converted.name;
    if (names.has(name)) name = `${name}-${i}`;
    names.add(name);
    work.draft.rules.push({ name, on: [...converted.on], run: [...converted.run] });
    work.draft.ruleDirs.push(...converted.dirs);
    work.note(key, 'mapped', {
      by: 'air-rule',
      name,
      on: converted.on,
      run: converted.run,
      left: converted.left,
    });
  });
}

interface ConvertedRule {
  readonly name: string;
  readonly on: readonly string[];
  readonly run: Argv;
  /** exclude_regex entries no glob says; left out. */
  readonly left: readonly string[];
  /** The include_dir directories, below the module root, with a trailing `/`. */
  readonly dirs: readonly string[];
}

function convertRule(rule: Table, i: number, prefix: string): ConvertedRule | undefined {
  const cmd = typeof rule.cmd === 'string' ? rule.cmd.trim() : '';
  const dirs = (strings(rule.include_dir) ?? []).map(clean).filter(Boolean);
  const exts = (strings(rule.include_ext) ?? [])
    .map((e) => e.trim().replace(/^\./, ''))
    .filter(Boolean);
  const files = (strings(rule.include_file) ?? []).map(clean).filter(Boolean);
  if (cmd === '' || dirs.length + exts.length + files.length === 0) return undefined;
  const name = typeof rule.name === 'string' && rule.name.trim() !== '' ? rule.name : `rule-${i}`;
  const bases = dirs.length > 0 ? dirs.map((d) => `${prefix}${d}/`) : [prefix];
  const on: string[] = [];
  // air: inside include_dir (when given), and then include_ext or include_file (or any
  // file when neither is given).
  if (exts.length === 0 && files.length === 0) on.push(...bases.map((b) => `${b}**/*`));
  if (exts.includes('*')) on.push(...bases.map((b) => `${b}**/*`));
  else if (exts.length > 0) {
    const glob = exts.length === 1 ? `*.${exts[0]}` : `*.{${exts.join(',')}}`;
    on.push(...bases.map((b) => `${b}**/${glob}`));
  }
  on.push(...files.map((f) => `${prefix}${f}`));
  const left: string[] = [];
  for (const regex of strings(rule.exclude_regex) ?? []) {
    const c = convertAirRegex(regex);
    if (c.kind === 'exact' || c.kind === 'approximate') on.push(...c.globs.map((g) => `!${g}`));
    else if (c.kind !== 'matches-nothing') left.push(regex);
  }
  return { name, on, run: hookArgv(cmd), left, dirs: dirs.map((d) => `${prefix}${d}/`) };
}
