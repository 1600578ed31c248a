import http from 'node:http';

/**
 * What the proxy knows about the app, from the session's events. Each variant owns what
 * exists only in it: the keep-alive agent to an app lives in the phases where that app is
 * there, so a socket to a stopped app is never reused for the next one.
 */
export type AppPhase =
  /** No app started yet (the first build runs): requests are held. */
  | { readonly phase: 'starting' }
  /** gohot is stopping the old app: new requests are held, in-flight ones are its to answer. */
  | { readonly phase: 'stopping'; readonly pid: number; readonly agent: http.Agent }
  /** A new app was started and its port does not accept yet: requests are held. */
  | { readonly phase: 'probing'; readonly pid: number }
  /** The app accepts connections: requests go through. */
  | { readonly phase: 'serving'; readonly pid: number; readonly agent: http.Agent }
  /** The app exited on its own: requests go through and get the error page. */
  | { readonly phase: 'exited'; readonly pid: number };

/** Phases in which a new request waits for the app instead of going through. */
export function isHolding(p: AppPhase): boolean {
  return p.phase === 'starting' || p.phase === 'stopping' || p.phase === 'probing';
}

/** The outcome of waiting for the app: it serves, or the hold timeout passed first. */
export type HoldResult =
  | { readonly by: 'ready' }
  | { readonly by: 'timeout'; readonly waitedMs: number };

/**
 * Holds requests while the app is being restarted: {@link AppGate.whenOpen} resolves at
 * once while the app serves, else when it serves again or after the hold timeout.
 */
export class AppGate {
  #phase: AppPhase = { phase: 'starting' };
  #waiters = new Set<() => void>();

  phase(): AppPhase {
    return this.#phase;
  }

  /** Moves to `next`; the agent of a phase left behind is destroyed once that app is gone. */
  set(next: AppPhase): void {
    const before = this.#phase;
    this.#phase = next;
    const oldAgent = 'agent' in before ? before.agent : undefined;
    const newAgent = 'agent' in next ? next.agent : undefined;
    // In-flight requests to the stopping app keep their sockets; idle ones must not be
    // reused by the next app's requests (the old app closes them).
    if (oldAgent !== undefined && oldAgent !== newAgent) oldAgent.destroy();
    if (!isHolding(next)) {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const w of waiters) w();
    }
  }

  /** The agent for requests to the app now, or a throwaway one when no app serves. */
  agent(): http.Agent | undefined {
    const p = this.#phase;
    return p.phase === 'serving' ? p.agent : undefined;
  }

  /** Resolves when requests may go through, or after `timeoutMs`. */
  whenOpen(timeoutMs: number, signal?: AbortSignal): Promise<HoldResult> {
    if (!isHolding(this.#phase)) return Promise.resolve({ by: 'ready' });
    const started = performance.now();
    return new Promise((resolve) => {
      const done = (result: HoldResult) => {
        clearTimeout(timer);
        this.#waiters.delete(open);
        signal?.removeEventListener('abort', abort);
        resolve(result);
      };
      const open = () => done({ by: 'ready' });
      const abort = () => done({ by: 'timeout', waitedMs: performance.now() - started });
      const timer = setTimeout(abort, timeoutMs);
      this.#waiters.add(open);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  /** Releases every waiter (the proxy closes). */
  close(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
    const p = this.#phase;
    if ('agent' in p) p.agent.destroy();
  }
}

/** A keep-alive agent for one app process. */
export function createAppAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64 });
}
