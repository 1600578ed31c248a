import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { ownedBuildFlag } from './build-flags.js';
import { checkPattern } from './patterns.js';
import { resolveConfig } from './resolve-config.js';
import { DEFAULT_PATTERNS, STOP_SIGNALS } from './types.js';
import {
  acceptedKeyPaths,
  CONFIG_SPEC,
  type FieldSpec,
  POLL_CHOICES,
  validateConfigTree,
} from './validate.js';

// The schema editors use and the hand-written validator must describe the same file.

interface SchemaNode {
  readonly type?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly enum?: readonly string[];
  readonly oneOf?: readonly SchemaNode[];
  readonly pattern?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly description?: string;
  readonly not?: SchemaNode;
  readonly contains?: SchemaNode;
  readonly required?: readonly string[];
  readonly minLength?: number;
  readonly format?: string;
}

const schemaUrl = new URL('../../schema/gohot.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as SchemaNode;

/** [path, node] for every property in the schema, depth first. */
function schemaEntries(node: SchemaNode, prefix = ''): [string, SchemaNode][] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const keyPath = prefix === '' ? key : `${prefix}.${key}`;
    return [[keyPath, child] as [string, SchemaNode], ...schemaEntries(child, keyPath)];
  });
}

function specEntries(spec: FieldSpec, prefix = ''): [string, FieldSpec][] {
  if (spec.kind !== 'section') return [];
  return Object.entries(spec.fields).flatMap(([key, child]) => {
    const keyPath = prefix === '' ? key : `${prefix}.${key}`;
    return [[keyPath, child] as [string, FieldSpec], ...specEntries(child, keyPath)];
  });
}

/** A document that sets only `keyPath` to `value`. */
function docWith(keyPath: string, value: unknown): string {
  const obj = keyPath.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  return JSON.stringify(obj);
}

function issuesOf(text: string): string[] {
  return validateConfigTree(parseTree(text)!, text).issues.map((i) => `${i.code} ${i.message}`);
}

const schemaPaths = schemaEntries(schema);
const specPaths = specEntries(CONFIG_SPEC);

