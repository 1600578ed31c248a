import { describe, expect, it } from 'vitest';
import type { AirConversion } from '../init/air-notes.js';
import type { InitResult } from '../init/run-init.js';
import { initText } from './init-text.js';

const base = {
  target: '/m/gohot.json',
  written: true,
  text: '{}\n',
  readme: '/pkg/README.md#keys',
  schema: './node_modules/gohot/schema/gohot.schema.json',
} as const;

const air = (conversion: AirConversion): InitResult => ({
  ...base,
  kind: 'air',
  source: '/m/.air.toml',
  conversion,
});

describe('initText', () => {
  it('explains every key of a starter, the other main packages, and where all keys are', () => {
    const lines = initText(
      {
        ...base,
        kind: 'starter',
        choice: { by: 'first', main: './cmd/api', others: ['./cmd/worker'] },
        airConfig: false,
      },
      '/m',
    );
    expect(lines[0]).toBe('wrote gohot.json: a starter config with these keys');
    expect(lines.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual([
      '$schema',
      'main',
      'run.args',
      'run.stopTimeout',
      'watch.patterns',
    ]);
    expect(lines.join('\n')).toContain('./cmd/api (the first); the module also has ./cmd/worker');
    expect(lines.at(-1)).toBe('All keys: /pkg/README.md#keys');
    expect(lines.join('\n')).not.toContain('.air.toml');
  });

  it('says when $schema points outside the module', () => {
    const lines = initText(
      {
        ...base,
        schema: '/opt/gohot/schema/gohot.schema.json',
        kind: 'starter',
        choice: { by: 'none' },
        airConfig: true,
      },
      '/m',
    );
    expect(lines.join('\n')).toMatch(/"\$schema" points at this gohot installation \(\/opt\/gohot/);
    expect(lines.join('\n')).toContain('no main package found');
    expect(lines.join('\n')).toContain(
      'This module has a .air.toml: `gohot init --from-air --force`',
    );
  });

  it('prints one line per air key with its kind, then the warnings', () => {
    const lines = initText(
      air({
        config: {},
        notes: [
          {
            key: 'build.pre_cmd',
            kind: 'mapped',
            reason: {
              by: 'pre-cmd',
              commands: [
                ['templ', 'generate'],
                ['sh', '-c', 'echo hi > x.txt'],
              ],
            },
          },
          {
            key: 'coalor',
            kind: 'unknown',
            reason: { by: 'unknown-key', table: true, suggestion: 'color' },
          },
          {
            key: 'build.kill_delay',
            kind: 'mapped',
            reason: { by: 'kill-delay', ms: 500, raw: 500 },
          },
        ],
        warnings: [
          { by: 'output-mismatch', output: './tmp/app', bin: './tmp/main', binKey: 'build.bin' },
        ],
      }),
      '/m',
    );
    expect(lines.slice(0, 5)).toEqual([
      'wrote gohot.json, converted from .air.toml: what became of each air key',
      '  mapped      build.pre_cmd     -> hooks.beforeBuild ["templ","generate"], ["sh","-c","echo hi > x.txt"]: air runs pre_cmd before every build, and so does gohot, shell syntax stays ["sh","-c",...], plain commands become argument arrays; a failing command fails the cycle and keeps the app running (air built anyway)',
      '  unknown     coalor            not a table air reads (did you mean [color]?); ignored',
      '  mapped      build.kill_delay  -> run.stopTimeout "500ms" (air reads the bare number 500 as milliseconds)',
      '  warning: build.cmd writes "./tmp/app" but build.bin runs "./tmp/main": air ran a binary the build did not write; gohot runs the one it builds',
    ]);
  });

  it('escapes control characters from the file', () => {
    const lines = initText(
      air({
        config: {},
        notes: [
          {
            key: 'x\u001b[2J',
            kind: 'unknown',
            reason: { by: 'unknown-key', table: false, suggestion: undefined },
          },
        ],
        warnings: [],
      }),
      '/m',
    );
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines[1]).toContain('x\\x1b[2J');
  });
});
