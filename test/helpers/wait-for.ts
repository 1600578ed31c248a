/** Options of {@link waitFor} and {@link waitUntil}. */
export interface WaitForOptions {
  /** Give up after this long (generous: CI machines may be busy). @default 30000 */
  readonly timeoutMs?: number;
  /** Pause between checks. @default 10 */
  readonly intervalMs?: number;
  /** Everything captured so far; printed in the timeout error. */
  readonly describe?: () => string | Promise<string>;
  /** What is awaited, for the timeout error. @default 'condition' */
  readonly what?: string;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false` and returns that
 * value (never a fixed sleep). On timeout throws an error that names what was awaited and
 * prints `describe()`, so a failure shows what was captured.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: Omit<WaitForOptions, 'what'> = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() >= deadline) {
      const captured = (await options.describe?.()) ?? '(nothing captured)';
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}.\nCaptured:\n${captured}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls `predicate` until it is true; see {@link waitUntil}. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  await waitUntil(options.what ?? 'condition', predicate, options);
}
