// Go's lexical tables and the small checks of go/scanner that GoScanner (./scanner.ts) uses:
// character classes, keywords, number separators, carriage-return stripping.

/**
 * go/scanner's stripCR: drops carriage returns, except in a general comment the one of a
 * `*\r/` (dropping it would end the comment early; golang/go#11151).
 */
export function stripCR(text: string, comment: boolean): string {
  if (!comment || !text.includes('*\r')) return text.replaceAll('\r', '');
  let out = '';
  for (let j = 0; j < text.length; j++) {
    const c = text[j]!;
    if (c !== '\r') out += c;
    else if (out.length > 2 && out.endsWith('*') && text[j + 1] === '/') out += c;
  }
  return out;
}

/** Whether `src[start, start + len)` is a Go keyword, and if so whether it ends a statement. */
export function keyword(src: string, start: number, len: number): number {
  if (len > MAX_KEYWORD_LENGTH) return NOT_KEYWORD;
  const c = src.charCodeAt(start);
  if (c >= 0x80) return NOT_KEYWORD;
  const candidates = KEYWORDS[(len << 7) | c];
  if (candidates === undefined) return NOT_KEYWORD;
  for (let i = 0; i < candidates.length; i++) {
    const kw = candidates[i]!;
    // Char by char: cheaper than a startsWith call for these short words.
    let j = 1;
    while (j < len && kw.charCodeAt(j) === src.charCodeAt(start + j)) j++;
    if (j === len) {
      return kw === 'break' || kw === 'continue' || kw === 'fallthrough' || kw === 'return'
        ? STATEMENT_KEYWORD
        : KEYWORD;
    }
  }
  return NOT_KEYWORD;
}

/** go/scanner's invalidSep over `src[start, end)`: the offset of a misplaced `_`, or -1. */
export function invalidSeparator(src: string, start: number, end: number): number {
  let hex = false;
  let d = DOT; // the previous character's class: '_', '0' (a digit) or '.' (anything else)
  let i = start;
  if (end - start >= 2 && src.charCodeAt(start) === ZERO) {
    const p = src.charCodeAt(start + 1) | 0x20;
    if (p === LOWER_X || p === LOWER_O || p === LOWER_B) {
      hex = p === LOWER_X;
      d = ZERO;
      i += 2;
    }
  }
  for (; i < end; i++) {
    const p = d;
    const c = src.charCodeAt(i);
    if (c === UNDERSCORE) {
      if (p !== ZERO) return i;
      d = UNDERSCORE;
    } else if ((c >= 0x30 && c <= 0x39) || (hex && isHex(c))) {
      d = ZERO;
    } else {
      if (p === UNDERSCORE) return i - 1;
      d = DOT;
    }
  }
  return d === UNDERSCORE ? end - 1 : -1;
}

export function litName(prefix: number): string {
  if (prefix === LOWER_X) return 'hexadecimal literal';
  if (prefix === LOWER_O || prefix === ZERO) return 'octal literal';
  if (prefix === LOWER_B) return 'binary literal';
  return 'decimal literal';
}

export function isHex(c: number): boolean {
  const l = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (l >= LOWER_A && l <= LOWER_F);
}

export function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= LOWER_A && l <= LOWER_F) return l - LOWER_A + 10;
  return 16;
}

export function lineOf(src: string, offset: number): number {
  let line = 1;
  for (let lf = src.indexOf('\n'); lf >= 0 && lf < offset; lf = src.indexOf('\n', lf + 1)) line++;
  return line;
}

// Letters and digits beyond ASCII, as Go's unicode.IsLetter (categories L) and
// unicode.IsDigit (Nd). Only reached for non-ASCII characters.
const UNICODE_LETTER = /\p{L}/u;
const UNICODE_DIGIT = /\p{Nd}/u;
export function isUnicodeLetter(cp: number): boolean {
  return UNICODE_LETTER.test(String.fromCodePoint(cp));
}
export function isUnicodeDigit(cp: number): boolean {
  return UNICODE_DIGIT.test(String.fromCodePoint(cp));
}

export const NOT_KEYWORD = 0;
export const KEYWORD = 1;
/** break, continue, fallthrough, return: a newline after them inserts a semicolon. */
export const STATEMENT_KEYWORD = 2;
const MAX_KEYWORD_LENGTH = 11;
/** The keywords by length and first character (index `length << 7 | char`). */
const KEYWORDS: ReadonlyArray<readonly string[] | undefined> = (() => {
  const table: string[][] = [];
  const all =
    'break case chan const continue default defer else fallthrough for func go goto if ' +
    'import interface map package range return select struct switch type var';
  for (const kw of all.split(' ')) {
    const i = (kw.length << 7) | kw.charCodeAt(0);
    table[i] ??= [];
    table[i].push(kw);
  }
  return table;
})();

export const LETTER = 1;
export const DIGIT = 2;
/** Character class of each ASCII code (identifiers go on over both): 0 for the rest. */
export const ASCII_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = DIGIT;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = LETTER;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = LETTER;
  table[0x5f] = LETTER;
  return table;
})();

const DOT = 0x2e;
const ZERO = 0x30;
const UNDERSCORE = 0x5f;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_F = 0x66;
const LOWER_O = 0x6f;
const LOWER_X = 0x78;
