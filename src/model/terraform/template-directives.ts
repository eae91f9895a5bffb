import type { Expr, TemplatePart, TemplateTagPart } from '../../parse/terraform-hcl/hcl-ast.js';
import type { SourceRun } from '../string-positions.js';
import { knownString, unknownValue, type UnknownValue, type Value } from '../value.js';
import { MAX_LIST_ITEMS, MAX_TEXT_LENGTH } from './functions.js';
import { collectionElements } from './instances.js';

/**
 * A template with `%{...}` directives as a tree: text as strip markers leave it (`source`: where it
 * starts in a heredoc's or template file's content), interpolations, and `if`/`for` with their bodies.
 */
export type TemplateNode =
  | { kind: 'text'; text: string; source?: number }
  | { kind: 'interpolation'; part: Extract<TemplatePart, { kind: 'interpolation' }> }
  | ({ kind: 'if'; condition: Expr; then: TemplateNode[]; otherwise: TemplateNode[] } & DirectiveSpan)
  | ({ kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; body: TemplateNode[] } & DirectiveSpan);

/** Where a directive stands in the content, from its opening tag's start to its closing tag's end. */
interface DirectiveSpan {
  start: number;
  end: number;
}

/**
 * The template's parts as a tree. `verbatim`: the content as written, of which tag offsets are part: text is
 * taken from it (with its offsets) rather than from the parts. Undefined when the tags do not pair up.
 */
export function directiveTree(parts: readonly TemplatePart[], verbatim?: string): TemplateNode[] | undefined {
  // Text and tags alternating (text possibly empty), so each strip marker has its neighbour to trim.
  const flat: Array<{ kind: 'text'; text: string; source?: number } | TemplateTagPart> = [];
  let cursor = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      if (verbatim === undefined) flat.push({ kind: 'text', text: part.text });
      continue;
    }
    if (verbatim !== undefined) flat.push({ kind: 'text', text: verbatim.slice(cursor, part.start), source: cursor });
    else if (flat[flat.length - 1]?.kind !== 'text') flat.push({ kind: 'text', text: '' });
    flat.push(part);
    cursor = part.end;
  }
  if (verbatim !== undefined) flat.push({ kind: 'text', text: verbatim.slice(cursor), source: cursor });
  else if (flat[flat.length - 1]?.kind !== 'text') flat.push({ kind: 'text', text: '' });
  flat.forEach((item, i) => {
    if (item.kind === 'text') return;
    const before = flat[i - 1];
    const after = flat[i + 1];
    if (item.stripBefore && before?.kind === 'text') before.text = before.text.trimEnd();
    if (item.stripAfter && after?.kind === 'text') {
      const trimmed = after.text.trimStart();
      if (after.source !== undefined) after.source += after.text.length - trimmed.length;
      after.text = trimmed;
    }
  });

  const root: TemplateNode[] = [];
  // Open directives, innermost last, with the list their body goes on.
  const open: Array<{ node: Extract<TemplateNode, { kind: 'if' | 'for' }>; into: TemplateNode[] }> = [];
  const into = () => (open.length > 0 ? open[open.length - 1].into : root);
  for (const item of flat) {
    if (item.kind === 'text') {
      if (item.text !== '') into().push(item);
      continue;
    }
    if (item.kind === 'interpolation') {
      into().push({ kind: 'interpolation', part: item });
      continue;
    }
    const directive = item.directive;
    const top = open[open.length - 1];
    if (directive.tag === 'if') {
      const node: TemplateNode = { kind: 'if', condition: directive.condition, then: [], otherwise: [], start: item.start, end: item.end };
      into().push(node);
      open.push({ node, into: node.then });
    } else if (directive.tag === 'for') {
      const node: TemplateNode = { kind: 'for', valueVar: directive.valueVar, collection: directive.collection, body: [], start: item.start, end: item.end };
      if (directive.keyVar !== undefined) node.keyVar = directive.keyVar;
      into().push(node);
      open.push({ node, into: node.body });
    } else if (directive.tag === 'else' && top?.node.kind === 'if' && top.into === top.node.then) top.into = top.node.otherwise;
    else if ((directive.tag === 'endif' && top?.node.kind === 'if') || (directive.tag === 'endfor' && top?.node.kind === 'for')) {
      top.node.end = item.end;
      open.pop();
    }
    else return undefined;
  }
  return open.length === 0 ? root : undefined;
}

/** What rendering needs of the evaluator: evaluation, a scope with loop names bound, and the for-iteration budget. */
export interface TemplateScope {
  evaluate(expr: Expr): Value;
  withNames(names: ReadonlyMap<string, Value>): TemplateScope;
  /** Takes `iterations` from the budget: false when it is spent. */
  spend(iterations: number): boolean;
}

/**
 * A rendered template: its pieces (unknown interpolations as themselves) and, for verbatim content, the
 * text as rendered, each interpolation whose value is not known text left as written (a hole, with its
 * value), and where each run of it stands in the content, so JSON parsed from it is located at the lines
 * it was written on.
 */
