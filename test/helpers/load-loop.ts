import type { TextResponse } from './http-text.js';

/** A running client loop: `workers` requests at a time, one after the other, until stopped. */
export interface LoadLoop {
  /** Requests that failed, as `status: body`, an error code, or what `judge` said. */
  readonly failures: string[];
  /** Requests sent so far. */
  sent(): number;
  /** The slowest request so far, in ms. */
  slowestMs(): number;
  /** The body of the last request that did not fail. */
  lastBody(): string;
  /** Stops the workers and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Starts `workers` loops that each send `request()` again as soon as it settles. `judge`
 * returns why a response counts as failed (undefined: it did not); a rejected request
 * fails with its error code (ECONNREFUSED, ECONNRESET ...).
 */
export function startLoadLoop(
  workers: number,
  request: () => Promise<TextResponse>,
  judge: (res: TextResponse) => string | undefined,
): LoadLoop {
  const failures: string[] = [];
  let sent = 0;
  let slowestMs = 0;
  let lastBody = '';
  let running = true;
  const worker = async () => {
    while (running) {
      const t = performance.now();
      sent++;
      try {
        const res = await request();
        const failure = judge(res);
        if (failure === undefined) lastBody = res.body;
        else failures.push(failure);
      } catch (err) {
        failures.push(String((err as NodeJS.ErrnoException).code ?? err));
      }
      slowestMs = Math.max(slowestMs, performance.now() - t);
    }
  };
  const all = Array.from({ length: workers }, worker);
  return {
    failures,
    sent: () => sent,
    slowestMs: () => slowestMs,
    lastBody: () => lastBody,
    async stop() {
      running = false;
      await Promise.all(all);
    },
  };
}
