import { GohotError } from '../errors.js';
import type { ReadyCheck } from '../run/readiness.js';
import { parseListenAddress } from './proxy-address.js';
import type { ListenSocket } from './types.js';

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
