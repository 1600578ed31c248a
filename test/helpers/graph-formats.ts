// Parsers of gohot's Mermaid and DOT graph output, written from the formats' own grammars
// (not from gohot's printer), so that a test can compare the graph a format describes with
// the JSON document's nodes and edges.

/** A graph as sets of node labels and `from -> to` edges between labels. */
export interface ParsedGraph {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

const unMermaid = (label: string) =>
  label.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** Reads `flowchart`/`graph` node declarations `id["label"]` and edges `a --> b`. */
export function parseMermaid(text: string): ParsedGraph {
  const lines = text.split('\n').map((l) => l.trim());
  const header = lines[0] ?? '';
  if (!/^(flowchart|graph) (LR|RL|TB|TD|BT)$/.test(header)) {
    throw new Error(`not a Mermaid flowchart: ${header}`);
  }
  const labels = new Map<string, string>();
  const edges: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const node = /^([A-Za-z0-9_]+)\["([^"]*)"\]$/.exec(line);
    if (node) {
      labels.set(node[1]!, unMermaid(node[2]!));
      continue;
    }
    const edge = /^([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$/.exec(line);
    if (edge) {
      edges.push([edge[1]!, edge[2]!]);
      continue;
    }
    if (/^(classDef|class) /.test(line) || line === '') continue;
    throw new Error(`unexpected Mermaid line: ${line}`);
  }
  const label = (id: string) => {
    const l = labels.get(id);
    if (l === undefined) throw new Error(`edge to undeclared node ${id}`);
    return l;
  };
  return {
    nodes: new Set(labels.values()),
    edges: new Set(edges.map(([a, b]) => `${label(a)} -> ${label(b)}`)),
  };
}

// A DOT quoted ID: "..." where \" stands for a quote (graphviz.org/doc/info/lang.html).
const DOT_ID = String.raw`"((?:[^"\\]|\\.)*)"`;
const unDot = (id: string) => id.replace(/\\(["\\])/g, '$1');

/** Reads a `digraph` of quoted node statements and `"a" -> "b"` edges. */
export function parseDot(text: string): ParsedGraph {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim());
  if (!/^digraph [A-Za-z_][A-Za-z0-9_]* \{$/.test(lines[0] ?? '') || lines.at(-1) !== '}') {
    throw new Error(`not a DOT digraph:\n${text}`);
  }
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const line of lines.slice(1, -1)) {
    const edge = new RegExp(`^${DOT_ID} -> ${DOT_ID};$`).exec(line);
    if (edge) {
      edges.add(`${unDot(edge[1]!)} -> ${unDot(edge[2]!)}`);
      continue;
    }
    const node = new RegExp(`^${DOT_ID}( \\[[^\\]]*\\])?;$`).exec(line);
    if (node) {
      nodes.add(unDot(node[1]!));
      continue;
    }
    if (/^(rankdir|node) ?[=[]/.test(line)) continue;
    throw new Error(`unexpected DOT line: ${line}`);
  }
  return { nodes, edges };
}
