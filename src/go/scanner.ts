import { isDirective, isDirectiveAt, lineDirectiveError } from './directive.js';
import {
  ASCII_CLASS,
  DIGIT,
  digitValue,
  invalidSeparator,
  isHex,
  isUnicodeDigit,
  isUnicodeLetter,
  KEYWORD,
  keyword,
  LETTER,
  lineOf,
  litName,
  NOT_KEYWORD,
  stripCR,
} from './lexical.js';

/**
 * A Go lexer after the Go spec ("Lexical elements") that produces the same tokens as the
 * standard library's go/scanner, including its automatic semicolons, except that ordinary
 * comments are dropped and directive comments (see ./directive.ts) are DIRECTIVE tokens.
 * `test/go/scanner-differential.test.ts` holds it to go/scanner on every file of GOROOT/src.
 *
 * It works on char codes of a string (a file read as UTF-8); lines count from 1. A
 * GoScanner holds one token at a time in its fields, so scanning allocates nothing per
 * token unless the caller asks for {@link GoScanner.text}.
 */

/** Token kinds. Keywords and operators share a kind each; their text tells them apart. */
export const TOKEN = {
  EOF: 0,
  /** A character that starts no token (`#`, `?`, a curly quote ...); the scan has an error. */
  ILLEGAL: 1,
  IDENT: 2,
  INT: 3,
  FLOAT: 4,
  IMAG: 5,
  CHAR: 6,
  STRING: 7,
  KEYWORD: 8,
  OPERATOR: 9,
  /** `;` in the source, or inserted at a newline or the end of the file. */
  SEMICOLON: 10,
  /** A comment that is code (`//go:build`, `//line` ...). */
  DIRECTIVE: 11,
} as const;

/** One of {@link TOKEN}'s values. */
export type TokenKind = (typeof TOKEN)[keyof typeof TOKEN];

/** The first problem found, as go/scanner would report it. */
export interface ScanError {
  /** Offset in the string (UTF-16 units). */
  readonly offset: number;
  readonly line: number;
  readonly message: string;
}

/**
 * Scans Go source one token per {@link next} call. The current token is in `kind`,
 * `start`, `end` (offsets into the source), `line` and `inserted`.
 */
export class GoScanner {
  readonly #src: string;
  /** The source has a carriage return: comment and raw string texts drop theirs. */
  readonly #hasCR: boolean;
  #pos = 0;
  #lineNo = 1;
  #lineStart = 0;
  #insertSemi = false;
  /** Line of a semicolon owed after a multi-line comment (go/scanner's nlPos), or 0. */
  #owedSemiLine = 0;
  #owedSemiOffset = 0;
  /** Scratch state of the number being scanned: bit 0 a digit seen, bit 1 a `_` seen. */
  #digsep = 0;
  #invalidDigit = -1;

  #kind: TokenKind = TOKEN.EOF;
  #start = 0;
  #end = 0;
  #line = 1;
  #inserted = false;
  #errorCount = 0;
  #firstError: ScanError | undefined;

  constructor(source: string) {
    this.#src = source;
    this.#hasCR = source.includes('\r');
    // go/scanner skips a byte order mark at the start and rejects one anywhere else; it
    // rejects NUL everywhere, inside strings and comments too.
    if (source.charCodeAt(0) === BOM) this.#pos = 1;
    const strayBom = source.indexOf('\uFEFF', 1);
    if (strayBom >= 0) this.#error(strayBom, 'illegal byte order mark');
    const nul = source.indexOf('\0');
    if (nul >= 0) this.#error(nul, 'illegal character NUL');
  }

  /** The current token's kind. */
  get kind(): TokenKind {
    return this.#kind;
  }

  /** Offset of the current token in the source; for an inserted semicolon, its newline's. */
  get start(): number {
    return this.#start;
  }

  /** Offset just past the current token (`start` for an inserted semicolon). */
  get end(): number {
    return this.#end;
  }