export interface RenderedTemplate {
  parts: Array<string | UnknownValue>;
  text: string;
  runs: SourceRun[];
  holes: Array<{ start: number; end: number; value: Value }>;
}

/**
 * Renders the tree as Terraform would where every `if` condition and `for` collection is known; undefined
 * when the result grows past the limits, or when one is not known in a quoted template (no one string stands
 * for it then). In verbatim content a directive whose condition or collection is not known is a hole of its
 * text as written, so a policy around it is still read (and located) as it was before directives were rendered.
 */
export function renderTemplate(nodes: readonly TemplateNode[], scope: TemplateScope, verbatim?: string): RenderedTemplate | undefined {
  const out: RenderedTemplate = { parts: [], text: '', runs: [], holes: [] };
  return renderInto(out, nodes, scope, verbatim) ? out : undefined;
}

function renderInto(out: RenderedTemplate, nodes: readonly TemplateNode[], scope: TemplateScope, verbatim: string | undefined): boolean {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        if (node.source === undefined) out.parts.push(node.text);
        else verbatimText(out, node.text, node.source);
        break;
      case 'interpolation': {
        const { part } = node;
        const value = scope.evaluate(part.expr);
        const known = knownString(value);
        if (known !== undefined) out.parts.push(known);
        else if (value.kind === 'template') out.parts.push(...value.parts);
        else out.parts.push(value.kind === 'unknown' ? value : unknownValue(value.range, 'text' in part.expr ? part.expr.text : 'expression'));
        if (verbatim !== undefined) {
          // Known text is rendered in place, as Terraform renders it (a `,` between items is text, not a JSON value),
          // standing as a whole at its `${...}`; any other value is a hole the JSON parser puts back (see parseJsonValue).
          const width = part.end - part.start;
          out.runs.push({ decodedStart: out.text.length, sourceStart: part.start, sourceLength: width });
          if (known !== undefined) out.text += known;
          else {
            out.holes.push({ start: out.text.length, end: out.text.length + width, value });
            out.text += verbatim.slice(part.start, part.end);
          }
        }
        break;
      }
      case 'if': {
        const condition = scope.evaluate(node.condition);
        if (condition.kind !== 'bool') {
          if (verbatim === undefined) return false;
          unknownDirective(out, node, condition, verbatim);
        } else if (!renderInto(out, condition.value ? node.then : node.otherwise, scope, verbatim)) return false;
        break;
      }
      case 'for': {
        const collection = scope.evaluate(node.collection);
        const elements = collectionElements(collection, true);
        if (!elements && verbatim !== undefined) {
          unknownDirective(out, node, collection, verbatim);
          break;
        }
        if (!elements || !scope.spend(elements.length)) return false;
        for (const element of elements) {
          const names = new Map<string, Value>([[node.valueVar, element.value]]);
          if (node.keyVar !== undefined) names.set(node.keyVar, element.key);
          if (!renderInto(out, node.body, scope.withNames(names), verbatim)) return false;
        }
        break;
      }
    }
    if (out.parts.length > MAX_LIST_ITEMS || out.text.length > MAX_TEXT_LENGTH) return false;
  }
  return true;
}

/**
 * A directive not rendered (its condition or collection not known) as a hole of its text as written: one run
 * per line piece, each mapping one to one, so what follows it keeps its lines.
 */
function unknownDirective(out: RenderedTemplate, node: Extract<TemplateNode, { kind: 'if' | 'for' }>, decided: Value, verbatim: string): void {
  const written = verbatim.slice(node.start, node.end);
  const value = decided.kind === 'unknown' ? decided : unknownValue(decided.range, node.kind === 'if' ? 'template if' : 'template for');
  out.parts.push(value);
  out.holes.push({ start: out.text.length, end: out.text.length + written.length, value });
  let from = 0;
  for (const line of written.split(/(?<=\n)/)) {
    out.runs.push({ decodedStart: out.text.length + from, sourceStart: node.start + from, sourceLength: line.length });
    from += line.length;
  }
  out.text += written;
}

/**
 * Content text at `source`, its `$${` and `%%{` escapes read as `${` and `%{`: one run per line piece
 * (runs must not cross lines), an escape's run starting past its first character, so each maps one to one.
 */
function verbatimText(out: RenderedTemplate, text: string, source: number): void {
  let from = 0;
  const emit = (to: number) => {
    if (to > from) {
      out.runs.push({ decodedStart: out.text.length, sourceStart: source + from, sourceLength: to - from });
      out.text += text.slice(from, to);
      out.parts.push(text.slice(from, to));
    }
    from = to;
  };
  for (const match of text.matchAll(/\n|\$\$\{|%%\{/g)) {
    if (match[0] === '\n') emit(match.index + 1);
    else {
      emit(match.index);
      from = match.index + 1; // the escape's first character is dropped
    }
  }
  emit(text.length);
}
