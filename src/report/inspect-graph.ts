import type { PackageGraph } from '../inspect/inspect-report.js';

/** The graph formats of `gohot inspect --format`. */
export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;

/** A format of {@link GRAPH_FORMATS}. */
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

// Mermaid labels are written in quotes, where only an entity code (`#34;`) can stand for a
// character that would end or break the label: everything but a plain import-path
// character becomes one (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
const MERMAID_PLAIN = /[A-Za-z0-9 ._~/+-]/;

/** A label for a quoted Mermaid node text. */
export function mermaidLabel(text: string): string {
  return [...text].map((ch) => (MERMAID_PLAIN.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join('');
}

/** A DOT quoted ID: `"` and `\` escaped, control characters as visible escapes. */
export function dotId(text: string): string {
  const body = [...text]
    .map((ch) => {
      if (ch === '"' || ch === '\\') return `\\${ch}`;
      const code = ch.codePointAt(0)!;
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\\\x${code.toString(16)}` : ch;
    })
    .join('');
  return `"${body}"`;
}

/**
 * The editable package graph as a Mermaid flowchart: node ids are `p0`, `p1` ... (in the
 * order of `graph.nodes`), each labelled with its import path; the main package is bold.
 */
export function mermaidGraph(graph: PackageGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.importPath, `p${i}`] as const));
  const lines = ['flowchart LR'];
  for (const n of graph.nodes)
    lines.push(`  ${ids.get(n.importPath)}["${mermaidLabel(n.importPath)}"]`);
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  const main = graph.nodes.filter((n) => n.main).map((n) => ids.get(n.importPath));
  if (main.length > 0) {
    lines.push('  classDef main stroke-width:3px');
    lines.push(`  class ${main.join(',')} main`);
  }
  return lines.join('\n');
}

/** The editable package graph as a Graphviz digraph: node ids are the quoted import paths. */
export function dotGraph(graph: PackageGraph): string {
  const lines = ['digraph packages {', '  rankdir=LR;', '  node [shape=box];'];
  for (const n of graph.nodes)
    lines.push(`  ${dotId(n.importPath)}${n.main ? ' [style=bold]' : ''};`);
  for (const e of graph.edges) lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)};`);
  lines.push('}');
  return lines.join('\n');
}

/** The graph in `format`. */
export function formatGraph(graph: PackageGraph, format: GraphFormat): string {
  return format === 'mermaid' ? mermaidGraph(graph) : dotGraph(graph);
}
