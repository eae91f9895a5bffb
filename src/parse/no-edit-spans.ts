import { createPositionMapper, type PositionMapper, type Range } from '../model/range.js';
import type { Value } from '../model/value.js';
import type { Expr, HclBody, HclFile, TemplatePart } from './terraform-hcl/hcl-ast.js';
import { lazyBuiltins } from '../lazy-builtin.js';

/**
 * The places of a file the fix stage must never edit, as the scan's own parse found them, so the
 * fix stage need not parse the file a second time. Each list is flat runs of
 * `[line, column, endLine, endColumn]`. Plain data: it crosses the parse pool's thread boundary,
 * and it is all that is kept of a file's syntax tree for the fix stage (files without such a
 * place keep nothing).
 */
export interface NoEditSpans {
  /** The textDigest of the text these spans belong to: a text read later is used with them only if it digests the same. */
  digest: string;
  /** HCL heredocs' content: JSON policies written inside a template. */
  heredocs?: number[];
  /** HCL `variable` blocks: a default there is a constant, and may not refer to resources. */
  variables?: number[];
  /** Strings that hold a policy as JSON text (a YAML or JSON template's `PolicyDocument: '{...}'`): escapes and folding would have to be written back. */
  embedded?: number[];
  /** A heredoc's `%{ for }` … `%{ endfor }`: text there is repeated once per element, so an edit right for one may be wrong for another. */
  loops?: number[];
}

/**
 * What tells a text from the one the scan parsed: its length and CRC-32. It guards against a file
 * changed on disk between the scan's read and the fix stage's (an accident, not an adversary, who
 * could as well change the file after --fix wrote it), and is ~3x cheaper than SHA-1: every file
 * with spans is digested, every variables.tf among them (measured on 6,667 such files, 7.4 MB: 3 ms
 * against 10 ms).
 */
export function textDigest(text: string): string {
  return `${text.length}:${lazyBuiltins.zlib().crc32(text)}`;
}

/** A Terraform configuration file's heredocs and `variable` blocks; undefined when it has neither. */
export function hclNoEditSpans(hcl: HclFile, text: string): NoEditSpans | undefined {
  const variables = variableSpans(hcl.body);
  // Only `<<EOF` / `<<-EOF` opens a heredoc: other files need no walk of their expressions.
  const loops: number[] = [];
  const heredocs = text.includes('<<') ? heredocSpans(hcl.body, loops) : [];
  if (variables.length === 0 && heredocs.length === 0) return undefined;
  // Assigned, not spread: two thirds of the 10,000-file corpus's files make one of these.
  const spans: NoEditSpans = { digest: textDigest(text) };
  if (heredocs.length) spans.heredocs = heredocs;
  if (loops.length) spans.loops = loops;
  if (variables.length) spans.variables = variables;
  return spans;
}

/** A template's strings that hold JSON text; undefined when it has none. Called only when the parser saw one (ParsedTemplate.jsonStrings). */
export function templateNoEditSpans(template: Value, text: string): NoEditSpans | undefined {
  const embedded = embeddedJsonSpans(template);
  return embedded.length ? { digest: textDigest(text), embedded } : undefined;
}

/**
 * Whether a Terraform text may hold a heredoc or a `variable` block: when not, it has no span
 * to keep, whatever text the scan read. A superset: a word in a string or comment counts too.
 */
export function mayHoldHclSpan(text: string): boolean {
  return text.includes('<<') || /\bvariable\b/.test(text);
}

/**
 * Whether a template text may hold a string with JSON text in it (a decoded value starting with
 * white space and `{`, as mayHoldJson asks): a quote followed by white space and then `{` or an
 * escape (which may stand for either), or a line with a block indicator (`|`, `>`) whose next
 * non-blank line starts with `{`. A superset of the strings the parsers map positions for: when
 * false, the text has no span to keep. Linear: a match tried from an indicator stops at the next
 * one (`[^\n]*` there would rescan the rest of the line from each of them, quadratic on a hostile line).
 */
export function mayHoldEmbeddedJson(text: string): boolean {
  return /["']\s*[{\\]|[|>][^\n|>]*\n\s*\{/.test(text);
}

function push(spans: number[], r: Range): void {
  spans.push(r.line, r.column, r.endLine, r.endColumn);
}

function loopSpans(parts: readonly TemplatePart[], verbatim: { text: string; range: Range }, loops: number[]): void {
  let depth = 0;
  let start = 0;
  let mapper: PositionMapper | undefined;
  for (const part of parts) {
    if (part.kind !== 'directive') continue;
    if (part.directive.tag === 'for' && depth++ === 0) start = part.start;
    else if (part.directive.tag === 'endfor' && --depth === 0) {
      const { file, line, column } = verbatim.range;
      mapper ??= createPositionMapper(file, verbatim.text, { line, column });
      push(loops, mapper.range(start, part.end));
    }
  }
}

function variableSpans(root: HclBody): number[] {
  const spans: number[] = [];
  for (const block of root.blocks) if (block.type === 'variable') push(spans, block.range);
  return spans;
}

/** Spans of the template's strings that map positions inside them (what a policy parsed from such a string is located in). */
function embeddedJsonSpans(template: Value): number[] {
  const spans: number[] = [];
  const walk = (value: Value): void => {
    if (value.kind === 'string' && value.positions) push(spans, value.range);
    else if (value.kind === 'list') value.items.forEach(walk);
    else if (value.kind === 'object') for (const entry of value.entries) walk(entry.value);
  };
  walk(template);
  return spans;
}

/** Heredocs' content, and (into `loops`) their outermost `%{ for }` directives, tags included. */
function heredocSpans(root: HclBody, loops: number[]): number[] {
  const spans: number[] = [];
  const expr = (e: Expr): void => {
    switch (e.t) {
      case 'template':
        if (e.verbatim) {
          push(spans, e.verbatim.range);
          loopSpans(e.parts, e.verbatim, loops);
        }
        for (const p of e.parts) if (p.kind === 'interpolation') expr(p.expr);
        return;
      case 'call':
        return e.args.forEach(expr);
      case 'tuple':
        return e.items.forEach(expr);
      case 'object':
        return e.items.forEach((i) => (expr(i.key), expr(i.value)));
      case 'conditional':
        return [e.condition, e.then, e.otherwise].forEach(expr);
      case 'binary':
        return [e.left, e.right].forEach(expr);
      case 'unary':
        return expr(e.operand);
      case 'traverse':
        expr(e.base);
        for (const step of e.steps) if (typeof step === 'object') expr(step);
        return;
      case 'splat':
        expr(e.source);
        for (const step of e.each) if (typeof step === 'object') expr(step);
        return;
      case 'for':
        return [e.collection, e.key, e.value, e.condition].forEach((part) => part && expr(part));
      default:
        return;
    }
  };
  const body = (b: HclBody): void => {
    for (const a of b.attributes) expr(a.expr);
    for (const block of b.blocks) body(block.body);
  };
  body(root);
  return spans;
}
