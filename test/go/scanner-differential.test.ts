// Holds src/go/scanner.ts to the standard library's go/scanner on every .go file of
// GOROOT/src: test/go/scantokens (built here with the real toolchain) prints a hash of
// go/scanner's tokens per file in a canonical form, and this test computes the same form
// from GoScanner. Files go/scanner reports errors in are compared only on that verdict.
// It also rewrites the comments go/scanner finds in GOROOT files and checks that
// goFileFacts sees no change.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareGoFacts, goFileFacts } from '../../src/go/file-facts.js';
import { GoScanner, TOKEN, type TokenKind } from '../../src/go/scanner.js';
import { goTestEnv, requireGo } from '../helpers/fixture.js';

const run = promisify(execFile);
const PROGRAM_DIR = join(dirname(fileURLToPath(import.meta.url)), 'scantokens');
const GO_ENV = goTestEnv({ GOWORK: 'off', GOFLAGS: '', CGO_ENABLED: '0' });

/** The canonical kind name of test/go/scantokens: go/token's name of the token. */
const KIND_NAMES: Record<TokenKind, string | undefined> = {
  [TOKEN.EOF]: undefined,
  [TOKEN.ILLEGAL]: 'ILLEGAL',
  [TOKEN.IDENT]: 'IDENT',
  [TOKEN.INT]: 'INT',
  [TOKEN.FLOAT]: 'FLOAT',
  [TOKEN.IMAG]: 'IMAG',
  [TOKEN.CHAR]: 'CHAR',
  [TOKEN.STRING]: 'STRING',
  [TOKEN.KEYWORD]: undefined,
  [TOKEN.OPERATOR]: undefined,
  [TOKEN.SEMICOLON]: ';',
  [TOKEN.DIRECTIVE]: 'DIRECTIVE',
};

/** GoScanner's tokens of `source` as scantokens' canonical [line, kind, lit] triples. */
function* canonicalTokens(scanner: GoScanner): Generator<[number, string, string]> {
  for (let kind = scanner.next(); kind !== TOKEN.EOF; kind = scanner.next()) {
    const name = KIND_NAMES[kind];
    yield name === undefined
      ? [scanner.line, scanner.text(), '']
      : [scanner.line, name, scanner.text()];
  }
}

