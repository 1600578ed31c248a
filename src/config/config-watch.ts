import { GohotError, isGohotError } from '../errors.js';
import { loadConfig } from './load-config.js';
import { resolveConfig } from './resolve-config.js';
import type { ConfigOverrides, ResolvedConfig } from './types.js';

/** The outcome of re-reading the config after an edit. */
export type ConfigReloadResult =
  | {
      readonly ok: true;
      /** The new config, now current. */
      readonly config: ResolvedConfig;
      /**
       * Paths of ResolvedConfig that differ from the previous config, e.g.
       * `['watch.patterns', 'run.stopTimeoutMs']`; empty when nothing changed.
       */
      readonly changed: readonly string[];
    }
  | {
      readonly ok: false;
      /** Why the edited file was rejected, with file:line:col. */
      readonly error: GohotError;
      /** The last good config, which stays current. */
      readonly kept: ResolvedConfig;
    };

/** Re-reads the config of one module on demand and remembers the last good one. */
export interface ConfigReloader {
  /** The last good config. */
  readonly current: ResolvedConfig;
  /** Reads the config files again; calls are serialized, so results arrive in call order. */
  reload(): Promise<ConfigReloadResult>;
}

/**
 * Creates a reloader for the module at `moduleRoot`, starting from `current`. A broken
 * edit never replaces the current config: the result carries the error and the kept one.
 */
export function createConfigReloader(
  moduleRoot: string,
  overrides: ConfigOverrides,
  current: ResolvedConfig,
): ConfigReloader {
  let last = current;
  let queue: Promise<unknown> = Promise.resolve();

  const reloadOnce = async (): Promise<ConfigReloadResult> => {
    try {
      const loaded = await loadConfig(moduleRoot);
      const next = resolveConfig(loaded.file, loaded.path, overrides);
      const changed = diffConfig(last, next);
      // Keep the old object when nothing changed, so identity comparisons stay cheap.
      if (changed.length > 0) last = next;
      return { ok: true, config: last, changed };
    } catch (err) {
      const error = isGohotError(err)
        ? err
        : new GohotError(
            'CONFIG_READ',
            `gohot could not reload the configuration: ${String(err)}.`,
            'The previous configuration stays in effect; fix the file and save it again.',
            { cause: err },
          );
      return { ok: false, error, kept: last };
    }
  };

  return {
    get current() {
      return last;
    },
    reload() {
      const result = queue.then(reloadOnce);
      queue = result;
      return result;
    },
  };
}

/**
 * Paths (depth 2, e.g. `watch.patterns`, plus `source` and `main`) whose values differ
 * between two resolved configs, in ResolvedConfig order.
 */
export function diffConfig(before: ResolvedConfig, after: ResolvedConfig): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(after) as (keyof ResolvedConfig)[]) {
    const a: unknown = before[key];
    const b: unknown = after[key];
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const sub of Object.keys(b)) {
        if (!sameValue(a[sub], b[sub])) changed.push(`${key}.${sub}`);
      }
    } else if (!sameValue(a, b)) {
      changed.push(key);
    }
  }
  return changed;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}
