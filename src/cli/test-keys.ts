import type { TestSession } from '../session/test-session.js';

/** What a key line asks of a test session. */
export type TestKeyAction =
  | { readonly kind: 'request'; readonly scope: 'all' | 'failed' | 'last' }
  | { readonly kind: 'quit' };

/** The keys of `gohot test` (each followed by Enter: the terminal stays line-based). */
export const TEST_KEYS: ReadonlyArray<{
  readonly key: string;
  readonly help: string;
  readonly action: TestKeyAction;
}> = [
  { key: 'a', help: 'run all selected packages', action: { kind: 'request', scope: 'all' } },
  { key: 'f', help: 'rerun only the failed tests', action: { kind: 'request', scope: 'failed' } },
  { key: '', help: 'rerun the last selection', action: { kind: 'request', scope: 'last' } },
  { key: 'q', help: 'quit', action: { kind: 'quit' } },
];

/** The action of one line typed on the terminal, if it is a key. */
export function testKeyAction(line: string): TestKeyAction | undefined {
  const key = line.trim().toLowerCase();
  return TEST_KEYS.find((k) => k.key === key)?.action;
}

/** Applies a request key to the session (quit is the caller's: it stops gohot). */
export function applyTestKey(
  session: TestSession,
  action: TestKeyAction & { kind: 'request' },
): void {
  session.request(action.scope);
}