describe('schema/gohot.schema.json and the validator', () => {
  it('accept exactly the same keys', () => {
    expect(schemaPaths.map(([p]) => p).sort()).toEqual([...acceptedKeyPaths()].sort());
  });

  it('close every section with additionalProperties: false', () => {
    expect(schema.additionalProperties).toBe(false);
    const sections = specPaths.filter(([, s]) => s.kind === 'section');
    expect(sections.map(([p]) => p).sort()).toEqual([
      'build',
      'hooks',
      'proxy',
      'run',
      'run.ready',
      'watch',
    ]);
    for (const [p] of sections) {
      expect(schemaPaths.find(([q]) => q === p)?.[1].additionalProperties, p).toBe(false);
    }
  });

  it('agree on the kind of every key', () => {
    const schemaByPath = new Map(schemaPaths);
    for (const [p, spec] of specPaths) {
      const node = schemaByPath.get(p)!;
      expect(node.description, `${p} has a description`).toMatch(/\w/);
      switch (spec.kind) {
        case 'section':
          expect(node.type, p).toBe('object');
          expect(
            node.oneOf?.map((o) => o.required),
            `${p}: oneOf exactly where one key is required`,
          ).toEqual(spec.exactlyOne?.map((k) => [k]));
          break;
        case 'httpUrl':
          expect([node.type, node.pattern], p).toEqual(['string', '^https?://']);
          break;
        case 'hostPort':
          expect(node.type, p).toBe('string');
          for (const [text, ok] of [
            ['127.0.0.1:8080', true],
            [':8080', true],
            ['[::1]:8080', true],
            ['localhost', false],
            ['a:b', false],
          ] as const) {
            expect(new RegExp(node.pattern!, 'u').test(text), `${p} ${text}`).toBe(ok);
            expect(issuesOf(docWith(p, text)).length === 0, `${p} ${text}`).toBe(ok);
          }
          break;
        case 'regexp':
          expect([node.type, node.minLength, node.format], p).toEqual(['string', 1, 'regex']);
          break;
        case 'string':
        case 'boolean':
          expect(node.type, p).toBe(spec.kind);
          break;
        case 'stringList':
        case 'patterns':
          expect([node.type, node.items?.type], p).toEqual(['array', 'string']);
          break;
        case 'buildFlags':
          expect([node.type, node.items?.type], p).toEqual(['array', 'string']);
          expect(node.items?.not?.pattern, p).toMatch(/\w/);
          break;
        case 'env':
          expect([node.type, node.additionalProperties], p).toEqual(['object', { type: 'string' }]);
          break;
        case 'duration':
          expect([node.type, node.pattern], p).toEqual(['string', '^(0|\\d+(\\.\\d+)?(ms|s|m))$']);
          expect(node.not !== undefined, `${p}: "not" only where zero is refused`).toBe(
            spec.positive,
          );
          break;
        case 'signal':
          expect(node.enum, p).toEqual([...STOP_SIGNALS]);
          break;
        case 'choice':
          expect([node.type, node.enum], p).toEqual(['string', [...spec.choices]]);
          break;
        case 'poll':
          expect(node.oneOf, p).toEqual([
            { type: 'boolean' },
            { type: 'string', enum: [...POLL_CHOICES] },
          ]);
          break;
      }
    }
  });

  it('has defaults and examples the validator accepts', () => {
    let checked = 0;
    for (const [p, node] of schemaPaths) {
      for (const value of [node.default, ...(node.examples ?? [])]) {
        if (value === undefined) continue;
        checked++;
        expect(issuesOf(docWith(p, value)), `${p} = ${JSON.stringify(value)}`).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('has defaults that resolve to the same config as no file at all', () => {
    const file = {} as Record<string, Record<string, unknown>>;
    for (const [p, node] of schemaPaths) {
      const [section, key] = p.split('.');
      if (key === undefined || node.default === undefined) continue;
      file[section!] = { ...file[section!], [key]: node.default };
    }
    expect(file.watch?.patterns).toEqual([...DEFAULT_PATTERNS]);
    expect(resolveConfig(file, undefined, {})).toEqual(resolveConfig(undefined, undefined, {}));
  });

  it('both reject an unknown key in every section', () => {
    const sections = ['', ...specPaths.filter(([, s]) => s.kind === 'section').map(([p]) => p)];
    for (const section of sections) {
      const text = section === '' ? '{"bogus": 1}' : docWith(`${section}.bogus`, 1);
      const unknown = issuesOf(text).find((i) => i.startsWith('CONFIG_UNKNOWN_KEY'));
      expect(unknown, section).toMatch(/^CONFIG_UNKNOWN_KEY unknown key "bogus"/);
      const node = section === '' ? schema : schemaPaths.find(([q]) => q === section)![1];
      expect(node.properties?.bogus, section).toBeUndefined();
      expect(node.additionalProperties, section).toBe(false);
    }
  });

  it('agrees with ownedBuildFlag on which build flags are refused', () => {
    const items = schemaPaths.find(([p]) => p === 'build.flags')![1].items!;
    const refused = new RegExp(items.not!.pattern!, 'u');
    const samples = [
      '-race',
      '-o',
      '-o=bin/app',
      '--o=x',
      '-C',
      '-C=dir',
      '-json',
      '--json=false',
      '-n',
      '-ldflags=-s -w',
      '--ldflags',
      '-tags=dev',
      '-buildvcs=true',
      '-trimpath',
      '-gcflags=all=-N -l',
      '-overlay=x.json',
      '-nolocalimports',
      '-c',
      '---o',
      'o',
      '-',
      '--',
      '',
      '-O',
      '-tagsx',
    ];
    for (const s of samples) {
      expect(refused.test(s), JSON.stringify(s)).toBe(ownedBuildFlag(s) !== undefined);
    }
    const alphabet = fc.constantFrom('-', '=', 'o', 'n', 'C', 'json', 'tags', 'x', ' ');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 6 }).map((c) => c.join('')),
        (s) => {
          expect(refused.test(s)).toBe(ownedBuildFlag(s) !== undefined);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with checkPattern on which patterns are valid', () => {
    const items = schemaPaths.find(([p]) => p === 'watch.patterns')![1].items!;
    const re = new RegExp(items.pattern!, 'u');
    const schemaAccepts = (p: string) => p.length >= 1 && re.test(p);
    const samples = [
      '**/*.go',
      '!**/*_test.go',
      './cmd/**',
      '!./gen/',
      'gen/',
      'a..b/c',
      '..x',
      '',
      ' ',
      ' a',
      'a ',
      '!',
      '!!a',
      './',
      '!./',
      '/go.mod',
      '!/x',
      './/x',
      'a\\b',
      '../lib',
      '!a/../b',
      'a/..',
      '!..',
    ];
    for (const s of samples) {
      expect(schemaAccepts(s), JSON.stringify(s)).toBe(checkPattern(s) === undefined);
    }
    const alphabet = fc.constantFrom('!', '.', '/', '*', 'a', ' ', '\\', '\t');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }).map((c) => c.join('')),
        (s) => {
          expect(schemaAccepts(s)).toBe(checkPattern(s) === undefined);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
