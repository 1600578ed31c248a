// Holds src/go/scanner.ts to the standard library's go/scanner on every .go file of
// GOROOT/src: test/go/scantokens (built here with the real toolchain) prints a hash of
// go/scanner's tokens per file in a canonical form, and this test computes the same form
// from GoScanner. Files go/scanner reports errors in are compared only on that verdict.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('GoScanner against go/scanner', () => {
  const goBin = requireGo();
  const binDir = mkdtempSync(join(tmpdir(), 'gohot-scantokens-'));
  afterAll(() => rmSync(binDir, { recursive: true, force: true }));

  it('produces go/scanner tokens on every file of GOROOT/src', async () => {
    const program = join(binDir, 'scantokens');
    await run(goBin, ['build', '-buildvcs=false', '-o', program, '.'], {
      cwd: PROGRAM_DIR,
      env: GO_ENV,
    });
    const goroot = (await run(goBin, ['env', 'GOROOT'], { env: GO_ENV })).stdout.trim();
    const listing = await run(program, [join(goroot, 'src')], { maxBuffer: 256 * 1024 * 1024 });

    const misses: string[] = [];
    const mismatches: string[] = [];
    const excluded: string[] = [];
    let agreed = 0;
    let tokenCount = 0;
    let alsoFlagged = 0;
    for (const line of listing.stdout.split('\n')) {
      if (line === '') continue;
      const [path, verdict, hash, count] = line.split('\t') as [string, string, string, string];
      if (verdict === 'MISS') {
        misses.push(`${path}: ${hash}`);
        continue;
      }
      const source = readFileSync(path, 'utf8');
      const ours = canonicalHash(source);
      if (verdict === 'ERR') {
        excluded.push(`${path}: ${hash}`);
        if (ours.errors > 0) alsoFlagged++;
        continue;
      }
      if (ours.errors > 0) {
        mismatches.push(`${path}: GoScanner found an error go/scanner does not`);
      } else if (ours.hash !== hash) {
        mismatches.push(`${path}: ${await firstDifference(program, path, source)}`);
      } else {
        agreed++;
        tokenCount += Number(count);
      }
    }

    expect(misses, 'build constraints isDirective does not cover').toEqual([]);
    expect(mismatches.slice(0, 20), `${mismatches.length} files differ`).toEqual([]);
    // Every file go/scanner rejects is one GoScanner rejects too.
    expect(alsoFlagged, excluded.join('\n')).toBe(excluded.length);
    // GOROOT/src of any supported Go has well over 5,000 files; fewer means a broken listing.
    expect(agreed).toBeGreaterThan(5_000);
    console.log(
      `scanner agreed with go/scanner on ${agreed.toLocaleString('en-US')} files ` +
        `(${tokenCount.toLocaleString('en-US')} tokens); excluded ${excluded.length} file(s) ` +
        `go/scanner reports errors in, all rejected by GoScanner too:\n  ${excluded.join('\n  ')}`,
    );
  }, 180_000);
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
