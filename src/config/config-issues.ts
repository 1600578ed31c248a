import { GohotError } from '../errors.js';
import { quote } from './quote.js';

/** How many issues one error message lists; the rest are counted. */
export const MAX_LISTED_ISSUES = 20;

/** One problem in a config file, located at the offending node. */
export interface ConfigIssue {
  /** `CONFIG_UNKNOWN_KEY` for a key gohot does not know, `CONFIG_INVALID` for a bad value. */
  readonly code: 'CONFIG_UNKNOWN_KEY' | 'CONFIG_INVALID';
  /**
   * Key path, e.g. `build.falgs`, `run.stopTimeout`, `watch.patterns[2]`; a key that is not
   * a plain name is quoted in brackets (`build.env["A=B"]`), see {@link childKeyPath}.
   */
  readonly path: string;
  /** 1-based line of the node. */
  readonly line: number;
  /** 1-based column of the node. */
  readonly column: number;
  /** What is wrong, without the `file:line:col: ` prefix. */
  readonly message: string;
}

/** `gohot.json:4:5: message`, the form terminals and editors can jump to. */
export function formatConfigIssue(fileLabel: string, issue: ConfigIssue): string {
  return `${fileLabel}:${issue.line}:${issue.column}: ${issue.message}`;
}

/**
 * One GohotError listing the issues, the first {@link MAX_LISTED_ISSUES} of them (the rest
 * are counted, so a file with thousands of mistakes gives a readable message). The code is
 * `CONFIG_UNKNOWN_KEY` when all issues are unknown keys and `CONFIG_INVALID` otherwise.
 */
export function configIssuesError(fileLabel: string, issues: readonly ConfigIssue[]): GohotError {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => formatConfigIssue(fileLabel, i));
  const more = issues.length - listed.length;
  const onlyUnknown = issues.every((i) => i.code === 'CONFIG_UNKNOWN_KEY');
  const message =
    issues.length === 1
      ? `${listed[0]}.`
      : [
          `${fileLabel} has ${issues.length} problems${more > 0 ? `; the first ${listed.length}` : ''}:`,
          ...listed.map((l) => `  ${l}.`),
          ...(more > 0 ? [`  ... and ${more} more.`] : []),
        ].join('\n');
  const hint = onlyUnknown
    ? 'Fix or remove the key. Every key is documented in the README (Configuration) and in schema/gohot.schema.json; point "$schema" at that file for completion in your editor.'
    : 'Fix the values above. Every key, its type and default are documented in the README (Configuration) and in schema/gohot.schema.json.';
  return new GohotError(onlyUnknown ? 'CONFIG_UNKNOWN_KEY' : 'CONFIG_INVALID', message, hint);
}

/**
 * The key path of `key` below `parent`: `build.flags`, or `build.env["A=B"]` when the key is
 * not a plain name, so a key holding dots, quotes or control characters is shown escaped.
 */
export function childKeyPath(parent: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${quote(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
