/** Environment variable that switches repeated and randomized tests to full strength. */
export const DEEP = 'GOHOT_DEEP';

/**
 * How many runs, cycles or cases a repeated or randomized test does: the value of the
 * environment variable `name` when set (a positive integer), else `deep` with GOHOT_DEEP=1
 * (`npm run test:deep`), else `quick` (`npm test`). A malformed value fails loudly.
 */
export function strength(name: string, quick: number, deep: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return process.env[DEEP] === '1' ? deep : quick;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, but it is ${JSON.stringify(raw)}.`);
  }
  return n;
}
