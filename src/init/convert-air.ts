/**
 * Converts a parsed `.air.toml` into a gohot.json, and says for every key what became of
 * it. Pure: the parsed document and the module's main packages in, a value out.
 */
import type { ConfigFile } from '../config/types.js';
import { convertCommands } from './air-command.js';
import { AIR_TABLES, type AirKeySpec } from './air-keys.js';
import type { AirConversion, AirNote } from './air-notes.js';
import { fileOrder, readTables, type Table } from './air-read.js';
import { AirWork, goDurationMs, msDuration } from './air-values.js';
import { convertWatch } from './air-watch.js';

/** What the conversion needs to know about the module. */
export interface AirConvertOptions {
  /** Main packages relative to the module root (`.`, `./cmd/api`), the preferred one first. */
  readonly mains: readonly string[];
  /** The `$schema` value to write. @default none */
  readonly schema?: string;
}

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

function* fixedKeys(): Generator<[string, Extract<AirKeySpec, { fixed: unknown }>]> {
  for (const [table, keys] of Object.entries(AIR_TABLES)) {
    for (const [key, spec] of Object.entries(keys)) {
      if ('fixed' in spec) yield [table === '' ? key : `${table}.${key}`, spec];
    }
  }
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
