/**
 * Every key air reads from `.air.toml` (air's runner/config.go, docs/facts.md#air-config-semantics),
 * as data: its TOML type, and either the group of keys that is converted together or, for
 * a key gohot has no use for, what it becomes and why. `convertAir` walks this table.
 */
import type { AirNoteKind, AirReason } from './air-notes.js';

/** The TOML type air decodes a key into. */
export type AirValueType = 'string' | 'boolean' | 'integer' | 'strings' | 'duration' | 'entrypoint';

/** Keys converted together, because one gohot key depends on several air keys. */
export type AirGroup =
  | 'root'
  | 'command'
  | 'watch'
  | 'stop'
  | 'poll'
  | 'delay'
  | 'env-files'
  | 'proxy';

/** What the converter does with one key. */
export type AirKeySpec =
  | { readonly type: AirValueType; readonly group: AirGroup }
  | {
      readonly type: AirValueType;
      /** The reason for a value; `value` is the key's (type-checked) value. */
      readonly fixed: (value: unknown) => {
        readonly kind: AirNoteKind;
        readonly reason: AirReason;
      };
    };

const notNeeded = (reason: AirReason) => () => ({ kind: 'not-needed' as const, reason });
/** `true` is a feature gohot lacks; `false` is what gohot does anyway. */
const whenTrue = (reason: AirReason) => (value: unknown) =>
  value === true
    ? { kind: 'unsupported' as const, reason }
    : { kind: 'not-needed' as const, reason: { by: 'same-as-gohot' } as const };

const BUILD_COMMON: Readonly<Record<string, AirKeySpec>> = {
  pre_cmd: { type: 'strings', group: 'command' },
  cmd: { type: 'string', group: 'command' },
  post_cmd: { type: 'strings', group: 'command' },
  bin: { type: 'string', group: 'command' },
  entrypoint: { type: 'entrypoint', group: 'command' },
  full_bin: { type: 'string', group: 'command' },
  args_bin: { type: 'strings', group: 'command' },
};

/** The keys of `[build]`. */
export const AIR_BUILD_KEYS: Readonly<Record<string, AirKeySpec>> = {
  ...BUILD_COMMON,
  log: { type: 'string', fixed: notNeeded({ by: 'no-log-file' }) },
  include_ext: { type: 'strings', group: 'watch' },
  exclude_dir: { type: 'strings', group: 'watch' },
  include_dir: { type: 'strings', group: 'watch' },
  exclude_file: { type: 'strings', group: 'watch' },
  include_file: { type: 'strings', group: 'watch' },
  exclude_regex: { type: 'strings', group: 'watch' },
  exclude_unchanged: { type: 'boolean', fixed: notNeeded({ by: 'content-hash' }) },
  ignore_dangerous_root_dir: { type: 'boolean', fixed: notNeeded({ by: 'module-root-only' }) },
  follow_symlink: { type: 'boolean', fixed: notNeeded({ by: 'symlinks' }) },
  poll: { type: 'boolean', group: 'poll' },
  poll_interval: { type: 'integer', group: 'poll' },
  delay: { type: 'integer', group: 'delay' },
  stop_on_error: { type: 'boolean', fixed: whenTrue({ by: 'keeps-app' }) },
  send_interrupt: { type: 'boolean', group: 'stop' },
  kill_delay: { type: 'duration', group: 'stop' },
  rerun: { type: 'boolean', fixed: whenTrue({ by: 'no-rerun' }) },
  rerun_delay: { type: 'integer', fixed: notNeeded({ by: 'only-with', other: 'build.rerun' }) },
};

/** Tables inside `[build]`: air's per-platform overrides and its rules. */
export const AIR_BUILD_TABLES: Readonly<Record<string, 'platform' | 'rules'>> = {
  windows: 'platform',
  darwin: 'platform',
  linux: 'platform',
  rules: 'rules',
};

/** The keys a `[build.<os>]` override may set. */
export const AIR_PLATFORM_KEYS: readonly string[] = Object.keys(BUILD_COMMON);

/** Every table of `.air.toml` and its keys; `''` is the top level. */
export const AIR_TABLES: Readonly<Record<string, Readonly<Record<string, AirKeySpec>>>> = {
  '': {
    root: { type: 'string', group: 'root' },
    tmp_dir: { type: 'string', group: 'watch' },
    testdata_dir: { type: 'string', group: 'watch' },
    env_files: { type: 'strings', group: 'env-files' },
  },
  build: AIR_BUILD_KEYS,
  log: {
    time: { type: 'boolean', fixed: notNeeded({ by: 'time-stamps' }) },
    main_only: { type: 'boolean', fixed: whenTrue({ by: 'no-quiet-mode' }) },
    silent: { type: 'boolean', fixed: whenTrue({ by: 'no-quiet-mode' }) },
  },
  color: {
    main: { type: 'string', fixed: notNeeded({ by: 'own-colours' }) },
    watcher: { type: 'string', fixed: notNeeded({ by: 'own-colours' }) },
    build: { type: 'string', fixed: notNeeded({ by: 'own-colours' }) },
    runner: { type: 'string', fixed: notNeeded({ by: 'own-colours' }) },
    app: { type: 'string', fixed: notNeeded({ by: 'own-colours' }) },
    mode: {
      type: 'string',
      fixed: (value) =>
        value === 'auto' || value === ''
          ? { kind: 'not-needed', reason: { by: 'same-as-gohot' } }
          : { kind: 'unsupported', reason: { by: 'color-mode', mode: String(value) } },
    },
  },
  misc: {
    clean_on_exit: { type: 'boolean', fixed: notNeeded({ by: 'run-dir-outside' }) },
    startup_banner: { type: 'string', fixed: notNeeded({ by: 'no-banner' }) },
  },
  screen: {
    clear_on_rebuild: { type: 'boolean', fixed: whenTrue({ by: 'no-clear-screen' }) },
    keep_scroll: {
      type: 'boolean',
      fixed: notNeeded({ by: 'only-with', other: 'screen.clear_on_rebuild' }),
    },
  },
  proxy: {
    enabled: { type: 'boolean', group: 'proxy' },
    proxy_port: { type: 'integer', group: 'proxy' },
    app_port: { type: 'integer', group: 'proxy' },
    app_start_timeout: { type: 'integer', group: 'proxy' },
  },
};

/** Misspellings too far for an edit distance, seen in real files. */
export const AIR_ALIASES: Readonly<Record<string, string>> = {
  tmp_folder: 'tmp_dir',
  temp_dir: 'tmp_dir',
  tmpdir: 'tmp_dir',
  exclude_dirs: 'exclude_dir',
  include_dirs: 'include_dir',
  exclude_files: 'exclude_file',
  include_files: 'include_file',
  include_exts: 'include_ext',
  extensions: 'include_ext',
  exclude_regexp: 'exclude_regex',
  args: 'args_bin',
  command: 'cmd',
  binary: 'bin',
  colour: 'color',
  colors: 'color',
};
