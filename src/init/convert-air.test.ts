import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { type AirConversion, isOtherToolConfig } from './air-notes.js';
import { convertAir } from './convert-air.js';
import { parseAirToml } from './read-air-toml.js';

const DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test/fixtures/air-configs',
);
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.air.toml'))
  .map((f) => f.slice(0, -'.air.toml'.length))
  .sort();

/** The module's main packages, as init lists them, for the fixtures that need several. */
const MAINS: Readonly<Record<string, readonly string[]>> = {
  'make-cmd': ['./cmd/app', './cmd/worker'],
};

interface Expected {
  readonly config: unknown;
  /** `<kind> <air key>: <reason>` per line of the report. */
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

function summary(c: AirConversion): Expected {
  return {
    config: c.config,
    notes: c.notes.map((n) => `${n.kind} ${n.key}: ${n.reason.by}`),
    warnings: c.warnings.map((w) => w.by),
  };
}

function convertFixture(name: string, text?: string): AirConversion {
  const source = text ?? readFileSync(path.join(DIR, `${name}.air.toml`), 'utf8');
  return convertAir(parseAirToml(source, `${name}.air.toml`), { mains: MAINS[name] ?? ['.'] });
}

describe('convertAir over the .air.toml fixtures', () => {
  it('has at least 20 fixtures', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(NAMES)('%s: the gohot.json and the notes', (name) => {
    const got = summary(convertFixture(name));
    const file = path.join(DIR, `${name}.expected.json`);
    if (process.env.GOHOT_WRITE_AIR_EXPECTED === '1') {
      writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
    }
    expect(got).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  it.each(NAMES.filter((n) => n !== 'other-tool'))(
    '%s: the gohot.json loads through the config loader and resolves',
    (name) => {
      const { config } = convertFixture(name);
      const text = `${JSON.stringify(config, null, 2)}\n`;
      expect(parseConfigText(text, 'gohot.json')).toEqual(config);
      // Resolving checks what validation leaves to it (a proxy needs a target, toolexec splits).
      expect(() => resolveConfig(config, '/m/gohot.json', {})).not.toThrow();
    },
  );

  it('reads a CRLF file exactly like the LF one', () => {
    const lf = readFileSync(path.join(DIR, 'multiline-cmd.air.toml'), 'utf8');
    expect(lf.includes('\r')).toBe(false);
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(summary(convertFixture('multiline-cmd', crlf))).toEqual(
      summary(convertFixture('multiline-cmd', lf)),
    );
  });

  it('tells a file of another tool from an air config', () => {
    expect(isOtherToolConfig(convertFixture('other-tool'))).toBe(true);
    expect(isOtherToolConfig(convertFixture('misspelled'))).toBe(false);
    expect(isOtherToolConfig(convertFixture('empty'))).toBe(false);
  });

  it('writes the $schema it is given first', () => {
    const c = convertAir({}, { mains: ['.'], schema: './schema.json' });
    expect(Object.keys(c.config)[0]).toBe('$schema');
  });
});

describe('parseAirToml', () => {
  it('reports invalid TOML with line and column', () => {
    expect(() =>
      parseAirToml('root = "."\n[build]\ndelay = 1000\ndelay = 2000\n', '.air.toml'),
    ).toThrowError(/^\.air\.toml:4:1: .*redefine/);
  });

  it('reports an unclosed string at its position', () => {
    expect(() => parseAirToml('[build]\ncmd = "go build\n', 'x.toml')).toThrowError(/^x\.toml:2:/);
  });
});

describe('convertAir: -o against the binary air runs', () => {
  const warnings = (cmd: string, bin: string) =>
    convertAir({ build: { cmd, bin } }, { mains: ['.'] }).warnings.map((w) => w.by);

  it.each([
    ['go build -o ./tmp/main .', './tmp/main', []],
    ['go build -o tmp/main.exe .', 'tmp\\main.exe', []],
    ['go build -o ./bin/ ./cmd/server', './bin/server', []],
    ['go build -o ./tmp/app .', './tmp/main', ['output-mismatch']],
    ['go build -o=./tmp/app .', './tmp/main --flag', ['output-mismatch']],
  ])('%s with bin %s', (cmd, bin, expected) => {
    expect(warnings(cmd, bin)).toEqual(expected);
  });
});
