import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where to probe: the app's host and port. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
}

/** The outcome of waiting for the app: ready (how long it took), or given up (aborted). */
export type ReadinessResult =
  | { readonly by: 'accepting'; readonly waitedMs: number; readonly attempts: number }
  | { readonly by: 'aborted' };

function tryConnect(target: ProbeTarget, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (ok: boolean) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    };
    const onAbort = () => finish(false);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Decides that a started app is ready when its port accepts a TCP connection, polling with
 * a growing pause (2 ms doubling to 100 ms) until it does or `signal` aborts (the app was
 * stopped or exited). Another readiness check (HTTP, a log line) can replace this function:
 * the proxy only needs the result.
 */
export async function waitForPort(
  target: ProbeTarget,
  signal: AbortSignal,
): Promise<ReadinessResult> {
  const started = performance.now();
  let pauseMs = 2;
  for (let attempts = 1; !signal.aborted; attempts++) {
    if (await tryConnect(target, signal)) {
      return { by: 'accepting', waitedMs: performance.now() - started, attempts };
    }
    await sleep(pauseMs, undefined, { signal }).catch(() => undefined);
    pauseMs = Math.min(pauseMs * 2, 100);
  }
  return { by: 'aborted' };
}
