import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseListOutput } from '../go/list.js';
import { buildTestGraph } from '../go/test-graph.js';
import type { Batch, Trigger } from '../schedule/scheduler.js';
import { planRun, requestOf, type TestHistory } from './plan-run.js';

const graph = buildTestGraph(
  parseListOutput(
    readFileSync(new URL('../go/testdata/list-test-chain.json', import.meta.url), 'utf8'),
  ),
  { goroot: '/goroot', gomodcache: '' },
);
const P = (s: string) => `example.com/chain/${s}`;
const none: TestHistory = { last: undefined, failures: new Map() };
const batch = (...triggers: Trigger[]): Batch => ({
  generation: 1,
  triggers,
  files: triggers.flatMap((t) => (t.kind === 'change' ? t.files : [])),
});
const ran = (files: string[]) => {
  const plan = planRun({ kind: 'changes', files }, graph, none);
  return plan.action === 'run' ? plan.invocations.map((i) => i.packages) : plan.reason.by;
};

describe('planRun', () => {
  it.each([
    [['/src/chain/a/a.go'], [[P('a'), P('b'), P('c')]]],
    [['/src/chain/b/b_test.go'], [[P('b')]]],
    [['/src/chain/b/testdata/greeting.txt'], [[P('b')]]],
    [['/src/chain/c/c_test.go', '/src/chain/d/d.go'], [[P('c'), P('d')]]],
    [['/src/chain/go.mod'], [[P('a'), P('b'), P('c'), P('d')]]],
  ])('%j -> %j', (files, want) => {
    expect(ran(files)).toEqual(want);
  });

  it('reruns only the failed tests, with their pattern', () => {
    const failures = new Map([
      [P('b'), [{ pkg: P('b'), test: 'TestDouble', output: [], hasFailedSubtests: false }]],
    ]);
    const plan = planRun({ kind: 'failed' }, graph, { last: undefined, failures });
    expect(plan.action === 'run' && plan.invocations).toEqual([
      { packages: [P('b')], run: '^TestDouble$' },
    ]);
    expect(planRun({ kind: 'failed' }, graph, none)).toEqual({
      action: 'nothing',
      reason: { by: 'no-failures' },
    });
  });

  it('the widest trigger of a batch decides', () => {
    expect(requestOf(batch({ kind: 'start' }, { kind: 'change', files: ['/x.go'] }))).toEqual({
      kind: 'all',
    });
    expect(requestOf(batch({ kind: 'manual', scope: 'failed' }))).toEqual({ kind: 'failed' });
    expect(requestOf(batch({ kind: 'manual' }))).toEqual({ kind: 'last' });
  });
});
