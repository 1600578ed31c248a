/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 10000 */
  readonly timeoutMs?: number;
  /** Pause between checks. @default 10 */
  readonly intervalMs?: number;
  /** Everything captured so far; printed in the timeout error. */
  readonly describe?: () => string;
  /** What is awaited, for the timeout error. @default 'condition' */
  readonly what?: string;
}

/**
 * Polls `predicate` until it returns true (never a fixed sleep). On timeout throws an error
 * that names what was awaited and prints `describe()`, so a failure shows what was captured.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (performance.now() >= deadline) {
      const captured = options.describe?.() ?? '(nothing captured)';
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'condition'}.\nCaptured:\n${captured}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
