import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseListOutput } from './list.js';
import { buildTestGraph, selectAll, selectTests, testDataPackage } from './test-graph.js';

// `go list -e -deps -test -json=<TEST_LIST_FIELDS> -- ./...` on test/fixtures/test-chain
// (go 1.26; standard packages dropped, the fixture directory written as /src/chain).
const listed = parseListOutput(
  readFileSync(new URL('./testdata/list-test-chain.json', import.meta.url), 'utf8'),
);
const graph = buildTestGraph(listed, { goroot: '/goroot', gomodcache: '' });
const P = (s: string) => `example.com/chain/${s}`;
const short = (m: ReadonlyMap<string, unknown>) => [...m.keys()].map((k) => k.split('/').pop());

describe('buildTestGraph', () => {
  it('selects the packages the patterns name, without test variants or test mains', () => {
    expect(graph.selected).toEqual([P('a'), P('b'), P('c'), P('d')]);
  });

  it('folds test files into their package', () => {
    expect(graph.model.files.get('/src/chain/b/b_test.go')?.pkg.importPath).toBe(P('b'));
    expect(graph.model.files.get('/src/chain/c/c_test.go')?.pkg.importPath).toBe(P('c'));
  });

  it('links each test binary with its imports, transitively', () => {
    expect([...graph.linked.get(P('c'))!].sort()).toEqual([P('a'), P('b'), P('c')]);
    expect([...graph.linked.get(P('d'))!]).toEqual([P('d')]);
  });
});

describe('selectTests', () => {
  it.each([
    ['code of a', [{ pkg: P('a'), scope: 'package' as const }], ['a', 'b', 'c'], ['d']],
    ['tests of b', [{ pkg: P('b'), scope: 'own-tests' as const }], ['b'], ['a', 'c', 'd']],
    ['code of c', [{ pkg: P('c'), scope: 'package' as const }], ['c'], ['a', 'b', 'd']],
    ['nothing', [], [], ['a', 'b', 'c', 'd']],
  ])('%s', (_, changes, run, skipped) => {
    const s = selectTests(graph, changes);
    expect(short(s.run)).toEqual(run);
    expect(s.skipped.map((k) => k.split('/').pop())).toEqual(skipped);
  });

  it('says through which import a package is reached', () => {
    const s = selectTests(graph, [{ pkg: P('a'), scope: 'package' }]);
    expect(s.run.get(P('b'))).toEqual({ by: 'imports', pkg: P('a'), via: P('a') });
    expect(s.run.get(P('c'))).toEqual({ by: 'imports', pkg: P('a'), via: P('b') });
    expect(s.run.get(P('a'))).toEqual({ by: 'changed', pkg: P('a') });
  });

  it('selectAll runs every selected package', () => {
    expect(short(selectAll(graph).run)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('testDataPackage', () => {
  it.each([
    ['/src/chain/b/testdata/greeting.txt', P('b')],
    ['/src/chain/b/testdata/deep/x.json', P('b')],
    ['/src/chain/b/greeting.txt', undefined],
    ['/src/chain/testdata/x', undefined],
  ])('%s', (file, pkg) => {
    expect(testDataPackage(graph.model, file)).toBe(pkg);
  });
});
