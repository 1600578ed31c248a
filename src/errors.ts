/**
 * The one error class of gohot. `code` is stable (tests and tooling match on it), `message`
 * describes the user's situation in a full sentence and `hint` says what to do about it.
 */
export class GohotError extends Error {
  /** Stable machine-readable code, e.g. `GO_MISSING`, `CONFIG_INVALID`. */
  readonly code: string;
  /** What the user can do to fix it; printed under the message. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GohotError';
    this.code = code;
    this.hint = hint;
  }
}

/** True when `err` is a GohotError, optionally with the given code. */
export function isGohotError(err: unknown, code?: string): err is GohotError {
  return err instanceof GohotError && (code === undefined || err.code === code);
}

/** The errno code of a Node system error (`ENOENT`, `ENOSPC` ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
