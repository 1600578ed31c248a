import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import { DEFAULT_PATTERNS } from '../config/types.js';
import { chooseStarterMain, STARTER_KEYS, starterConfig } from './starter.js';

describe('chooseStarterMain', () => {
  it.each([
    [[], undefined, { by: 'none' }],
    [['./cmd/api'], undefined, { by: 'only', main: './cmd/api' }],
    [
      ['./cmd/api', './cmd/worker'],
      './cmd/worker',
      { by: 'cwd', main: './cmd/worker', others: ['./cmd/api'] },
    ],
    [
      ['./cmd/api', './cmd/worker'],
      undefined,
      { by: 'first', main: './cmd/api', others: ['./cmd/worker'] },
    ],
  ] as const)('%j in %s', (mains, here, expected) => {
    expect(chooseStarterMain(mains, here)).toEqual(expected);
  });
});

describe('starterConfig', () => {
  it('loads through the config loader and holds the keys it explains', () => {
    const config = starterConfig(
      { by: 'only', main: './cmd/api' },
      './node_modules/gohot/schema/gohot.schema.json',
    );
    const loaded = parseConfigText(JSON.stringify(config, null, 2), 'gohot.json');
    expect(loaded).toEqual(config);
    expect(loaded.watch?.patterns).toEqual(DEFAULT_PATTERNS);
    const keys = Object.entries(config).flatMap(([k, v]) =>
      typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((c) => `${k}.${c}`) : [k],
    );
    expect(keys).toEqual([...STARTER_KEYS]);
  });

  it('leaves main out when the module has none', () => {
    expect(starterConfig({ by: 'none' }, 's.json')).not.toHaveProperty('main');
  });
});
