import type { Range } from '../../model/range.js';
import type { Expr } from './hcl-ast.js';

/** One `.attr`, `[index]` or `.0` step of a traversal as written, and the source offset it ends at. */
export interface TraversalStep {
  step: string | number | Expr;
  /** `.name` (an attribute), not an index: a legacy `.*` splat applies only these to each element. */
  attribute: boolean;
  end: number;
}

/**
 * Where a traversal's one splat stands: before `steps[at]`; `full` for `[*]`, else the legacy `.*`;
 * `sourceEnd`: where what it splats ends, `end`: past the operator. Steps before it need no `end`.
 */
export interface SplatMark {
  at: number;
  full: boolean;
  sourceEnd: number;
  end: number;
}

export interface SourceText {
  slice(start: number, end: number): string;
  range(start: number, end: number): Range;
}

/**
 * The expression a traversal makes, shared by both parsers so they agree: a variable path without
 * computed indexes is a `ref`, other steps a `traverse`. A splat applies what follows it to each element:
 * `[*]` every later step, `.*` only the attribute steps right after it (an index then applies to the
 * resulting list, as HCL reads it). A second splat in one traversal is left unevaluated (`other`).
 */
export function traversalExpr(head: Expr, variable: string | undefined, steps: TraversalStep[], splat: SplatMark | 'nested' | undefined, start: number, end: number, source: SourceText): Expr {
  if (splat === 'nested') return { t: 'other', text: source.slice(start, end), range: source.range(start, end) };
  if (!splat) return chain(head, variable, steps, start, end, source);
  const before = steps.slice(0, splat.at);
  const base = chain(head, variable, before, start, splat.sourceEnd, source);
  let last = splat.at;
  if (splat.full) last = steps.length;
  else while (last < steps.length && steps[last].attribute) last++;
  const splatEnd = last > splat.at ? steps[last - 1].end : splat.end;
  const each = steps.slice(splat.at, last).map((s) => s.step);
  const node: Expr = { t: 'splat', source: base, each, text: source.slice(start, splatEnd), range: source.range(start, splatEnd) };
  if (last === steps.length) return node;
  return { t: 'traverse', base: node, steps: steps.slice(last).map((s) => s.step), text: source.slice(start, end), range: source.range(start, end) };
}

function chain(head: Expr, variable: string | undefined, steps: TraversalStep[], start: number, end: number, source: SourceText): Expr {
  if (steps.length === 0) return head;
  const text = source.slice(start, end);
  const range = source.range(start, end);
  if (variable !== undefined && steps.every((s) => typeof s.step !== 'object')) return { t: 'ref', path: [variable, ...steps.map((s) => s.step as string | number)], text, range };
  return { t: 'traverse', base: head, steps: steps.map((s) => s.step), text, range };
}
