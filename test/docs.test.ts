import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, FLAGS, flagSynopsis } from '../src/cli/grammar.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

/** Repository-relative paths of the text files that may cite docs/facts.md. */
function citingFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|mjs|md)$/.test(e.name)) out.push(rel);
    }
  };
  for (const dir of ['src', 'test', 'bench', 'docs']) walk(dir);
  return out;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('docs/facts.md', () => {
  const facts = read('docs/facts.md');
  const anchors = new Set([...facts.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

  it('has unique section anchors', () => {
    const all = [...facts.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!));
    expect(all.length).toBe(anchors.size);
  });

  it('has every anchor the code, the tests and the docs cite', () => {
    const cited: string[] = [];
    for (const file of citingFiles()) {
      for (const m of read(file).matchAll(/docs\/facts\.md#([\w-]+)/g))
        cited.push(`${file}: ${m[1]}`);
    }
    for (const m of facts.matchAll(/\]\(#([\w-]+)\)/g)) cited.push(`docs/facts.md: ${m[1]}`);
    expect(cited.length).toBeGreaterThan(5);
    const missing = cited.filter((c) => !anchors.has(c.split(': ')[1]!));
    expect(missing, `known anchors: ${[...anchors].join(', ')}`).toEqual([]);
  });

  it('is how comments cite facts: no section-number citations of other files', () => {
    const bySection = citingFiles().filter((f) => read(f).includes('\u00a7'));
    expect(bySection).toEqual([]);
  });
});

describe('README usage section', () => {
  const readme = read('README.md');
  const usage = readme.slice(readme.indexOf('## Usage'), readme.indexOf('## Configuration'));

  it.each(Object.keys(FLAGS) as Array<keyof typeof FLAGS>)('documents --%s', (flag) => {
    const spec: { readonly short?: string; readonly help: string } = FLAGS[flag];
    expect(usage).toContain(`--${flag}`);
    if (spec.short !== undefined) expect(usage).toContain(`-${spec.short}, --${flag}`);
    expect(flagSynopsis(flag)).toContain(`--${flag}`);
  });

  it.each(COMMAND_NAMES)('names the command word %s', (word) => {
    expect(usage).toContain(`\`${word}\``);
  });
});
