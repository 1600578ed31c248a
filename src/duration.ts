import { GohotError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/**
 * Parses a duration with a unit (`"0"`, `"20ms"`, `"1.5s"`, `"2m"`) into milliseconds.
 * A bare number other than 0 is rejected: durations always carry their unit.
 */
export function parseDurationMs(text: string, what: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(trimmed);
  if (!m) {
    throw new GohotError(
      'DURATION_INVALID',
      `${what} must be a duration with a unit, but got ${JSON.stringify(text)}.`,
      'Write it like "0", "20ms", "1.5s" or "2m".',
    );
  }
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** Formats milliseconds for humans: `412 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
