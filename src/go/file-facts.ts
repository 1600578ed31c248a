import { createHash } from 'node:crypto';
import { isPlusBuild } from './directive.js';
import { GoScanner, type ScanError, TOKEN } from './scanner.js';

/**
 * What a Go file means to the build, as far as its tokens tell: two versions of a file
 * with equal `tokens` differ only in white space and ordinary comments, which no build
 * output depends on except through line numbers (`lines`).
 */
export interface GoFileFacts {
  /**
   * Hash of the significant token stream (kind + literal text, directives included): 16 hex
   * digits, followed by `+` and the sha1 of the whole text for a cgo file or one that does
   * not scan.
   */
  readonly tokens: string;
  /** Hash of the same tokens together with their line numbers. */
  readonly lines: string;
  readonly packageName: string | undefined;
  /**
   * Import paths (with their local names if any), in source order: `fmt`, `f fmt`,
   * `. fmt`, `_ embed`. Paths are unquoted.
   */
  readonly imports: readonly string[];
  /** The `//go:build` and `// +build` lines before the package clause, trimmed. */
  readonly constraints: readonly string[];
  /** The `//go:embed` directive lines, trimmed, in order. */
  readonly embeds: readonly string[];
  /** The file imports "C": its preamble is code, so every byte counts. */
  readonly cgo: boolean;
  /**
   * The first lexical error (an unterminated string, an illegal character ...), as
   * go/scanner would report it. Such a file's `tokens` and `lines` include a hash of its
   * whole text, like a cgo file's: what is a comment in it is not certain, so every edit
   * counts. The other facts are what the scan found up to and after the error.
   */
  readonly scanError: ScanError | undefined;
  /**
   * The text looks completely written: it has a package clause, scans without a lexical
   * error, closes every bracket it opens and ends with a newline (gofmt's files do). A file
   * read while an editor was still writing it almost never does; a build of it is waste.
   */
  readonly complete: boolean;
}

/** The facts {@link compareGoFacts} reports as changed, when tokens changed. */
export const STRUCTURAL_FACTS = ['imports', 'constraints', 'embeds', 'package'] as const;
/** One of {@link STRUCTURAL_FACTS}. */
export type StructuralFact = (typeof STRUCTURAL_FACTS)[number];

/** How two versions of a Go file differ, by their {@link GoFileFacts}. */
export type GoFactsChange =
  /** Only white space within lines and ordinary comments changed. */
  | { readonly kind: 'same-tokens-same-lines' }
  /** As above, but lines were added or removed: positions (panics, runtime.Caller) moved. */
  | { readonly kind: 'same-tokens-lines-shifted' }
  /** The code changed; `structural` names the facts beyond plain code that changed too. */
  | { readonly kind: 'tokens-changed'; readonly structural: readonly StructuralFact[] };

/**
 * Scans `source` (a .go file's text, decoded as UTF-8) and returns its facts. Never
 * throws: a file that does not scan still has facts (see {@link GoFileFacts.scanError}).
 */
export function goFileFacts(source: string): GoFileFacts {
  const scanner = new GoScanner(source);
  const imports: string[] = [];
  const constraints: string[] = [];
  const embeds: string[] = [];
  let packageName: string | undefined;
  let cgo = false;
  let state: number = HEADER;
  let importName: string | undefined;
  // Two 32-bit lanes over the tokens' texts and two over their lines (cyrb53's mixing), so
  // no string is built for a token the facts do not need. Joining the token texts and
  // hashing them with sha1 cost more than the scan itself; this whole loop adds ~40% to it.
  let t1 = SEED_1;
  let t2 = SEED_2;
  let l1 = SEED_1;
  let l2 = SEED_2;
  // Open brackets minus closed ones; below 0 stays below 0 (a close before its open).
  let depth = 0;

  for (let kind = scanner.next(); kind !== TOKEN.EOF; kind = scanner.next()) {
    if (kind === TOKEN.OPERATOR && scanner.end - scanner.start === 1 && depth >= 0) {
      const c = source.charCodeAt(scanner.start);
      if (c === 0x7b || c === 0x28 || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x29 || c === 0x5d) depth--;
    }
    // Both kinds of semicolon are the same token: only the lines see where they came from.
    if (kind !== TOKEN.SEMICOLON) {
      const verbatim = scanner.verbatim;
      const text = verbatim ? source : scanner.text();
      const end = verbatim ? scanner.end : text.length;
      for (let i = verbatim ? scanner.start : 0; i < end; i++) {
        const c = text.charCodeAt(i);
        t1 = Math.imul(t1 ^ c, MUL_1);
        t2 = Math.imul(t2 ^ c, MUL_2);
      }
    }
    // The kind ends the token: above any char code, so "a" "b" never hashes as "ab".
    t1 = Math.imul(t1 ^ (0x10000 | kind), MUL_1);
    t2 = Math.imul(t2 ^ (0x10000 | kind), MUL_2);
    l1 = Math.imul(l1 ^ scanner.line, MUL_1);
    l2 = Math.imul(l2 ^ scanner.line, MUL_2);

    if (kind === TOKEN.DIRECTIVE) {
      const text = scanner.text();
      if (isDirectiveNamed(text, '//go:embed')) embeds.push(text.trim());
      else if (state === HEADER && isConstraint(text)) constraints.push(text.trim());
      continue;
    }
    if (state === BODY || kind === TOKEN.SEMICOLON) continue;
    const text = scanner.text();
    switch (state) {
      case HEADER:
        state = kind === TOKEN.KEYWORD && text === 'package' ? PACKAGE_NAME : BODY;
        break;
      case PACKAGE_NAME:
        if (kind === TOKEN.IDENT) packageName = text;
        state = IMPORTS;
        break;
      case IMPORTS:
        state = kind === TOKEN.KEYWORD && text === 'import' ? IMPORT_DECL : BODY;
        break;
      case IMPORT_DECL:
      case IMPORT_GROUP:
        if (state === IMPORT_DECL && kind === TOKEN.OPERATOR && text === '(') {
          state = IMPORT_GROUP;
        } else if (state === IMPORT_GROUP && kind === TOKEN.OPERATOR && text === ')') {
          state = IMPORTS;
        } else if (kind === TOKEN.IDENT || (kind === TOKEN.OPERATOR && text === '.')) {
          importName = text;
        } else if (kind === TOKEN.STRING) {
          const path = unquote(text);
          if (path === 'C') cgo = true;
          imports.push(importName === undefined ? path : `${importName} ${path}`);
          importName = undefined;
          if (state === IMPORT_DECL) state = IMPORTS;
        } else {
          state = BODY;
        }
        break;
    }
  }

  const tokens = finish(t1, t2);
  // A cgo preamble is C code in a comment, and in a file that does not scan what is a
  // comment is uncertain: then every byte counts (docs/facts.md#comments-that-are-code).
  const whole = cgo || scanner.errorCount > 0;
  const raw = whole ? `+${createHash('sha1').update(source).digest('hex')}` : '';
  return {
    tokens: tokens + raw,
    lines: tokens + finish(l1, l2) + raw,
    packageName,
    imports,
    constraints,
    embeds,
    cgo,
    scanError: scanner.firstError,
    complete:
      packageName !== undefined &&
      scanner.errorCount === 0 &&
      depth === 0 &&
      source.charCodeAt(source.length - 1) === 0x0a,
  };
}

