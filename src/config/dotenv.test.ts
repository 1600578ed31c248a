// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dotenv text, not templates
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GohotError } from '../errors.js';
import { loadEnvFiles, parseDotenv } from './dotenv.js';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('parseDotenv', () => {
  it.each([
    ['A=1', { A: '1' }],
    ['export A=1', { A: '1' }],
    ['  A = 1  ', { A: '1' }],
    ['A=', { A: '' }],
    ['# comment\n\nA=1\n  # indented comment', { A: '1' }],
    ['A=1 # trailing comment', { A: '1' }],
    ['A=a#b', { A: 'a#b' }],
    ['A=x=y', { A: 'x=y' }],
    ["A='single $B \\n # kept'", { A: 'single $B \\n # kept' }],
    ['A="double\\nline \\"q\\" \\\\ \\t"', { A: 'double\nline "q" \\ \t' }],
    ['A="a # not a comment" # comment', { A: 'a # not a comment' }],
    ['A="first\nsecond"\nB=2', { A: 'first\nsecond', B: '2' }],
    ["A='x\ny'", { A: 'x\ny' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['\uFEFFA=1', { A: '1' }],
    ['A=1\nA=2', { A: '2' }],
    ['A=1\nB=${A}-$A-${MISSING}', { A: '1', B: '1-1-' }],
    ['B=${MISSING:-fallback} ${A:-x}\nA=late', { B: 'fallback x', A: 'late' }],
    ['A=1\nB="${A}\\$A"', { A: '1', B: '1$A' }],
    ["A=1\nB='${A}'", { A: '1', B: '${A}' }],
    ['my.key-1=v', { 'my.key-1': 'v' }],
    ['__proto__=x', { ['__proto__']: 'x' }],
  ])('%j', (text, vars) => {
    const parsed = parseDotenv(text);
    expect(parsed).toEqual({ ok: true, vars });
  });

  it('expands from the environment first, then from the file', () => {
    expect(parseDotenv('HOME=/file\nA=${HOME}/x\nB=$USER', env({ HOME: '/env' }))).toEqual({
      ok: true,
      vars: { HOME: '/file', A: '/env/x', B: '' },
    });
  });

  it.each([
    ['JUSTTEXT', 1, /expected KEY=VALUE/],
    ['A=1\n1A=2', 2, /"1A" is not a variable name/],
    ['A="open\nB=2', 1, /the " quote of A is never closed/],
    ["A='x' y", 1, /unexpected "y" after the closing quote of A/],
    ['=1', 1, /"" is not a variable name/],
  ])('refuses %j at line %i', (text, line, message) => {
    const parsed = parseDotenv(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issue.line).toBe(line);
      expect(parsed.issue.message).toMatch(message);
    }
  });
});

describe('loadEnvFiles', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads files in order, a later file winning, and expands across them', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-dotenv-'));
    await writeFile(path.join(dir, '.env'), 'A=1\nB=one');
    await writeFile(path.join(dir, '.env.local'), 'B=two-$A');
    expect(loadEnvFiles(['.env', '.env.local'], dir, () => undefined)).toEqual({
      A: '1',
      B: 'two-1',
    });
  });

  it('names the file and line of a problem, and a missing file', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gohot-dotenv-'));
    await writeFile(path.join(dir, '.env'), 'A=1\nnot a line');
    const err = (() => {
      try {
        loadEnvFiles(['.env'], dir, () => undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GohotError);
    expect((err as GohotError).code).toBe('ENV_FILE_INVALID');
    expect((err as GohotError).message).toMatch(/^\.env:2: expected KEY=VALUE/);
    expect(() => loadEnvFiles(['missing.env'], dir!, () => undefined)).toThrow(
      /The env file missing\.env does not exist\./,
    );
  });
});
