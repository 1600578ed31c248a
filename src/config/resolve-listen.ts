import { isIP } from 'node:net';
import { GohotError } from '../errors.js';
import type { ReadyCheck } from '../run/readiness.js';
import { parseListenAddress } from './proxy-address.js';
import type { ListenAddress, ListenSocket } from './types.js';

/** A LISTEN_FDNAMES entry: sd_listen_fds_with_names(3) splits on ':' and allows 255 chars. */
const NAME_RE = /^[A-Za-z0-9_.-]{1,255}$/;

/**
 * `run.listen` of gohot.json: `"8080"`, `"127.0.0.1:8080"`, `"[::1]:8080"`, each optionally
 * named (`"metrics=127.0.0.1:9090"`, the LISTEN_FDNAMES entry; default `listen0`, `listen1`
 * ...). Loopback unless a host is named, like the proxy. A `run.ready.tcp` check on one of
 * these ports is refused: gohot holds the socket, so a connection always succeeds and says
 * nothing about the app.
 */
export function resolveListen(
  entries: readonly string[] | undefined,
  ready: ReadyCheck,
): readonly ListenSocket[] {
  const sockets = (entries ?? []).map((raw, i) => parseEntry(raw, i));
  const seen = new Map<string, number>();
  for (const [i, s] of sockets.entries()) {
    const key = `${s.host}:${s.port}`;
    const before = seen.get(key);
    if (before !== undefined) {
      throw new GohotError(
        'CONFIG_INVALID',
        `run.listen[${i}] names ${key} again (run.listen[${before}] has it).`,
        'Name each address once.',
      );
    }
    seen.set(key, i);
    const clash = sockets.slice(0, i).findIndex((other) => overlaps(other, s));
    if (clash !== -1) {
      throw new GohotError(
        'CONFIG_INVALID',
        `run.listen[${i}] (${where(s)}) overlaps run.listen[${clash}] (${where(sockets[clash] ?? s)}): both cannot listen on port ${s.port} at once.`,
        'Keep one of them: 0.0.0.0 takes every IPv4 address of the port, [::] every address.',
      );
    }
  }
  const names = new Map<string, number>();
  for (const [i, s] of sockets.entries()) {
    const before = names.get(s.name);
    if (before !== undefined) {
      throw new GohotError(
        'CONFIG_INVALID',
        `run.listen[${i}] is named "${s.name}" like run.listen[${before}].`,
        'Give each socket its own name ("name=address"): the app finds them by LISTEN_FDNAMES.',
      );
    }
    names.set(s.name, i);
  }
  if (ready.kind === 'tcp') {
    const held = sockets.find((s) => s.port === ready.port);
    if (held !== undefined) {
      throw new GohotError(
        'CONFIG_INVALID',
        `The tcp readiness check on port ${ready.port} cannot tell when the app is ready: gohot holds that port for the app (run.listen "${held.name}"), so every connection succeeds, app or no app.`,
        'Check readiness with an HTTP request instead (run.ready.http or --ready-url http://127.0.0.1:' +
          `${ready.port}/), which only the app answers, or with run.ready.log.`,
      );
    }
  }
  return sockets;
}

function parseEntry(raw: string, i: number): ListenSocket {
  const what = `run.listen[${i}]`;
  const eq = raw.indexOf('=');
  const name = eq === -1 ? `listen${i}` : raw.slice(0, eq).trim();
  if (!NAME_RE.test(name)) {
    throw new GohotError(
      'CONFIG_INVALID',
      `${what} has the name ${JSON.stringify(name)}, which cannot be a LISTEN_FDNAMES entry.`,
      'Use letters, digits, "_", "-" and "." only (no ":"), e.g. "http=127.0.0.1:8080".',
    );
  }
  const address = parseListenAddress(eq === -1 ? raw : raw.slice(eq + 1), what, 'CONFIG_INVALID');
  return { name, ...address };
}

/**
 * Throws when the proxy's listen address overlaps a socket of `run.listen`: gohot would hold
 * that port for the app, and the proxy could not listen on it.
 */
export function checkProxyAddress(
  sockets: readonly ListenSocket[],
  proxy: ListenAddress,
  what: string,
  code: 'CLI_USAGE' | 'CONFIG_INVALID',
): void {
  const i = sockets.findIndex((s) => overlaps(s, proxy));
  const held = sockets[i];
  if (held === undefined) return;
  const wildcard = held.host === '0.0.0.0' || held.host === '::';
  const app = where({ host: wildcard ? '127.0.0.1' : held.host, port: held.port });
  throw new GohotError(
    code,
    `${what} (${where(proxy)}) overlaps run.listen[${i}] (${where(held)}), which gohot holds for the app.`,
    `Give the proxy a port of its own and point it at the app: --proxy 3000 --proxy-target http://${app}.`,
  );
}

/** True when `url` (an http:// origin) names an address of one of `sockets`. */
export function holdsAddress(sockets: readonly ListenSocket[], url: URL): boolean {
  const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
  return sockets.some((s) => overlaps(s, target));
}

/** `host:port`, with an IPv6 host in brackets. */
function where(a: ListenAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * True when `a` and `b` cannot both listen (Linux): the same port, and the same host, or one
 * of them a wildcard that covers the other ("0.0.0.0" every IPv4 address, "::" every address,
 * IPv4 too, as Node listens dual-stack). "localhost" counts as both loopback addresses.
 */
function overlaps(a: ListenAddress, b: ListenAddress): boolean {
  if (a.port !== b.port) return false;
  if (a.host === b.host || a.host === '::' || b.host === '::') return true;
  const v4 = (h: string) => isIP(h) === 4 || h === 'localhost';
  const loopback = (h: string) => h === '127.0.0.1' || h === '::1';
  if (a.host === '0.0.0.0') return v4(b.host);
  if (b.host === '0.0.0.0') return v4(a.host);
  if (a.host === 'localhost') return loopback(b.host);
  if (b.host === 'localhost') return loopback(a.host);
  return false;
}