/** cyrb53's final mixing of two lanes, as 16 hex digits. */
function finish(a: number, b: number): string {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;
const MUL_1 = 2654435761;
const MUL_2 = 1597334677;

/** How `after` differs from `before`. */
export function compareGoFacts(before: GoFileFacts, after: GoFileFacts): GoFactsChange {
  if (before.tokens === after.tokens) {
    return before.lines === after.lines
      ? { kind: 'same-tokens-same-lines' }
      : { kind: 'same-tokens-lines-shifted' };
  }
  const structural = STRUCTURAL_FACTS.filter((fact) => FACT_CHANGED[fact](before, after));
  return { kind: 'tokens-changed', structural };
}

const FACT_CHANGED: Readonly<
  Record<StructuralFact, (before: GoFileFacts, after: GoFileFacts) => boolean>
> = {
  imports: (a, b) => !sameList(a.imports, b.imports),
  constraints: (a, b) => !sameList(a.constraints, b.constraints),
  embeds: (a, b) => !sameList(a.embeds, b.embeds),
  package: (a, b) => a.packageName !== b.packageName,
};

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `//go:build ...` or `// +build ...`. */
function isConstraint(text: string): boolean {
  return isDirectiveNamed(text, '//go:build') || isPlusBuild(text);
}

/** `text` is the directive `name`, alone or followed by white space. */
function isDirectiveNamed(text: string, name: string): boolean {
  if (!text.startsWith(name)) return false;
  const next = text.charCodeAt(name.length);
  return Number.isNaN(next) || next === 0x20 || next === 0x09;
}

/** The value of a Go string literal: a raw one, or an interpreted one with its escapes. */
function unquote(literal: string): string {
  const quote = literal[0]!;
  const closed = literal.length >= 2 && literal.endsWith(quote);
  const body = literal.slice(1, closed ? -1 : undefined);
  return quote === '`' || !body.includes('\\') ? body : decodeEscapes(body);
}

/**
 * Decodes Go's escapes on the UTF-8 bytes of `body` (`\x` and octal escapes are bytes).
 * Malformed escapes (only in files that do not scan) decode to something, never throw.
 */
function decodeEscapes(body: string): string {
  const src = Buffer.from(body);
  const out: number[] = [];
  const hex = (from: number, digits: number) =>
    Number.parseInt(src.toString('latin1', from, from + digits), 16);
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b !== 0x5c) {
      out.push(b);
      continue;
    }
    const e = String.fromCharCode(src[++i] ?? 0);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple);
    } else if (e === 'x') {
      out.push(hex(i + 1, 2) & 0xff);
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      const cp = hex(i + 1, digits);
      out.push(...Buffer.from(cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD'));
      i += digits;
    } else {
      out.push(Number.parseInt(src.toString('latin1', i, i + 3), 8) & 0xff);
      i += 2;
    }
  }
  return Buffer.from(out).toString('utf8');
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
  "'": 39,
};

// Where goFileFacts is in the file: before `package`, right after it, among the import
// declarations (in a single one or a group), or past them.
const HEADER = 0;
const PACKAGE_NAME = 1;
const IMPORTS = 2;
const IMPORT_DECL = 3;
const IMPORT_GROUP = 4;
const BODY = 5;
