import type { FunctionInvokers, Invoker } from './invokers.js';

export const GRAPH_FORMATS = ['json', 'mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Stable JSON: functions and invokers in scan order, paths as the scan displays them (relative, forward slashes). */
export function renderGraphJson(graph: FunctionInvokers[]): string {
  return `${JSON.stringify({ tool: 'invokeguard', graph: 'invokers', functions: graph }, null, 2)}\n`;
}

/** The node an invoker stands for: the same principal granted on several functions is one node. */
function principalNode(invoker: Invoker): { key: string; label: string } {
  if (invoker.kind === 'identity-policy') {
    if (invoker.principal === null) return { key: `policy:${invoker.location.file}:${invoker.policy}`, label: `${invoker.policy} (attached to nothing in the scan)` };
    // Same-named identities of different stacks are different nodes.
    const where = invoker.principalLocation ? `${invoker.principalLocation.file}:${invoker.principalLocation.line}` : '';
    // Two roots' instances of one module's role stand in the same place: the root tells them apart.
    const root = invoker.principalRoot !== undefined ? ` (root ${invoker.principalRoot})` : '';
    return { key: `identity:${where}:${invoker.principal}${root}`, label: `${invoker.principalType} ${invoker.principal}${root}${where ? `\n${where}` : ' (not in the scan)'}` };
  }
  if (invoker.kind === 'function-url') return { key: 'public:url', label: 'anyone (function URL, AuthType NONE)' };
  return { key: `principal:${invoker.principal}`, label: invoker.public ? `${invoker.principal} (anyone)` : invoker.principal };
}

function edgeLabel(invoker: Invoker): string {
  const where = `${invoker.location.file}:${invoker.location.line}`;
  const via = invoker.kind === 'identity-policy' ? `${invoker.policy}${invoker.viaGroup ? ` via ${invoker.viaGroup}` : ''}${invoker.allFunctions ? ', all functions' : ''}` : invoker.via;
  const mark = invoker.kind !== 'identity-policy' && invoker.public ? 'PUBLIC ' : invoker.unscoped ? 'UNSCOPED ' : '';
  return `${mark}${via} (${where})`;
}

function flagged(invoker: Invoker): boolean {
  return invoker.unscoped || (invoker.kind !== 'identity-policy' && invoker.public);
}

interface Drawing {
  principals: Array<{ id: string; label: string; flagged: boolean }>;
  functions: Array<{ id: string; label: string }>;
  edges: Array<{ from: string; to: string; label: string; flagged: boolean }>;
}

/** Nodes and edges with short stable ids (p0…, f0…), shared by the Mermaid and DOT renderers. */
function drawing(graph: FunctionInvokers[]): Drawing {
  const principals = new Map<string, { id: string; label: string; flagged: boolean }>();
  const functions: Drawing['functions'] = [];
  const edges: Drawing['edges'] = [];
  graph.forEach((fn, i) => {
    const id = `f${i}`;
    functions.push({ id, label: `${fn.function}${fn.root !== undefined ? ` (root ${fn.root})` : ''}\n${fn.location.file}:${fn.location.line}` });
    for (const invoker of fn.invokers) {
      const node = principalNode(invoker);
      const existing = principals.get(node.key) ?? { id: `p${principals.size}`, label: node.label, flagged: false };
      existing.flagged ||= flagged(invoker);
      principals.set(node.key, existing);
      edges.push({ from: existing.id, to: id, label: edgeLabel(invoker), flagged: flagged(invoker) });
    }
  });
  return { principals: [...principals.values()], functions, edges };
}

/** Mermaid flowchart: principals → functions, public/unscoped grants as thick red edges. */
export function renderGraphMermaid(graph: FunctionInvokers[]): string {
  const text = (s: string) => `"${s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
  const { principals, functions, edges } = drawing(graph);
  const lines = ['flowchart LR'];
  for (const p of principals) lines.push(`  ${p.id}([${text(p.label)}])`);
  for (const f of functions) lines.push(`  ${f.id}[${text(f.label)}]`);
  edges.forEach((e) => lines.push(`  ${e.from} ${e.flagged ? '==>' : '-->'}|${text(e.label)}| ${e.to}`));
  lines.push('  classDef risky stroke:#d00,stroke-width:2px,color:#d00');
  const risky = principals.filter((p) => p.flagged).map((p) => p.id);
  if (risky.length > 0) lines.push(`  class ${risky.join(',')} risky`);
  const riskyEdges = edges.flatMap((e, i) => (e.flagged ? [i] : []));
  if (riskyEdges.length > 0) lines.push(`  linkStyle ${riskyEdges.join(',')} stroke:#d00,stroke-width:2px`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT: principals (ellipses) → functions (boxes), public/unscoped grants in red. */
export function renderGraphDot(graph: FunctionInvokers[]): string {
  const text = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const { principals, functions, edges } = drawing(graph);
  const lines = ['digraph invokers {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const p of principals) lines.push(`  ${p.id} [shape=ellipse, label=${text(p.label)}${p.flagged ? ', color=red, fontcolor=red' : ''}];`);
  for (const f of functions) lines.push(`  ${f.id} [shape=box, label=${text(f.label)}];`);
  for (const e of edges) lines.push(`  ${e.from} -> ${e.to} [label=${text(e.label)}${e.flagged ? ', color=red, fontcolor=red, penwidth=2' : ''}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export const GRAPH_RENDERERS: Record<GraphFormat, (graph: FunctionInvokers[]) => string> = {
  json: renderGraphJson,
  mermaid: renderGraphMermaid,
  dot: renderGraphDot,
};
