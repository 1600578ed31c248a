import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** How gohot tells that a started app is ready; `none`: as soon as it is spawned. */
export type ReadyCheck =
  | { readonly kind: 'none' }
  /** An HTTP(S) URL answers with a status below 500 (a 404 is an app that serves). */
  | { readonly kind: 'http'; readonly url: string; readonly timeoutMs: number }
  /** A TCP port accepts a connection. */
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly timeoutMs: number;
    }
  /** A line of the app's stdout or stderr matches a regular expression (JavaScript syntax). */
  | { readonly kind: 'log'; readonly pattern: string; readonly timeoutMs: number };

/** How an app was found ready: `spawned` when no check is configured. */
export type ReadyHow = 'spawned' | 'http' | 'tcp' | 'log';

/** Why a readiness check was given up before it answered: the AbortSignal's reason. */
export type ReadyAbort =
  /** The app exited on its own first: a crash, never "ready". */
  | { readonly by: 'exited' }
  /** gohot stopped the app first (a newer reload, or gohot stopping). */
  | { readonly by: 'stopped' };

/** The outcome of one readiness check. `ms` counts from the app's start (monotonic). */
export type ReadyOutcome =
  | { readonly status: 'ready'; readonly how: ReadyHow; readonly ms: number }
  | { readonly status: 'timed-out'; readonly how: ReadyHow; readonly timeoutMs: number }
  | { readonly status: 'exited' }
  | { readonly status: 'stopped' };

/** Lines of the app's output, as they arrive; returns the function that unsubscribes. */
export type LineSource = (listener: (line: string) => void) => () => void;

/** Options of {@link waitForReady}. */
export interface ReadyOptions {
  /** Aborted (with a {@link ReadyAbort} reason) when the app exits or is stopped. */
  readonly signal: AbortSignal;
  /** When the app was started (performance.now()). */
  readonly startedAt: number;
  /** The app's output lines; needed by a `log` check. */
  readonly lines?: LineSource;
  /** Monotonic clock. @default performance.now */
  readonly now?: () => number;
}

/** First pause between two attempts; it doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;
/** One HTTP request or TCP connect never waits longer than this. */
const ATTEMPT_TIMEOUT_MS = 1000;

/**
 * Waits until `check` says the app is ready, polling with a short backoff. Never rejects:
 * an abort of `options.signal` resolves with its reason (`exited` or `stopped`), the check's
 * timeout with `timed-out`. A `none` check is ready at once.
 */
export async function waitForReady(
  check: ReadyCheck,
  options: ReadyOptions,
): Promise<ReadyOutcome> {
  const now = options.now ?? (() => performance.now());
  const ready = (): ReadyOutcome => ({
    status: 'ready',
    how: check.kind === 'none' ? 'spawned' : check.kind,
    ms: now() - options.startedAt,
  });
  if (check.kind === 'none') return ready();
  const outer = options.signal;
  if (outer.aborted) return abortedOutcome(outer);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), check.timeoutMs);
  const signal = AbortSignal.any([outer, timeout.signal]);
  try {
    const answered =
      check.kind === 'log'
        ? await waitForLine(new RegExp(check.pattern), options.lines, signal)
        : await pollUntil(
            (attempt) =>
              check.kind === 'http' ? httpAnswers(check.url, attempt) : tcpAccepts(check, attempt),
            signal,
          );
    if (answered) return ready();
    if (outer.aborted) return abortedOutcome(outer);
    return { status: 'timed-out', how: check.kind, timeoutMs: check.timeoutMs };
  } finally {
    clearTimeout(timer);
  }
}

function abortedOutcome(signal: AbortSignal): ReadyOutcome {
  const reason = signal.reason as Partial<ReadyAbort> | undefined;
  return reason?.by === 'exited' ? { status: 'exited' } : { status: 'stopped' };
}

/** Runs `attempt` until it answers true; false once `signal` aborted. */
async function pollUntil(
  attempt: (signal: AbortSignal) => Promise<boolean>,
  signal: AbortSignal,
): Promise<boolean> {
  let backoffMs = FIRST_BACKOFF_MS;
  while (!signal.aborted) {
    const one = AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
    if (await attempt(one)) return !signal.aborted;
    try {
      await delay(backoffMs, undefined, { signal });
    } catch {
      return false;
    }
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
  return false;
}

/** True when `url` answers with a status below 500; false on no answer or a 5xx. */
export function httpAnswers(url: string, signal: AbortSignal): Promise<boolean> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve) => {
    try {
      const req = get(url, { signal, headers: { 'user-agent': 'gohot-ready' } }, (res) => {
        // Only the status line matters: drop the body and the connection.
        res.resume();
        req.destroy();
        resolve((res.statusCode ?? 500) < 500);
      });
      req.on('error', () => resolve(false));
    } catch {
      resolve(false);
    }
  });
}

/** True when `host:port` accepts a TCP connection (closed again at once). */
export function tcpAccepts(
  target: { readonly host: string; readonly port: number },
  signal: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** True once a line from `lines` matches `pattern`; false when `signal` aborted first. */
function waitForLine(
  pattern: RegExp,
  lines: LineSource | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (lines === undefined) {
      // Without the app's output nothing can match: wait for the timeout or the end.
      signal.addEventListener('abort', () => resolve(false), { once: true });
      return;
    }
    const onAbort = () => {
      off();
      resolve(false);
    };
    const off = lines((line) => {
      if (!pattern.test(line)) return;
      off();
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
