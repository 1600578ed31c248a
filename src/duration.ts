import { GohotError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/**
 * The longest duration gohot accepts (~24.8 days): Node's timers treat anything longer as
 * 1 ms, which would turn a "forever" grace period into an immediate SIGKILL.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Milliseconds of a duration with a unit, or undefined when the text is not one. */
export function durationToMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(trimmed);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/**
 * Parses a duration with a unit (`"0"`, `"20ms"`, `"1.5s"`, `"2m"`) into milliseconds.
 * A bare number other than 0 is rejected: durations always carry their unit. `positive`
 * rejects what rounds to 0 ms.
 */
export function parseDurationMs(text: string, what: string, positive = false): number {
  const ms = durationToMs(text);
  if (ms === undefined) {
    throw new GohotError(
      'DURATION_INVALID',
      `${what} must be a duration with a unit, but got ${JSON.stringify(text)}.`,
      'Write it like "0", "20ms", "1.5s" or "2m".',
    );
  }
  if (ms > MAX_DURATION_MS || (positive && ms < 1)) {
    throw new GohotError(
      'DURATION_INVALID',
      `${what} must be ${positive ? 'at least 1ms and ' : ''}at most 24 days, but got ${JSON.stringify(text)}.`,
      'Write it like "20ms", "1.5s" or "2m".',
    );
  }
  return ms;
}

/** Formats milliseconds for humans: `412 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
