import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, GohotError, isErrorCode, isGohotError } from './errors.js';

const DOC = new URL('../docs/error-codes.md', import.meta.url);

/** The `| \`CODE\` | meaning |` rows of docs/error-codes.md, in order. */
function documentedCodes(markdown: string): Array<[string, string]> {
  return [...markdown.matchAll(/^\| `([^`]+)` +\| (.*?) *\|$/gm)].map((m) => [m[1]!, m[2]!]);
}

describe('the error code registry', () => {
  it.each(Object.entries(ERROR_CODES))('%s has a one-line description', (code, meaning) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
    expect(meaning).not.toMatch(/\n|\|/);
    expect(meaning).toMatch(/^\S.{10,110}\.$/);
  });

  it('isErrorCode accepts registry keys only', () => {
    expect(isErrorCode('GO_NOT_FOUND')).toBe(true);
    // The old TSDoc example named this code, which never existed.
    expect(isErrorCode('GO_MISSING')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('GohotError and isGohotError take registry codes', () => {
    const err = new GohotError('CLI_USAGE', 'Bad flag.', 'Run gohot --help.');
    expect(err.code).toBe('CLI_USAGE');
    expect(isGohotError(err)).toBe(true);
    expect(isGohotError(err, 'CLI_USAGE')).toBe(true);
    expect(isGohotError(err, 'CONFIG_INVALID')).toBe(false);
    expect(isGohotError(new Error('x'))).toBe(false);
  });

  it('a code outside the registry is a type error', () => {
    // tsc --noEmit fails if these lines type-check, i.e. if codes were plain strings again.
    const typo = (): unknown =>
      // @ts-expect-error GO_MISSING is not an ErrorCode
      new GohotError('GO_MISSING', 'x');
    // @ts-expect-error a lower-case code is not an ErrorCode
    const alsoTypo: ErrorCode = 'cli_usage';
    expect(typeof typo).toBe('function');
    expect(alsoTypo).toBe('cli_usage');
  });
});

describe('docs/error-codes.md', () => {
  it('lists exactly the registry, in the same order, with the same meanings', () => {
    const documented = documentedCodes(readFileSync(DOC, 'utf8'));
    const expected = Object.entries(ERROR_CODES);
    const table = expected.map(([c, m]) => `| \`${c}\` | ${m} |`).join('\n');
    expect(
      documented,
      `docs/error-codes.md should have this table (then run npm run format):\n${table}\n`,
    ).toEqual(expected);
  });
});
