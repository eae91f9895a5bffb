import type { Severity } from '../rules/types.js';
import { escapeHtml } from './escape-html.js';
import type { InvokeGraph } from './invoke-graph.js';

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#b3001b',
  high: '#d9480f',
  medium: '#b08800',
  low: '#1864ab',
  info: '#868e96',
};

const NODE_WIDTH = 260;
const NODE_HEIGHT = 30;
const ROW = 44;
const GAP = 220;
const PAD = 16;
const MAX_LABEL = 34;

function clip(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/**
 * The invoke graph as an inline SVG: principals left, functions right, one curve per grant,
 * coloured by its most severe finding; full names and the grants behind an edge in tooltips.
 * Every text is escaped; nothing is fetched.
 */
export function graphSvg(graph: InvokeGraph): string {
  const rows = Math.max(graph.principals.length, graph.functions.length, 1);
  const height = PAD * 2 + rows * ROW;
  const width = PAD * 2 + NODE_WIDTH * 2 + GAP;
  const y = (index: number, count: number) => PAD + ((rows - count) * ROW) / 2 + index * ROW;
  const at = new Map<string, { x: number; y: number }>();
  graph.principals.forEach((n, i) => at.set(n.id, { x: PAD, y: y(i, graph.principals.length) }));
  graph.functions.forEach((n, i) => at.set(n.id, { x: PAD + NODE_WIDTH + GAP, y: y(i, graph.functions.length) }));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="Who can invoke which function" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
  ];
  for (const edge of graph.edges) {
    const from = at.get(edge.from);
    const to = at.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const mid = (x1 + x2) / 2;
    out.push(
      `<path class="edge sev-${edge.severity}" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2 - 6} ${y2}" fill="none" stroke="${SEVERITY_COLOR[edge.severity]}" stroke-width="2" marker-end="url(#arrow-${edge.severity})"><title>${escapeHtml(`${edge.severity}: ${edge.via.join(', ')}`)}</title></path>`,
    );
  }
  const node = (kind: 'principal' | 'function') => (n: { id: string; label: string }) => {
    const p = at.get(n.id)!;
    out.push(
      `<g class="node ${kind}"><title>${escapeHtml(n.label)}</title><rect x="${p.x}" y="${p.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/><text x="${p.x + 10}" y="${p.y + NODE_HEIGHT / 2 + 5}">${escapeHtml(clip(n.label))}</text></g>`,
    );
  };
  graph.principals.forEach(node('principal'));
  graph.functions.forEach(node('function'));
  const markers = Object.entries(SEVERITY_COLOR).map(
    ([severity, color]) => `<marker id="arrow-${severity}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="${color}"/></marker>`,
  );
  out.splice(1, 0, `<defs>${markers.join('')}</defs>`);
  if (graph.edges.length === 0) out.push(`<text x="${PAD}" y="${PAD + 20}">No invoke grant found.</text>`);
  out.push('</svg>');
  return out.join('\n');
}
