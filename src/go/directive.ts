/**
 * Which Go comments are code: the comments the go command, the compiler or cgo read
 * (docs/facts.md#comments-that-are-code). The scanner returns these as DIRECTIVE tokens and
 * drops every other comment.
 *
 * The test is deliberately a little wider than each tool's own: a comment that only looks
 * like a directive costs a rebuild, a directive taken for a comment would cost a wrong binary.
 */

/**
 * Whether the comment `text[start, end)` (with its `//` or `/*`, as go/scanner returns it:
 * without the final newline and without carriage returns) is a directive:
 *
 * - `//go:...`: every compiler and go command directive (`//go:build`, `//go:embed`,
 *   `//go:generate`, `//go:linkname`, `//go:noinline`, `//go:debug`, ...);
 * - `// +build ...`, with any white space between `//` and `+build` (go/build/constraint
 *   `IsPlusBuild` trims it; `//+build` counts too);
 * - `//line ...` when the comment starts a line (`atLineStart`), and `/*line ...` anywhere:
 *   line directives change the positions of everything after them;
 * - `//export ...`: cgo exports a Go function under that name.
 */
export function isDirectiveAt(
  text: string,
  start: number,
  end: number,
  atLineStart: boolean,
): boolean {
  if (end - start < 5 || text.charCodeAt(start) !== SLASH) return false;
  const second = text.charCodeAt(start + 1);
  if (second === STAR) return text.startsWith('line ', start + 2);
  if (second !== SLASH) return false;
  switch (text.charCodeAt(start + 2)) {
    case LOWER_G:
      return text.startsWith('go:', start + 2);
    case LOWER_L:
      return atLineStart && text.startsWith('line ', start + 2);
    case LOWER_E:
      return text.startsWith('export ', start + 2);
  }
  return plusBuildAt(text, start, end);
}

/** `//`, any white space, then `+build`: a `// +build` line, or something like one. */
export function isPlusBuild(comment: string): boolean {
  return comment.startsWith('//') && plusBuildAt(comment, 0, comment.length);
}

function plusBuildAt(text: string, start: number, end: number): boolean {
  let i = start + 2;
  while (i < end && isGoSpace(text.charCodeAt(i))) i++;
  return text.startsWith('+build', i);
}

/** {@link isDirectiveAt} on a whole comment text. */
export function isDirective(comment: string, atLineStart: boolean): boolean {
  return isDirectiveAt(comment, 0, comment.length, atLineStart);
}

/**
 * The error go/scanner (and the compiler) reports for the line directive `comment`
 * (`//line file:line[:col]` or the same in a general comment, carriage returns kept but the
 * final one of a `//` line dropped), or undefined when it is fine or not a line directive at
 * all (no colon). Lines and columns must be 1 .. 2^30.
 */
export function lineDirectiveError(comment: string): string | undefined {
  const text = comment.slice(7, comment.charCodeAt(1) === STAR ? -2 : undefined);
  const i = text.lastIndexOf(':') + 1;
  if (i === 0) return undefined;
  const n = parseUint(text.slice(i));
  if (n === undefined) return 'invalid line number';
  const i2 = text.lastIndexOf(':', i - 2) + 1;
  const n2 = i2 === 0 ? undefined : parseUint(text.slice(i2, i - 1));
  if (n2 !== undefined) {
    if (n === 0 || n > MAX_LINE_COL) return 'invalid column number';
    if (n2 === 0 || n2 > MAX_LINE_COL) return 'invalid line number';
  } else if (n === 0 || n > MAX_LINE_COL) {
    return 'invalid line number';
  }
  return undefined;
}

/** strconv.ParseUint(s, 10, 0): decimal digits only, at most 2^64 - 1; undefined if not. */
function parseUint(s: string): number | undefined {
  if (s.length === 0 || s.length > 20) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  if (s.length === 20 && s > '18446744073709551615') return undefined;
  return Number(s);
}

/** unicode.IsSpace, which strings.TrimSpace (and so `IsPlusBuild`) trims. */
function isGoSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** cmd/compile/internal/syntax.PosMax: the largest line or column number. */
const MAX_LINE_COL = 1 << 30;
const SLASH = 0x2f;
const STAR = 0x2a;
const LOWER_E = 0x65;
const LOWER_G = 0x67;
const LOWER_L = 0x6c;
