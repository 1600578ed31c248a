import { parseDurationMs } from '../duration.js';
import { GohotError } from '../errors.js';
import { parseListenAddress, parseTargetUrl } from './proxy-address.js';
import { holdsAddress } from './resolve-listen.js';
import type { ConfigFile, ConfigOverrides, ListenSocket, ResolvedProxy } from './types.js';

/** Defaults of the proxy's keys, as a user would write them. */
export const PROXY_DEFAULTS = {
  holdTimeout: '5s',
  editorUrl: 'vscode://file/{abs}:{line}:{col}',
} as const;

/**
 * The proxy's settings from `proxy` in gohot.json and `--proxy`/`--proxy-target` (flags
 * win); undefined when no listen address is given. A listen address needs a target.
 * `held` are the sockets of run.listen.
 */
export function resolveProxy(
  file: ConfigFile['proxy'],
  overrides: ConfigOverrides,
  held: readonly ListenSocket[] = [],
): ResolvedProxy | undefined {
  const listen =
    overrides.proxyListen !== undefined
      ? parseListenAddress(overrides.proxyListen, '--proxy', 'CLI_USAGE')
      : file?.listen !== undefined
        ? parseListenAddress(file.listen, 'proxy.listen', 'CONFIG_INVALID')
        : undefined;
  const target =
    overrides.proxyTarget !== undefined
      ? parseTargetUrl(overrides.proxyTarget, '--proxy-target', 'CLI_USAGE')
      : file?.target !== undefined
        ? parseTargetUrl(file.target, 'proxy.target', 'CONFIG_INVALID')
        : undefined;
  if (listen === undefined) {
    if (overrides.proxyTarget !== undefined) {
      throw new GohotError(
        'CLI_USAGE',
        '--proxy-target was given without --proxy: the proxy needs an address to listen on.',
        'Add --proxy 3000 (or set proxy.listen in gohot.json).',
      );
    }
    return undefined;
  }
  if (target === undefined) {
    throw new GohotError(
      overrides.proxyListen !== undefined ? 'CLI_USAGE' : 'CONFIG_INVALID',
      'The proxy has an address to listen on but no app to forward to.',
      'Name the address the app listens on: --proxy-target http://127.0.0.1:8080 (or proxy.target in gohot.json).',
    );
  }
  return {
    listen,
    target,
    holdTimeoutMs: parseDurationMs(
      file?.holdTimeout ?? PROXY_DEFAULTS.holdTimeout,
      'proxy.holdTimeout',
    ),
    editorUrl: file?.editorUrl ?? PROXY_DEFAULTS.editorUrl,
    reloadOnly: [...(file?.reloadOnly ?? [])],
    targetHeld: holdsAddress(held, new URL(target)),
  };
}