/** The sha1 of GoScanner's canonical form of `source`, and the scanner's error count. */
function canonicalHash(source: string): { hash: string; errors: number } {
  const scanner = new GoScanner(source);
  const hash = createHash('sha1');
  let chunk = '';
  for (let kind = scanner.next(); kind !== TOKEN.EOF; kind = scanner.next()) {
    const name = KIND_NAMES[kind];
    chunk +=
      name === undefined
        ? `${scanner.line}\0${scanner.text()}\0\0`
        : `${scanner.line}\0${name}\0${scanner.text()}\0`;
    if (chunk.length > 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return { hash: hash.update(chunk).digest('hex'), errors: scanner.errorCount };
}

/** What comparing GoScanner with go/scanner on the files under some directories found. */
interface Comparison {
  /** Files go/scanner scans without error and GoScanner scans to the same tokens. */
  readonly agreed: string[];
  readonly tokens: number;
  /** Files go/scanner reports an error in, with its first error. */
  readonly rejected: string[];
  /** Rejected files GoScanner scans without finding an error. */
  readonly acceptedByUs: string[];
  readonly mismatches: string[];
  /** Build constraint comments isDirective does not cover. */
  readonly misses: string[];
}

async function compare(program: string, dirs: readonly string[]): Promise<Comparison> {
  const listing = await run(program, dirs, { maxBuffer: 256 * 1024 * 1024 });
  const c = {
    agreed: [] as string[],
    tokens: 0,
    rejected: [] as string[],
    acceptedByUs: [] as string[],
    mismatches: [] as string[],
    misses: [] as string[],
  };
  for (const line of listing.stdout.split('\n')) {
    if (line === '') continue;
    const [path, verdict, hash, count] = line.split('\t') as [string, string, string, string];
    if (verdict === 'MISS') {
      c.misses.push(`${path}: ${hash}`);
      continue;
    }
    const source = readFileSync(path, 'utf8');
    const ours = canonicalHash(source);
    if (verdict === 'ERR') {
      c.rejected.push(`${path}: ${hash}`);
      if (ours.errors === 0) c.acceptedByUs.push(path);
    } else if (ours.errors > 0) {
      c.mismatches.push(`${path}: GoScanner found an error go/scanner does not`);
    } else if (ours.hash !== hash) {
      c.mismatches.push(`${path}: ${await firstDifference(program, path, source)}`);
    } else {
      c.agreed.push(path);
      c.tokens += Number(count);
    }
  }
  return c;
}

function expectAgreement(c: Comparison): void {
  expect(c.misses, 'build constraints isDirective does not cover').toEqual([]);
  expect(c.mismatches.slice(0, 20), `${c.mismatches.length} files differ`).toEqual([]);
  expect(c.acceptedByUs, 'files go/scanner rejects and GoScanner accepts').toEqual([]);
}

/**
 * Sources GOROOT/src has few or none of: carriage returns, byte order marks, every number
 * form, bad escapes. `error` is whether go/scanner rejects it (checked too, so a case cannot
 * quietly test nothing).
 */
const CORNER_CASES: ReadonlyArray<{ name: string; source: string; error: boolean }> = [
  {
    name: 'crlf',
    source:
      'package p\r\n\r\n// comment\r\n//go:noinline\r\nfunc f() {\r\n\treturn\r\n}\r\n' +
      'var s = `a\r\nb`\r\n/* a *\r/ /*\r*/\r\n//line x.go:3\r\n/*line y.go:4*/ var y\r\n',
    error: false,
  },
  { name: 'bom', source: '\uFEFF//line a.go:1\npackage p\n', error: false },
  { name: 'bom-later', source: 'package p\n// \uFEFF\n', error: true },
  { name: 'nul-in-comment', source: 'package p\n// \0\n', error: true },
  {
    name: 'numbers',
    source:
      'package p\nvar _ = []any{0x1p-2, 1_000, 0o17, 0O17, 07, 1e3i, .5, 0b1010, 0X_1F, 0x.8p1,\n' +
      '09.5, 0e0, 1E+3, 0x1P+2i, 0i, 08i, 1.e2, 0x_1p0, 0b_1, 0_7}\n',
    error: false,
  },
  ...['1__0', '0x', '09', '1p3', '0b12', '0o8', '1e', '0x1.0', '0b1.0', '1_', '0x.p1'].map((n) => ({
    name: `bad-number-${n}`,
    source: `package p\nvar _ = ${n}\n`,
    error: true,
  })),
  {
    name: 'runes-and-strings',
    source:
      "package p\nvar _ = []any{'\\'', '\\x41', 'ä', '𝄞', '\\u00e4', '\\U0001F600', '\\377', '\\a',\n" +
      '"a\\"b", "\\n\\t\\\\", `raw`, "ä𝄞", `multi\nline`, "\\u65e5"}\n',
    error: false,
  },
  ...["''", "'ab'", "'\\q'", "'\\400'", "'\\uD800'", "'a", '"\\x4"', '"open', '`open'].map(
    (lit) => ({ name: `bad-literal-${lit}`, source: `package p\nvar _ = ${lit}\n`, error: true }),
  ),
  {
    name: 'unicode-identifiers',
    source: 'package p\nvar ä, 𝑥, ǅ, a١, _𝟘, ĳ int\n',
    error: false,
  },
  { name: 'illegal-curly-quote', source: 'package p\nvar _ = \u201Cx\u201D\n', error: true },
  { name: 'illegal-hash', source: 'package p\n#\n', error: true },
  {
    name: 'semicolons-and-comments',
    source:
      'package p\nfunc f() {\n\tx++ /* c */\n\ty-- /* a\n b */ z()\n\tr := a[0] // c\n\treturn /**/\n}\n' +
      'var v = struct{}{} /*line a.go:7*/\nvar w = 1 /*line a.go:8:2*/ + 2\n\t//line indented.go:x\n//line :9\n//line c:\\a.go:10\n' +
      '// +build linux\n//+build x\n//   +build y\n// +buildx\n//go:build !windows\n//export F\n' +
      'var o = a &^= b <<= c >>= d ... e <- f ~ g := h &^ i && j || k != l == m <= n >= o\nvar t = x',
    error: false,
  },
  ...['a.go:0', 'a.go:x', 'a.go:1:0', 'a.go:0:1', 'a.go:1073741825'].map((pos) => ({
    name: `bad-line-directive-${pos}`,
    source: `package p\n//line ${pos}\n`,
    error: true,
  })),
  { name: 'bad-line-directive-general', source: 'package p\n/*line a.go:8\n*/\n', error: true },
  { name: 'eof-after-line-comment', source: 'package p\nvar x = y // c', error: false },
  { name: 'eof-after-general-comment', source: 'package p\nvar x = y /* c */', error: false },
  { name: 'eof-in-comment', source: 'package p\nvar x = y /* c', error: true },
];

describe('GoScanner against go/scanner', () => {
  const goBin = requireGo();
  const tempDir = mkdtempSync(join(tmpdir(), 'gohot-scantokens-'));
  const program = join(tempDir, 'scantokens');
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
  beforeAll(async () => {
    await run(goBin, ['build', '-buildvcs=false', '-o', program, '.'], {
      cwd: PROGRAM_DIR,
      env: GO_ENV,
    });
  }, 120_000);

  it('produces go/scanner tokens on every file of GOROOT/src', async () => {
    const goroot = (await run(goBin, ['env', 'GOROOT'], { env: GO_ENV })).stdout.trim();
    const c = await compare(program, [join(goroot, 'src')]);
    expectAgreement(c);
    // GOROOT/src of any supported Go has well over 5,000 files; fewer means a broken listing.
    expect(c.agreed.length).toBeGreaterThan(5_000);
    console.log(
      `scanner agreed with go/scanner on ${c.agreed.length.toLocaleString('en-US')} files ` +
        `(${c.tokens.toLocaleString('en-US')} tokens); excluded ${c.rejected.length} file(s) ` +
        `go/scanner reports errors in, all rejected by GoScanner too:\n  ${c.rejected.join('\n  ')}`,
    );
  }, 180_000);

  it('keeps the facts of GOROOT files whose comments go/scanner finds are rewritten', async () => {
    const goroot = (await run(goBin, ['env', 'GOROOT'], { env: GO_ENV })).stdout.trim();
    const files = readdirSync(join(goroot, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.go'))
      .sort()
      .filter((_, i) => i % 8 === 0)
      .map((f) => join(goroot, 'src', f))
      .filter((f) => statSync(f).isFile());
    const dir = join(tempDir, 'recommented');
    mkdirSync(dir);
    await run(program, ['-recomment', dir, ...files]);
    const counts = { same: 0, cgo: 0 };
    const wrong: string[] = [];
    for (const [i, path] of files.entries()) {
      const before = readFileSync(path, 'utf8');
      const after = readFileSync(join(dir, `${i}.go`), 'utf8');
      const facts = goFileFacts(before);
      if (facts.scanError !== undefined || before === after) continue;
      const change = compareGoFacts(facts, goFileFacts(after));
      // A cgo file's preamble is code: rewriting it is a change (and nothing structural).
      const expected = facts.cgo
        ? { kind: 'tokens-changed', structural: [] }
        : { kind: 'same-tokens-same-lines' };
      if (JSON.stringify(change) !== JSON.stringify(expected))
        wrong.push(`${path}: ${change.kind}`);
      else if (facts.cgo) counts.cgo++;
      else counts.same++;
    }
    expect(wrong).toEqual([]);
    expect(counts.same).toBeGreaterThan(500);
    expect(counts.cgo).toBeGreaterThan(0);
    console.log(
      `rewriting the comments of ${counts.same} GOROOT files kept their tokens and lines; ` +
        `${counts.cgo} cgo files changed`,
    );
  }, 180_000);

  it('produces go/scanner tokens and errors on corner cases', async () => {
    const dir = join(tempDir, 'corner-cases');
    mkdirSync(dir);
    for (const [i, { source }] of CORNER_CASES.entries())
      writeFileSync(join(dir, `${i}.go`), source);
    const c = await compare(program, [dir]);
    expectAgreement(c);
    const rejected = new Set(c.rejected.map((r) => r.slice(0, r.indexOf(':'))));
    expect(
      CORNER_CASES.filter((k, i) => rejected.has(join(dir, `${i}.go`)) !== k.error).map(
        (k) => k.name,
      ),
      'cases go/scanner does not judge as the table says',
    ).toEqual([]);
    expect(c.agreed.length + c.rejected.length).toBe(CORNER_CASES.length);
  });
});

/** The first token where the two scanners differ, from scantokens -dump. */
async function firstDifference(program: string, path: string, source: string): Promise<string> {
  const ours = [...canonicalTokens(new GoScanner(source))];
  const dump = await run(program, ['-dump', path], { maxBuffer: 256 * 1024 * 1024 });
  const theirs = dump.stdout
    .split('\n')
    .filter((l) => l.startsWith('['))
    .map((l) => JSON.parse(l) as [number, string, string]);
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const a = JSON.stringify(ours[i]);
    const b = JSON.stringify(theirs[i]);
    if (a !== b) return `token ${i}: GoScanner ${a ?? 'nothing'}, go/scanner ${b ?? 'nothing'}`;
  }
  return 'same tokens, different hash';
}
