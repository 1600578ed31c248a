import { parseDurationMs } from '../duration.js';
import type { BackendChoice } from '../watch/types.js';
import { checkBuildFlagOverrides, resolvePassthrough } from './build-flags.js';
import { resolveReady } from './ready.js';
import { checkProxyAddress, resolveListen } from './resolve-listen.js';
import { resolveProxy } from './resolve-proxy.js';
import {
  type ConfigFile,
  type ConfigOverrides,
  DEFAULT_PATTERNS,
  type HookCommands,
  type ResolvedConfig,
  type ResolvedRule,
  type RuleOptions,
} from './types.js';

/** Defaults for keys that are durations or choices, as a user would write them. */
export const CONFIG_DEFAULTS = {
  stopSignal: 'SIGTERM',
  stopTimeout: '3s',
  quietWindow: '10ms',
  leadingEdge: true,
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
  const ready = resolveReady(f.run?.ready, overrides);
  const listen = resolveListen(f.run?.listen, ready);
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
      ...resolvePassthrough(f.build),
      envFiles: listOf(f.build?.envFile),
    },
    rules: (f.rules ?? []).map(resolveRule),
    hooks: {
      beforeBuild: commandsOf(f.hooks?.beforeBuild),
      afterBuild: commandsOf(f.hooks?.afterBuild),
      beforeStart: commandsOf(f.hooks?.beforeStart),
      timeoutMs: ms(f.hooks?.timeout ?? RULE_TIMEOUT_DEFAULT, 'hooks.timeout'),
    },
    run: {
      args: [...(overrides.args ?? f.run?.args ?? [])],
      env: { ...f.run?.env },
      envFiles: listOf(f.run?.envFile),
      stopSignal: overrides.stopSignal ?? f.run?.stopSignal ?? CONFIG_DEFAULTS.stopSignal,
      stopTimeoutMs:
        overrides.stopTimeoutMs ??
        ms(f.run?.stopTimeout ?? CONFIG_DEFAULTS.stopTimeout, 'run.stopTimeout'),
      ready,
      listen,
    },
    watch: {
      patterns: [...(f.watch?.patterns ?? DEFAULT_PATTERNS)],
      quietWindowMs:
        overrides.quietWindowMs ??
        ms(f.watch?.quietWindow ?? CONFIG_DEFAULTS.quietWindow, 'watch.quietWindow'),
      leadingEdge: f.watch?.leadingEdge ?? CONFIG_DEFAULTS.leadingEdge,
      backend: overrides.backend ?? backendOf(f.watch?.poll ?? CONFIG_DEFAULTS.poll),
      pollIntervalMs:
        overrides.pollIntervalMs ??
        ms(f.watch?.pollInterval ?? CONFIG_DEFAULTS.pollInterval, 'watch.pollInterval'),
      restartOnly: [...(f.watch?.restartOnly ?? [])],
      lineShifts: f.watch?.lineShifts ?? CONFIG_DEFAULTS.lineShifts,
    },
    proxy: resolveProxy(f.proxy, overrides, listen),
  };
  if (resolved.proxy !== undefined) {
    const flag = overrides.proxyListen !== undefined;
    checkProxyAddress(
      resolved.run.listen,
      resolved.proxy.listen,
      flag ? '--proxy' : 'proxy.listen',
      flag ? 'CLI_USAGE' : 'CONFIG_INVALID',
    );
  }
  return deepFreeze(resolved);
}

/** The default `timeout` of a rule. */
export const RULE_TIMEOUT_DEFAULT = '2m';

function resolveRule(rule: RuleOptions, i: number): ResolvedRule {
  return {
    name: rule.name,
    on: [...rule.on],
    run: [...rule.run],
    cwd: rule.cwd ?? '',
    env: { ...rule.env },
    timeoutMs: parseDurationMs(rule.timeout ?? RULE_TIMEOUT_DEFAULT, `rules[${i}].timeout`, true),
  };
}

/** One argv or a list of them, as a list. */
function commandsOf(value: HookCommands | undefined): string[][] {
  if (value === undefined || value.length === 0) return [];
  return typeof value[0] === 'string'
    ? [[...(value as readonly string[])]]
    : (value as readonly (readonly string[])[]).map((argv) => [...argv]);
}

/** A key that takes one path or a list of them, as a list. */
function listOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
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
