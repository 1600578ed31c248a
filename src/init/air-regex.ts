/**
 * Turns one of air's `exclude_regex` entries into gohot exclude globs. air matches each
 * regular expression (Go RE2 syntax, unanchored) against the absolute path of a file
 * (docs/facts.md#air-config-semantics). A regex that is a literal, optionally with `.*` at
 * either end and `$` at the end, is a substring (or suffix) test, which a glob says
 * exactly: `_test\.go$` -> `**\/*_test.go`. Anything else is reported, never guessed.
 */

/** The outcome of converting one regex. */
export type RegexConversion =
  | {
      readonly kind: 'exact';
      /** Globs without the leading `!`. */
      readonly globs: readonly string[];
    }
  | {
      /** An unescaped `.` was read as a literal dot (it matches any character in a regex). */
      readonly kind: 'approximate';
      readonly globs: readonly string[];
      readonly anyChar: true;
    }
  /** A `^` anchors at the start of the absolute path: no project file can match. */
  | { readonly kind: 'matches-nothing' }
  | { readonly kind: 'unsupported'; readonly what: string }
  | { readonly kind: 'invalid'; readonly message: string };

const GLOB_SPECIAL = /[*?[\]{}()!+@]/;

/** Converts `regex`; alternatives at the top level (`a|b`) become one glob each. */
export function convertAirRegex(regex: string): RegexConversion {
  try {
    new RegExp(regex);
  } catch (err) {
    return { kind: 'invalid', message: (err as Error).message };
  }
  const globs: string[] = [];
  let anyChar = false;
  for (const alt of regex.split('|')) {
    const one = convertOne(alt);
    if (one.kind === 'unsupported' || one.kind === 'matches-nothing') return one;
    if (one.kind === 'invalid') return one;
    if (one.kind === 'approximate') anyChar = true;
    globs.push(...one.globs);
  }
  return anyChar ? { kind: 'approximate', globs, anyChar: true } : { kind: 'exact', globs };
}

function convertOne(regex: string): RegexConversion {
  if (regex.startsWith('^') && !regex.startsWith('^/')) return { kind: 'matches-nothing' };
  if (regex.startsWith('^')) return { kind: 'unsupported', what: 'a pattern anchored at /' };
  let body = regex;
  let anchoredEnd = false;
  while (body.startsWith('.*')) body = body.slice(2);
  if (body.endsWith('$') && !body.endsWith('\\$')) {
    anchoredEnd = true;
    body = body.slice(0, -1);
  }
  while (!anchoredEnd && body.endsWith('.*') && !body.endsWith('\\.*')) body = body.slice(0, -2);
  let literal = '';
  let anyChar = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) {
        return { kind: 'unsupported', what: `the escape \\${next ?? ''}` };
      }
      literal += next;
      i++;
      continue;
    }
    if (ch === '.') {
      anyChar = true;
      literal += '.';
      continue;
    }
    if ('*+?()[]{}^$|'.includes(ch)) return { kind: 'unsupported', what: `the operator "${ch}"` };
    literal += ch;
  }
  if (literal === '')
    return { kind: 'unsupported', what: 'an empty pattern (it matches every file)' };
  if (GLOB_SPECIAL.test(literal) || literal.includes('\\')) {
    return { kind: 'unsupported', what: 'a character that is special in globs' };
  }
  const glob = substringGlob(literal, anchoredEnd);
  return anyChar
    ? { kind: 'approximate', globs: [glob], anyChar: true }
    : { kind: 'exact', globs: [glob] };
}

/**
 * The glob for "the path contains `literal`" (or ends with it). A glob that matches a
 * directory covers everything below it, so a match inside a directory name works too.
 */
function substringGlob(literal: string, anchoredEnd: boolean): string {
  const lead = literal.startsWith('/') ? literal.slice(1) : `*${literal}`;
  if (anchoredEnd || lead.endsWith('/')) return `**/${lead}`;
  return `**/${lead}*`;
}
