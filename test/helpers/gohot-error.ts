import { expect } from 'vitest';
import { GohotError } from '../../src/errors.js';

/** Awaits `p` and returns the GohotError it rejects with (fails the test otherwise). */
export async function gohotErrorOf(p: Promise<unknown>): Promise<GohotError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GohotError);
  return err as GohotError;
}
