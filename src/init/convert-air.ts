/**
 * Converts a parsed `.air.toml` into a gohot.json, and says for every key what became of
 * it. Pure: the parsed document and the module's main packages in, a value out.
 */
import type { ConfigFile } from '../config/types.js';
import { convertCommands } from './air-command.js';
import { AIR_TABLES, type AirKeySpec } from './air-keys.js';
import type { AirConversion, AirNote } from './air-notes.js';
import { fileOrder, readTables, type Table } from './air-read.js';
import { convertRules } from './air-rules.js';
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
  // Before the watch keys: an excluded directory a rule watches stays watched.
  convertRules(work, prefix);
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
  convertEnvFiles(work, prefix);
  convertProxy(work);
  const restartOnly = work.draft.watch.restartOnly.filter((p) => !p.startsWith('!'));
  if (work.draft.hooks.beforeBuild.length > 0 && restartOnly.length > 0) {
    work.warn({ by: 'hooks-restart-only', restartOnly });
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

/**
 * air loads `env_files` into its own environment before each build (runner/engine.go
 * loadEnvFile), so go build, pre_cmd and the app all see them; relative to air's root.
 */
function convertEnvFiles(work: AirWork, prefix: string): void {
  const files = work.get<string[]>('env_files');
  if (files === undefined) return;
  const clean = files.filter((f) => f.trim() !== '');
  if (clean.length === 0) {
    work.note('env_files', 'not-needed', { by: 'same-as-gohot' });
    return;
  }
  const inModule = clean.map((f) => {
    const file = f.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    return file.startsWith('/') ? file : `${prefix}${file}`;
  });
  work.draft.run.envFile.push(...inModule);
  work.draft.build.envFile.push(...inModule);
  work.note('env_files', 'mapped', { by: 'env-files', files: inModule });
}

/**
 * air's proxy listens on `:proxy_port` and forwards to `localhost:app_port`; a request
 * waits up to app_start_timeout ms (default 5000) for the app (runner/proxy.go).
 */
function convertProxy(work: AirWork): void {
  const keys = ['proxy.enabled', 'proxy.proxy_port', 'proxy.app_port', 'proxy.app_start_timeout'];
  if (work.get<boolean>('proxy.enabled') !== true) {
    for (const key of keys) {
      work.noteIfSet(
        key,
        'not-needed',
        key === 'proxy.enabled'
          ? { by: 'same-as-gohot' }
          : { by: 'only-with', other: 'proxy.enabled' },
      );
    }
    return;
  }
  const listenPort = work.get<number>('proxy.proxy_port') ?? 0;
  const appPort = work.get<number>('proxy.app_port') ?? 0;
  const missing =
    listenPort <= 0 ? 'proxy.proxy_port' : appPort <= 0 ? 'proxy.app_port' : undefined;
  if (missing !== undefined) {
    for (const key of keys) {
      work.noteIfSet(key, 'unsupported', { by: 'proxy-port-missing', key: missing });
    }
    return;
  }
  const p = work.draft.proxy;
  p.listen = String(listenPort);
  p.target = `http://127.0.0.1:${appPort}`;
  work.note('proxy.enabled', 'mapped', { by: 'mapped', to: ['proxy.listen', 'proxy.target'] });
  work.note('proxy.proxy_port', 'mapped', { by: 'proxy-listen', listen: p.listen });
  work.note('proxy.app_port', 'mapped', { by: 'proxy-target', target: p.target });
  const hold = work.get<number>('proxy.app_start_timeout');
  if (hold === undefined) return;
  if (hold <= 0 || hold === 5000) {
    // 0 is air's default, 5000 ms; gohot's proxy.holdTimeout defaults to 5s.
    work.note('proxy.app_start_timeout', 'not-needed', { by: 'same-as-gohot' });
    return;
  }
  p.holdTimeout = msDuration(hold);
  work.note('proxy.app_start_timeout', 'mapped', { by: 'proxy-hold', ms: hold });
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
    toolexec: d.build.toolexec,
    gcflags: d.build.gcflags,
    asmflags: d.build.asmflags,
    trimpath: d.build.trimpath,
    race: d.build.race,
    cover: d.build.cover,
    envFile: d.build.envFile,
  });
  const rules = d.rules.length > 0 ? d.rules : undefined;
  const hooks = pick({ beforeBuild: d.hooks.beforeBuild, afterBuild: d.hooks.afterBuild });
  const run = pick({
    args: d.run.args,
    env: d.run.env,
    envFile: d.run.envFile,
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
  const proxy = pick({
    listen: d.proxy.listen,
    target: d.proxy.target,
    holdTimeout: d.proxy.holdTimeout,
  });
  return pick({ $schema: schema, main: d.main, build, rules, hooks, run, watch, proxy }) ?? {};
}