  /** Line of the current token's start, from 1 (not moved by line directives). */
  get line(): number {
    return this.#line;
  }

  /** For SEMICOLON: inserted at a newline or the end (go/scanner's literal "\n"). */
  get inserted(): boolean {
    return this.#inserted;
  }

  /** How many errors were found so far. */
  get errorCount(): number {
    return this.#errorCount;
  }

  /** The error at the smallest offset found so far. */
  get firstError(): ScanError | undefined {
    return this.#firstError;
  }

  /**
   * The current token's text: the literal for identifiers, literals, keywords, operators and
   * directives (carriage returns dropped from raw strings and comments, as go/scanner does),
   * `;` for a semicolon in the source and `\n` for an inserted one, empty at EOF.
   */
  text(): string {
    if (this.#kind === TOKEN.SEMICOLON) return this.#inserted ? '\n' : ';';
    const raw = this.#src.slice(this.#start, this.#end);
    if (!this.#hasCR) return raw;
    if (this.#kind === TOKEN.DIRECTIVE) return stripCR(raw, raw.charCodeAt(1) === STAR);
    if (this.#kind === TOKEN.STRING && raw.charCodeAt(0) === BACKQUOTE) return stripCR(raw, false);
    return raw;
  }

  /**
   * Whether {@link text} is exactly `source.slice(start, end)`, so a caller can read the
   * token from the source without a copy. False for semicolons, and for directives and raw
   * strings when the source has carriage returns.
   */
  get verbatim(): boolean {
    if (this.#kind === TOKEN.SEMICOLON) return false;
    if (!this.#hasCR) return true;
    return !(
      this.#kind === TOKEN.DIRECTIVE ||
      (this.#kind === TOKEN.STRING && this.#src.charCodeAt(this.#start) === BACKQUOTE)
    );
  }

  /** Scans the next token and returns its kind (EOF from then on). */
  next(): TokenKind {
    if (this.#owedSemiLine !== 0) {
      this.#semicolon(this.#owedSemiOffset, this.#owedSemiLine);
      this.#owedSemiLine = 0;
      return TOKEN.SEMICOLON;
    }
    const src = this.#src;
    const n = src.length;
    for (;;) {
      let pos = this.#pos;
      // White space; a newline ends the line's statement when a semicolon is due.
      let c = pos < n ? src.charCodeAt(pos) : -1;
      while (c === SPACE || c === TAB || c === CR || (c === LF && !this.#insertSemi)) {
        if (c === LF) {
          this.#lineNo++;
          this.#lineStart = pos + 1;
        }
        c = ++pos < n ? src.charCodeAt(pos) : -1;
      }
      this.#pos = pos;
      if (c === LF) {
        this.#semicolon(pos, this.#lineNo);
        this.#insertSemi = false;
        this.#pos = pos + 1;
        this.#lineNo++;
        this.#lineStart = pos + 1;
        return TOKEN.SEMICOLON;
      }
      if (c === -1) {
        if (this.#insertSemi) {
          this.#insertSemi = false;
          this.#semicolon(n, this.#lineNo);
          return TOKEN.SEMICOLON;
        }
        this.#set(TOKEN.EOF, n, n);
        return TOKEN.EOF;
      }
      if (c === SLASH) {
        const c2 = pos + 1 < n ? src.charCodeAt(pos + 1) : -1;
        if (c2 === SLASH || c2 === STAR) {
          if (this.#comment(pos, c2 === STAR)) return TOKEN.DIRECTIVE;
          if (this.#owedSemiLine !== 0) return this.next();
          continue;
        }
      }
      return this.#token(c, pos);
    }
  }

  /** Scans the token starting with `c` at `pos` (not white space, not a comment). */
  #token(c: number, pos: number): TokenKind {
    const src = this.#src;
    if (c < 0x80) {
      const cls = ASCII_CLASS[c]!;
      if (cls === LETTER) return this.#identifier(pos, pos + 1);
      if (cls === DIGIT) return this.#number(pos);
    } else {
      const cp = src.codePointAt(pos)!;
      if (isUnicodeLetter(cp)) return this.#identifier(pos, pos + (cp > 0xffff ? 2 : 1));
    }
    const c1 = charAt(src, pos + 1);
    let len = 1;
    let semi = false;
    switch (c) {
      case DQUOTE:
        return this.#string(pos);
      case QUOTE:
        return this.#rune(pos);
      case BACKQUOTE:
        return this.#rawString(pos);
      case DOT:
        if (c1 >= 0x30 && c1 <= 0x39) return this.#number(pos);
        if (c1 === DOT && charAt(src, pos + 2) === DOT) len = 3;
        break;
      case SEMI:
        this.#insertSemi = false;
        this.#pos = pos + 1;
        this.#set(TOKEN.SEMICOLON, pos, pos + 1);
        return TOKEN.SEMICOLON;
      case RPAREN:
      case RBRACK:
      case RBRACE:
        semi = true;
        break;
      case PLUS:
      case MINUS:
        // ++ and -- end a statement; += -= + - do not.
        if (c1 === c) {
          len = 2;
          semi = true;
        } else if (c1 === EQUALS) len = 2;
        break;
      case COLON:
      case STAR:
      case SLASH:
      case PERCENT:
      case CARET:
      case EQUALS:
      case BANG:
        if (c1 === EQUALS) len = 2;
        break;
      case LESS:
        if (c1 === MINUS || c1 === EQUALS) len = 2;
        else if (c1 === LESS) len = charAt(src, pos + 2) === EQUALS ? 3 : 2;
        break;
      case GREATER:
        if (c1 === EQUALS) len = 2;
        else if (c1 === GREATER) len = charAt(src, pos + 2) === EQUALS ? 3 : 2;
        break;
      case AMP:
        if (c1 === CARET) len = charAt(src, pos + 2) === EQUALS ? 3 : 2;
        else if (c1 === AMP || c1 === EQUALS) len = 2;
        break;
      case PIPE:
        if (c1 === PIPE || c1 === EQUALS) len = 2;
        break;
      case COMMA:
      case LPAREN:
      case LBRACK:
      case LBRACE:
      case TILDE:
        break;
      default: {
        // Not a token: go/scanner returns ILLEGAL with the character and keeps insertSemi.
        const width = c >= 0xd800 && c <= 0xdbff && pos + 1 < src.length ? 2 : 1;
        if (c !== BOM) {
          this.#error(pos, `illegal character U+${c.toString(16).toUpperCase().padStart(4, '0')}`);
        }
        this.#pos = pos + width;
        this.#set(TOKEN.ILLEGAL, pos, pos + width);
        return TOKEN.ILLEGAL;
      }
    }
    this.#insertSemi = semi;
    this.#pos = pos + len;
    this.#set(TOKEN.OPERATOR, pos, pos + len);
    return TOKEN.OPERATOR;
  }

  #identifier(start: number, from: number): TokenKind {
    const src = this.#src;
    const n = src.length;
    let pos = from;
    while (pos < n) {
      const c = src.charCodeAt(pos);
      if (c < 0x80) {
        if (ASCII_CLASS[c] === 0) break;
        pos++;
      } else {
        const cp = src.codePointAt(pos)!;
        if (!isUnicodeLetter(cp) && !isUnicodeDigit(cp)) break;
        pos += cp > 0xffff ? 2 : 1;
      }
    }
    const kw = pos - start > 1 ? keyword(src, start, pos - start) : NOT_KEYWORD;
    this.#insertSemi = kw !== KEYWORD;
    this.#pos = pos;
    const kind = kw === NOT_KEYWORD ? TOKEN.IDENT : TOKEN.KEYWORD;
    this.#set(kind, start, pos);
    return kind;
  }

  /** go/scanner's scanNumber: the same extent and the same errors. */
  #number(start: number): TokenKind {
    const src = this.#src;
    let pos = start;
    let kind: TokenKind = TOKEN.INT;
    let base = 10;
    let prefix = 0; // 0 decimal, ZERO for a 0-octal, or x o b
    this.#digsep = 0;
    this.#invalidDigit = -1;
    let c = charAt(src, pos);
    if (c !== DOT) {
      if (c === ZERO) {
        pos++;
        const p = charAt(src, pos) | 0x20;
        if (p === LOWER_X || p === LOWER_O || p === LOWER_B) {
          pos++;
          prefix = p;
          base = p === LOWER_X ? 16 : p === LOWER_O ? 8 : 2;
        } else {
          prefix = ZERO;
          base = 8;
          this.#digsep = 1;
        }
      }
      pos = this.#digits(pos, base);
    }
    if (charAt(src, pos) === DOT) {
      kind = TOKEN.FLOAT;
      if (prefix === LOWER_O || prefix === LOWER_B) {
        this.#error(pos, `invalid radix point in ${litName(prefix)}`);
      }
      pos = this.#digits(pos + 1, base);
    }
    if ((this.#digsep & 1) === 0) this.#error(pos, `${litName(prefix)} has no digits`);
    c = charAt(src, pos);
    const e = c | 0x20;
    if (e === LOWER_E || e === LOWER_P) {
      if (e === LOWER_E && prefix !== 0 && prefix !== ZERO) {
        this.#error(pos, `'${String.fromCharCode(c)}' exponent requires decimal mantissa`);
      } else if (e === LOWER_P && prefix !== LOWER_X) {
        this.#error(pos, `'${String.fromCharCode(c)}' exponent requires hexadecimal mantissa`);
      }
      pos++;
      kind = TOKEN.FLOAT;
      const sign = charAt(src, pos);
      if (sign === PLUS || sign === MINUS) pos++;
      const mantissa = this.#digsep;
      this.#digsep = 0;
      pos = this.#digits(pos, 10);
      if ((this.#digsep & 1) === 0) this.#error(pos, 'exponent has no digits');
      this.#digsep |= mantissa;
    } else if (prefix === LOWER_X && kind === TOKEN.FLOAT) {
      this.#error(pos, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (charAt(src, pos) === LOWER_I) {
      kind = TOKEN.IMAG;
      pos++;
    }
    if (kind === TOKEN.INT && this.#invalidDigit >= 0) {
      const at = this.#invalidDigit;
      this.#error(at, `invalid digit '${src[at]}' in ${litName(prefix)}`);
    }
    if ((this.#digsep & 2) !== 0) {
      const i = invalidSeparator(src, start, pos);
      if (i >= 0) this.#error(i, "'_' must separate successive digits");
    }
    this.#insertSemi = true;
    this.#pos = pos;
    this.#set(kind, start, pos);
    return kind;
  }

  /**
   * go/scanner's digits: skips `{ digit | '_' }` from `pos` and returns where it stopped.
   * Below base 10 it takes every decimal digit and remembers the first one too large.
   */
  #digits(pos: number, base: number): number {
    const src = this.#src;
    for (; ; pos++) {
      const c = charAt(src, pos);
      if (c === UNDERSCORE) this.#digsep |= 2;
      else if (base > 10 ? isHex(c) : c >= 0x30 && c <= 0x39) {
        this.#digsep |= 1;
        if (base < 10 && c >= 0x30 + base && this.#invalidDigit < 0) this.#invalidDigit = pos;
      } else return pos;
    }
  }

  #string(start: number): TokenKind {
    const src = this.#src;
    let pos = start + 1;
    for (;;) {
      const c = charAt(src, pos);
      if (c === LF || c === -1) {
        this.#error(start, 'string literal not terminated');
        break;
      }
      pos++;
      if (c === DQUOTE) break;
      if (c === BACKSLASH) pos = Math.abs(this.#escape(pos, DQUOTE));
    }
    return this.#literal(TOKEN.STRING, start, pos);
  }

  #rune(start: number): TokenKind {
    const src = this.#src;
    let pos = start + 1;
    let valid = true;
    let chars = 0;
    for (;;) {
      const c = charAt(src, pos);
      if (c === LF || c === -1) {
        if (valid) this.#error(start, 'rune literal not terminated');
        valid = false;
        break;
      }
      pos++;
      if (c === QUOTE) break;
      chars++;
      if (c === BACKSLASH) {
        const after = this.#escape(pos, QUOTE);
        if (after < 0) valid = false;
        pos = Math.abs(after);
      } else if (c >= 0xd800 && c <= 0xdbff && pos < src.length) {
        pos++;
      }
    }
    if (valid && chars !== 1) this.#error(start, 'illegal rune literal');
    return this.#literal(TOKEN.CHAR, start, pos);
  }

  /**
   * go/scanner's scanEscape after a backslash at `pos - 1`: returns where scanning goes on,
   * negated when the escape is invalid (it then stops at the offending character).
   */
  #escape(pos: number, quote: number): number {
    const src = this.#src;
    const c = charAt(src, pos);
    let count: number;
    let base: number;
    let max: number;
    switch (c) {
      case LOWER_A:
      case LOWER_B:
      case LOWER_F:
      case LOWER_N:
      case LOWER_R:
      case LOWER_T:
      case LOWER_V:
      case BACKSLASH:
      case quote:
        return pos + 1;
      case LOWER_X:
        count = 2;
        base = 16;
        max = 255;
        pos++;
        break;
      case LOWER_U:
        count = 4;
        base = 16;
        max = 0x10ffff;
        pos++;
        break;
      case UPPER_U:
        count = 8;
        base = 16;
        max = 0x10ffff;
        pos++;
        break;
      default:
        if (c >= 0x30 && c <= 0x37) {
          count = 3;
          base = 8;
          max = 255;
          break;
        }
        this.#error(
          pos - 1,
          c === -1 ? 'escape sequence not terminated' : 'unknown escape sequence',
        );
        return -pos;
    }
    const escapeStart = pos;
    let value = 0;
    for (; count > 0; count--, pos++) {
      const d = digitValue(charAt(src, pos));
      if (d >= base) {
        this.#error(
          pos,
          charAt(src, pos) === -1
            ? 'escape sequence not terminated'
            : 'illegal character in escape sequence',
        );
        return -pos;
      }
      value = value * base + d;
    }
    if (value > max || (value >= 0xd800 && value < 0xe000)) {
      this.#error(escapeStart, 'escape sequence is invalid Unicode code point');
      return -pos;
    }
    return pos;
  }

  #rawString(start: number): TokenKind {
    const src = this.#src;
    let end = src.indexOf('`', start + 1);
    if (end < 0) {
      this.#error(start, 'raw string literal not terminated');
      end = src.length;
    } else {
      end++;
    }
    const line = this.#lineNo;
    this.#countLines(start + 1, end);
    this.#insertSemi = true;
    this.#pos = end;
    this.#set(TOKEN.STRING, start, end);
    this.#line = line;
    return TOKEN.STRING;
  }

  /**
   * Scans the comment at `start`; returns true when it is a directive (then the current
   * token). A general comment spanning lines where a semicolon is due owes one, on the
   * comment's first line, as go/scanner does.
   */
  #comment(start: number, general: boolean): boolean {
    const src = this.#src;
    const line = this.#lineNo;
    const atLineStart = start === this.#lineStart;
    let end: number;
    let terminated = true;
    if (general) {
      const close = src.indexOf('*/', start + 2);
      terminated = close >= 0;
      if (!terminated) this.#error(start, 'comment not terminated');
      end = terminated ? close + 2 : src.length;
      const firstLF = src.indexOf('\n', start + 2);
      if (firstLF >= 0 && firstLF < end) {
        if (this.#insertSemi) {
          this.#owedSemiLine = line;
          this.#owedSemiOffset = firstLF;
          this.#insertSemi = false;
        }
        this.#countLines(firstLF, end);
      }
    } else {
      end = src.indexOf('\n', start + 2);
      if (end < 0) end = src.length;
    }
    this.#pos = end;
    const directive = this.#hasCR
      ? isDirective(stripCR(src.slice(start, end), general), atLineStart)
      : isDirectiveAt(src, start, end, atLineStart);
    if (!directive) return false;
    if (terminated && src.startsWith('line ', start + 2)) {
      // go/scanner checks the numbers of a line directive (and so does the compiler).
      let raw = src.slice(start, end);
      if (!general && raw.endsWith('\r')) raw = raw.slice(0, -1);
      const problem = lineDirectiveError(raw);
      if (problem !== undefined) this.#error(start + 7, problem);
    }
    this.#set(TOKEN.DIRECTIVE, start, end);
    this.#line = line;
    return true;
  }

  /** A string or rune literal; a semicolon is due after it. */
  #literal(kind: TokenKind, start: number, end: number): TokenKind {
    this.#insertSemi = true;
    this.#pos = end;
    this.#set(kind, start, end);
    return kind;
  }

  #semicolon(offset: number, line: number): void {
    this.#kind = TOKEN.SEMICOLON;
    this.#start = offset;
    this.#end = offset;
    this.#line = line;
    this.#inserted = true;
  }

  #set(kind: TokenKind, start: number, end: number): void {
    this.#kind = kind;
    this.#start = start;
    this.#end = end;
    this.#line = this.#lineNo;
    this.#inserted = false;
  }

  /** Advances the line count over the newlines in `[from, to)`. */
  #countLines(from: number, to: number): void {
    const src = this.#src;
    let lf = src.indexOf('\n', from);
    while (lf >= 0 && lf < to) {
      this.#lineNo++;
      this.#lineStart = lf + 1;
      lf = src.indexOf('\n', lf + 1);
    }
  }

  #error(offset: number, message: string): void {
    this.#errorCount++;
    if (this.#firstError === undefined || offset < this.#firstError.offset) {
      this.#firstError = { offset, line: lineOf(this.#src, offset), message };
    }
  }
}

/** One token, for callers that want a list (tests, tools); {@link GoScanner} is faster. */
export interface Token {
  readonly kind: TokenKind;
  /** See {@link GoScanner.text}. */
  readonly text: string;
  readonly line: number;
}

/** Every token of `source` up to (not including) EOF, and the first error if any. */
export function scanGoTokens(source: string): {
  readonly tokens: Token[];
  readonly error: ScanError | undefined;
} {
  const scanner = new GoScanner(source);
  const tokens: Token[] = [];
  for (let kind = scanner.next(); kind !== TOKEN.EOF; kind = scanner.next()) {
    tokens.push({ kind, text: scanner.text(), line: scanner.line });
  }
  return { tokens, error: scanner.firstError };
}

function charAt(src: string, pos: number): number {
  return pos < src.length ? src.charCodeAt(pos) : -1;
}

const BOM = 0xfeff;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BANG = 0x21;
const DQUOTE = 0x22;
const PERCENT = 0x25;
const AMP = 0x26;
const QUOTE = 0x27;
const LPAREN = 0x28;
const RPAREN = 0x29;
const STAR = 0x2a;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const COLON = 0x3a;
const SEMI = 0x3b;
const LESS = 0x3c;
const EQUALS = 0x3d;
const GREATER = 0x3e;
const UPPER_U = 0x55;
const LBRACK = 0x5b;
const BACKSLASH = 0x5c;
const RBRACK = 0x5d;
const CARET = 0x5e;
const UNDERSCORE = 0x5f;
const BACKQUOTE = 0x60;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_I = 0x69;
const LOWER_N = 0x6e;
const LOWER_O = 0x6f;
const LOWER_P = 0x70;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const LOWER_V = 0x76;
const LOWER_X = 0x78;
const LBRACE = 0x7b;
const PIPE = 0x7c;
const RBRACE = 0x7d;
const TILDE = 0x7e;
