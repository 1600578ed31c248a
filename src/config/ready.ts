import { parseDurationMs } from '../duration.js';
import { GohotError } from '../errors.js';
import type { ReadyCheck } from '../run/readiness.js';
import type { ConfigFile, ConfigOverrides } from './types.js';

/** The keys of `run.ready` that name a check; exactly one of them is set. */
export const READY_CHECK_KEYS = ['http', 'tcp', 'log'] as const;

/** How long a readiness check waits before the reload line says "not ready". */
export const DEFAULT_READY_TIMEOUT = '30s';

/** The value kinds of `run.ready`, each with the check that accepts it. */
export type ReadyValueKind = 'httpUrl' | 'hostPort' | 'regexp';

/** `host:port`, `[::1]:port` or `:port` (127.0.0.1) as a host and a port, or undefined. */
export function parseHostPort(
  text: string,
): { readonly host: string; readonly port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/**
 * What is wrong with `value` as a `run.ready` value of `kind`, as the end of a sentence
 * "must be ...", or undefined when it is fine.
 */
export function checkReadyValue(kind: ReadyValueKind, value: string): string | undefined {
  switch (kind) {
    case 'httpUrl': {
      const example = 'an http:// or https:// URL, e.g. "http://127.0.0.1:8080/healthz"';
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : example;
      } catch {
        return example;
      }
    }
    case 'hostPort':
      return parseHostPort(value) === undefined
        ? 'a host and a port from 1 to 65535, e.g. "127.0.0.1:8080" or ":8080"'
        : undefined;
    case 'regexp':
      if (value === '') return 'a non-empty regular expression, e.g. "listening on"';
      try {
        new RegExp(value);
        return undefined;
      } catch (err) {
        return `a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
      }
  }
}

type ReadyFile = NonNullable<NonNullable<ConfigFile['run']>['ready']>;

/**
 * The readiness check of a validated `run.ready` and the `--ready-*` flags: a flag's check
 * replaces the file's, `--ready-timeout` its timeout. No check: `none`.
 */
export function resolveReady(file: ReadyFile | undefined, overrides: ConfigOverrides): ReadyCheck {
  const timeoutMs =
    overrides.readyTimeoutMs ??
    parseDurationMs(file?.timeout ?? DEFAULT_READY_TIMEOUT, 'run.ready.timeout', true);
  const flag = overrides.ready;
  const source: { http?: string; tcp?: string; log?: string } =
    flag === undefined ? (file ?? {}) : { [flag.kind]: flag.value };
  if (source.http !== undefined) return { kind: 'http', url: source.http, timeoutMs };
  if (source.tcp !== undefined) {
    const target = parseHostPort(source.tcp);
    if (target === undefined) {
      throw new GohotError(
        'CLI_USAGE',
        `--ready-tcp must be a host and a port, but got ${JSON.stringify(source.tcp)}.`,
        'Write it like "127.0.0.1:8080" or ":8080".',
      );
    }
    return { kind: 'tcp', ...target, timeoutMs };
  }
  if (source.log !== undefined) return { kind: 'log', pattern: source.log, timeoutMs };
  return { kind: 'none' };
}
