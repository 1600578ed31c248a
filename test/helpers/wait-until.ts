/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this long. @default 10000 */
  readonly timeoutMs?: number;
  /** Pause between checks. @default 10 */
  readonly intervalMs?: number;
  /** Everything captured so far, printed in the timeout error. */
  readonly describe?: () => string;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false` and returns that
 * value; throws with `what` and `describe()` when `timeoutMs` passes first.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false,
  options: WaitUntilOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() >= deadline) {
      const captured = options.describe?.() ?? '';
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}.${captured ? `\n${captured}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
