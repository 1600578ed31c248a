import { parseDurationMs } from '../duration.js';
import type { BackendChoice } from '../watch/types.js';
import { checkBuildFlagOverrides } from './build-flags.js';
import { resolveProxy } from './resolve-proxy.js';
import {
  type ConfigFile,
  type ConfigOverrides,
  DEFAULT_PATTERNS,
  type ResolvedConfig,
} from './types.js';

/** Defaults for keys that are durations or choices, as a user would write them. */
export const CONFIG_DEFAULTS = {
  stopSignal: 'SIGTERM',
  stopTimeout: '3s',
  quietWindow: '10ms',
  poll: 'auto',
  pollInterval: '500ms',
  lineShifts: 'rebuild',
  buildvcs: false,
  debug: false,
} as const;

/**
 * Merges a validated config file (or none) with command-line overrides: every default
 * filled, overrides win over the file, durations converted to milliseconds, and the
 * result deep-frozen so no stage can change it behind the others' backs.
 *
 * The file was checked by the validator; the `--build-flag` overrides are checked here,
 * with the same rules as `build.flags` (see {@link checkBuildFlagOverrides}).
 *
 * @param source Absolute path of the file `file` came from, or undefined for defaults.
 * @throws GohotError `CLI_USAGE` for a `--build-flag` that sets a flag gohot owns (`-o=x`).
 */
export function resolveConfig(
  file: ConfigFile | undefined,
  source: string | undefined,
  overrides: ConfigOverrides,
): ResolvedConfig {
  checkBuildFlagOverrides(overrides.buildFlags);
  const f = file ?? {};
  const ms = (text: string, what: string) => parseDurationMs(text, what);
  const resolved: ResolvedConfig = {
    source,
    main: overrides.main ?? f.main,
    build: {
      flags: [...(overrides.buildFlags ?? f.build?.flags ?? [])],
      tags: [...(overrides.tags ?? f.build?.tags ?? [])],
      ldflags: f.build?.ldflags ?? '',
      env: { ...f.build?.env },
      buildvcs: f.build?.buildvcs ?? CONFIG_DEFAULTS.buildvcs,
      debug: overrides.debug ?? f.build?.debug ?? CONFIG_DEFAULTS.debug,
    },
    run: {
      args: [...(overrides.args ?? f.run?.args ?? [])],
      env: { ...f.run?.env },
      stopSignal: overrides.stopSignal ?? f.run?.stopSignal ?? CONFIG_DEFAULTS.stopSignal,
      stopTimeoutMs:
        overrides.stopTimeoutMs ??
        ms(f.run?.stopTimeout ?? CONFIG_DEFAULTS.stopTimeout, 'run.stopTimeout'),
    },
    watch: {
      patterns: [...(f.watch?.patterns ?? DEFAULT_PATTERNS)],
      quietWindowMs:
        overrides.quietWindowMs ??
        ms(f.watch?.quietWindow ?? CONFIG_DEFAULTS.quietWindow, 'watch.quietWindow'),
      backend: overrides.backend ?? backendOf(f.watch?.poll ?? CONFIG_DEFAULTS.poll),
      pollIntervalMs:
        overrides.pollIntervalMs ??
        ms(f.watch?.pollInterval ?? CONFIG_DEFAULTS.pollInterval, 'watch.pollInterval'),
      restartOnly: [...(f.watch?.restartOnly ?? [])],
      lineShifts: f.watch?.lineShifts ?? CONFIG_DEFAULTS.lineShifts,
    },
    proxy: resolveProxy(f.proxy, overrides),
  };
  return deepFreeze(resolved);
}

/** `true` forces polling, `false` forces native watchers; strings pass through. */
function backendOf(poll: boolean | BackendChoice): BackendChoice {
  if (poll === true) return 'poll';
  if (poll === false) return 'native';
  return poll;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
