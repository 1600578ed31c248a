import { isIP } from 'node:net';
import { GohotError } from '../errors.js';

import type { ListenAddress } from './types.js';

/** Which error code a bad address gets: a flag's or a config key's. */
type AddressCode = 'CLI_USAGE' | 'CONFIG_INVALID';

function portOf(text: string, what: string, raw: string, code: AddressCode): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new GohotError(
      code,
      `${what} must name a port from 1 to 65535, but got ${JSON.stringify(raw)}.`,
      `Write a port (3000), host:port (127.0.0.1:3000) or [::1]:3000.`,
    );
  }
  return port;
}

function splitHostPort(raw: string): { host: string | undefined; port: string } {
  const bracketed = /^\[([^\]]+)\]:(\d*)$/.exec(raw);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ?? '' };
  const colon = raw.lastIndexOf(':');
  if (colon === -1) return { host: undefined, port: raw };
  return { host: raw.slice(0, colon) || undefined, port: raw.slice(colon + 1) };
}

/**
 * Parses the proxy's listen address: `3000`, `:3000`, `host:3000` or `[::1]:3000`. Without
 * a host it listens on loopback only (127.0.0.1); another address must be named explicitly.
 */
export function parseListenAddress(
  raw: string,
  what = '--proxy',
  code: AddressCode = 'CLI_USAGE',
): ListenAddress {
  const { host, port } = splitHostPort(raw.trim());
  if (host !== undefined && host !== 'localhost' && isIP(host) === 0 && !/^[\w.-]+$/.test(host)) {
    throw new GohotError(
      code,
      `${what} has an invalid host ${JSON.stringify(host)}.`,
      'Write an IP address or a host name, e.g. 127.0.0.1:3000.',
    );
  }
  return { host: host ?? '127.0.0.1', port: portOf(port, what, raw, code) };
}

/**
 * Parses the app's address the proxy forwards to: a URL (`http://127.0.0.1:8080`), or a
 * port or host:port written like the listen address (host 127.0.0.1 by default). Returns
 * the origin, `http://host:port` (a path in the URL is dropped: the proxy forwards paths).
 */
export function parseTargetUrl(
  raw: string,
  what = '--proxy-target',
  code: AddressCode = 'CLI_USAGE',
): string {
  const text = raw.trim();
  if (/^[a-z]+:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new GohotError(
        code,
        `${what} is not a valid URL: ${JSON.stringify(raw)}.`,
        'Write e.g. http://127.0.0.1:8080.',
      );
    }
    if (url.protocol !== 'http:') {
      throw new GohotError(
        code,
        `${what} must be an http:// URL, but got ${JSON.stringify(raw)}.`,
        "The proxy speaks plain HTTP to the app; point it at the app's http:// address.",
      );
    }
    return `http://${url.hostname}:${url.port === '' ? '80' : url.port}`;
  }
  const { host, port } = parseListenAddress(text, what, code);
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** The URL a browser opens for a listen address. */
export function listenUrl(address: ListenAddress): string {
  const host = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${address.port}`;
}
