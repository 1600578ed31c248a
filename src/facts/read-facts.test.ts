import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goFileFacts } from '../go/file-facts.js';
import { readFacts } from './read-facts.js';

const dir = mkdtempSync(join(tmpdir(), 'gohot-read-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('readFacts', () => {
  it.each([
    ['an empty file', ''],
    ['a small file', 'package a\n\nconst A = 1\n'],
    // Larger than one read: the chunks are copies, not views of a buffer read into again.
    [
      'a file of several reads',
      `package a\n\n${'// filler line of a long file\n'.repeat(9000)}const B = 2\n`,
    ],
  ])('%s: the hash and the tokens of all its bytes', (_name, source) => {
    const file = join(dir, `f${source.length}.go`);
    writeFileSync(file, source);
    expect(readFacts(file)).toEqual({ hash: sha1(source), go: goFileFacts(source) });
  });

  it('a file that is not Go: the hash only; a missing file: undefined', () => {
    const file = join(dir, 'asset.txt');
    writeFileSync(file, 'x'.repeat(70_000));
    expect(readFacts(file)).toEqual({ hash: sha1('x'.repeat(70_000)) });
    expect(readFacts(join(dir, 'missing.go'))).toBeUndefined();
  });
});
