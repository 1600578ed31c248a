import { describe, expect, it } from 'vitest';
import { parseDot, parseMermaid } from '../../test/helpers/graph-formats.js';
import type { GraphNode, PackageGraph } from '../inspect/inspect-report.js';
import { dotGraph, dotId, mermaidGraph, mermaidLabel } from './inspect-graph.js';

const node = (importPath: string, main = false): GraphNode => ({
  importPath,
  dir: `/src/${importPath}`,
  name: 'x',
  origin: 'main-module',
  main,
  files: 1,
  embedFiles: [],
});

// Import paths may hold characters that end a quoted label or statement in these formats.
const ODD = [
  'example.com/app',
  'example.com/a"b',
  'example.com/x\\y',
  'example.com/#1;[x]',
  'ex.com/<p>&q',
];
const GRAPH: PackageGraph = {
  nodes: ODD.map((p, i) => node(p, i === 0)),
  edges: ODD.slice(1).map((to) => ({ from: ODD[0]!, to })),
};
const expected = {
  nodes: new Set(ODD),
  edges: new Set(GRAPH.edges.map((e) => `${e.from} -> ${e.to}`)),
};

describe('inspect graph formats', () => {
  it('Mermaid describes the same nodes and edges, however odd the import paths', () => {
    const parsed = parseMermaid(mermaidGraph(GRAPH));
    expect(parsed.nodes).toEqual(expected.nodes);
    expect(parsed.edges).toEqual(expected.edges);
  });

  it('DOT describes the same nodes and edges, however odd the import paths', () => {
    const parsed = parseDot(dotGraph(GRAPH));
    expect(parsed.nodes).toEqual(expected.nodes);
    expect(parsed.edges).toEqual(expected.edges);
  });

  it.each([
    ['example.com/app', 'example.com/app'],
    ['a"b', 'a#34;b'],
    ['#x;', '#35;x#59;'],
    ['<b>', '#60;b#62;'],
  ])('mermaid label of %j is %j', (text, label) => {
    expect(mermaidLabel(text)).toBe(label);
  });

  it.each([
    ['example.com/app', '"example.com/app"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
  ])('DOT id of %j is %j', (text, id) => {
    expect(dotId(text)).toBe(id);
  });

  it('marks the main package', () => {
    expect(mermaidGraph(GRAPH)).toMatch(/^ {2}class p0 main$/m);
    expect(dotGraph(GRAPH)).toContain('"example.com/app" [style=bold];');
  });
});
