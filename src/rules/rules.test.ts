import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import type { ResolvedRule } from '../config/types.js';
import type { FileChange } from '../watch/types.js';
import { RuleOutputWindow } from './output-window.js';
import { createRuleSet, patternsWithRuleInputs } from './rule-set.js';
import { createRulesStage } from './rules-stage.js';

const rule = (name: string, on: string[]): ResolvedRule => ({
  name,
  on,
  run: [name],
  cwd: '',
  env: {},
  timeoutMs: 1000,
});
const change = (path: string, kind: FileChange['kind'] = 'modified'): FileChange => ({
  path,
  kind,
  via: 'event',
});

describe('createRuleSet', () => {
  const rules = [rule('templ', ['**/*.templ', '!vendor/**']), rule('sqlc', ['sql/*.sql'])];
  const set = createRuleSet(rules, '/m');

  it.each([
    [['/m/web/a.templ'], ['templ']],
    [
      ['/m/sql/q.sql', '/m/web/a.templ'],
      ['templ', 'sqlc'],
    ],
    [['/m/vendor/x.templ'], []],
    [['/m/main.go'], []],
    [['/other/a.templ'], []],
  ])('%j runs %j, in config order', (files, names) => {
    expect(set.select(files, false).map((r) => r.name)).toEqual(names);
  });

  it('runs every rule when forced (start, r + Enter, a config change)', () => {
    expect(set.select([], true).map((r) => r.name)).toEqual(['templ', 'sqlc']);
  });

  it('knows the inputs', () => {
    expect([set.isInput('/m/a/b.templ'), set.isInput('/m/a/b_templ.go')]).toEqual([true, false]);
  });

  it('adds the includes of every rule to the watch patterns, once', () => {
    expect(
      patternsWithRuleInputs(['**/*.go', '!gen/'], [...rules, rule('again', ['**/*.templ'])]),
    ).toEqual(['**/*.go', '!gen/', '**/*.templ', 'sql/*.sql']);
  });
});

describe('RuleOutputWindow', () => {
  const passes = (p: string) => p.endsWith('.templ');

  it('lets everything through while closed', () => {
    const w = new RuleOutputWindow({ passes });
    const changes = [change('/m/a_templ.go')];
    expect(w.absorb(changes)).toEqual({ rest: changes, structural: false });
    expect(w.close()).toEqual([]);
  });

  it('takes outputs while open and lets inputs through', () => {
    const w = new RuleOutputWindow({ passes });
    w.open();
    const input = change('/m/a.templ');
    expect(w.absorb([change('/m/a_templ.go'), input, change('/m/a_templ.go')])).toEqual({
      rest: [input],
      structural: false,
    });
    expect(w.absorb([change('/m/b_templ.go', 'created')]).structural).toBe(true);
    expect(w.close().sort()).toEqual(['/m/a_templ.go', '/m/b_templ.go']);
    // Closed again: nothing is taken.
    expect(w.absorb([change('/m/a_templ.go')]).rest).toHaveLength(1);
  });

  it('carries outputs no build read to the next close', () => {
    const w = new RuleOutputWindow({ passes });
    w.open();
    w.absorb([change('/m/a_templ.go')]);
    w.carry(w.close());
    expect(w.carried).toEqual(['/m/a_templ.go']);
    w.open();
    w.absorb([change('/m/b_templ.go')]);
    expect(w.close().sort()).toEqual(['/m/a_templ.go', '/m/b_templ.go']);
    expect(w.carried).toEqual([]);
  });
});

describe('createRulesStage', () => {
  it('passes config files, module files and rule inputs through the window', () => {
    const config = resolveConfig(
      { rules: [{ name: 't', on: ['**/*.templ'], run: ['t'] }] },
      '/m/gohot.json',
      {},
    );
    const stage = createRulesStage(
      () => config,
      () => '/m',
      new Set(['/m/gohot.json']),
    );
    stage.window.open();
    const changes = ['/m/gohot.json', '/m/go.mod', '/m/x/a.templ', '/m/x/a_templ.go'].map((p) =>
      change(p),
    );
    expect(stage.window.absorb(changes).rest.map((c) => c.path)).toEqual([
      '/m/gohot.json',
      '/m/go.mod',
      '/m/x/a.templ',
    ]);
    expect(stage.window.close()).toEqual(['/m/x/a_templ.go']);
  });
});
