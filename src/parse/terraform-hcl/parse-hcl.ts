import type { Node } from 'web-tree-sitter';
import { createPositionMapper, type PositionMapper, type Range } from '../../model/range.js';
import { commentCoverage, type LineSpan } from '../comments.js';
import type { InputError } from '../types.js';
import { BINARY_PRECEDENCE, type BinaryOperator, type Expr, type HclBlock, type HclBody, type HclFile, type TemplateDirective, type TemplatePart, type TemplateTagPart } from './hcl-ast.js';
import { fastPaths } from '../fast-paths.js';
import { parseHclFast } from './fast-hcl.js';
import { redefinedArguments } from './redefined-arguments.js';
import { terraformParser } from './grammar.js';
import { traversalExpr, type SourceText, type SplatMark, type TraversalStep } from './traversal.js';
import { unescapeQuoted } from './unescape.js';

/**
 * Parses Terraform HCL into a plain AST with ranges; syntax errors are located, good blocks kept.
 * `positions` maps offsets of `text` when it is embedded elsewhere (a template string inside tf.json).
 */
export async function parseHcl(file: string, text: string, positions?: PositionMapper): Promise<{ hcl: HclFile; errors: InputError[] }> {
  return parseHclFastPath(file, text, positions) ?? parseHclWithTreeSitter(file, text, positions);
}

/** The fast path alone: its AST, or undefined where tree-sitter must parse (fast paths off, or the fast parser declined). */
export function parseHclFastPath(file: string, text: string, positions?: PositionMapper): { hcl: HclFile; errors: InputError[] } | undefined {
  if (!fastPaths.enabled) return undefined;
  const fast = parseHclFast(file, text, positions ?? createPositionMapper(file, text));
  if (!fast) return undefined;
  // An embedded template's comments are not the file's own lines: only a whole file's are kept.
  if (positions) fast.comments = [];
  const errors: InputError[] = [];
  redefinedArguments(fast.body, errors);
  return { hcl: fast, errors };
}

/** The reference parser: tree-sitter, with error recovery and located syntax errors. */
export async function parseHclWithTreeSitter(file: string, text: string, positions?: PositionMapper): Promise<{ hcl: HclFile; errors: InputError[] }> {
  const parser = await terraformParser();
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const mapper = positions ?? createPositionMapper(file, text);
    const converter = new HclConverter(text, mapper);
    const root = tree.rootNode;
    const body = root.namedChildren.find((c) => c?.type === 'body');
    const hcl: HclFile = { file, body: body ? converter.body(body) : { attributes: [], blocks: [] }, comments: [] };
    // An embedded template's comments are not the file's own lines: only a whole file's are kept.
    if (!positions) collectComments(root, mapper, commentCoverage(text), hcl.comments);
    const errors = root.hasError ? [syntaxError(root, mapper, text)] : [];
    // After a syntax error, a repeat may be the recovery's, not the author's (as for CloudFormation's IG904).
    if (errors.length === 0) redefinedArguments(hcl.body, errors);
    return { hcl, errors };
  } finally {
    tree.delete();
  }
}

function collectComments(node: Node, mapper: PositionMapper, covers: (range: Range) => LineSpan, out: HclFile['comments']): void {
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'comment') {
      const range = mapper.range(child.startIndex, child.endIndex);
      out.push({ text: child.text, range, covers: covers(range) });
    } else if (child.namedChildCount > 0) collectComments(child, mapper, covers, out);
  }
}

/** The first error or missing node in document order, described for a human. */
function syntaxError(root: Node, mapper: PositionMapper, text: string): InputError {
  const find = (node: Node): Node | undefined => {
    if (node.type === 'ERROR' || node.isMissing) return node;
    for (const child of node.children) {
      if (child?.hasError || child?.isMissing) {
        const hit = find(child);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  const node = find(root) ?? root;
  const firstLine = (n: Node) => text.slice(n.startIndex, n.endIndex).split('\n')[0].trim().slice(0, 60);
  if (node.startIndex >= text.trimEnd().length) {
    // Truncated input: point at the innermost construct left open, as HCL itself does.
    let open: Node | null = node.parent;
    while (open && !['attribute', 'block', 'tuple', 'object', 'function_call'].includes(open.type)) open = open.parent;
    if (open) {
      const line = open.startPosition.row + 1;
      return {
        message: `syntax error: unexpected end of file; ${JSON.stringify(firstLine(open))} (line ${line}) is not complete`,
        range: mapper.range(open.startIndex, open.startIndex + firstLine(open).length),
      };
    }
  }
  if (node.isMissing) {
    // Tree-sitter names the token it would have inserted; only brackets mean something to a reader.
    const expected = /^[{}\[\]()"=]$/.test(node.type) ? JSON.stringify(node.type) : 'a value or expression';
    return { message: `syntax error: expected ${expected}`, range: mapper.range(node.startIndex, node.endIndex) };
  }
  const snippet = firstLine(node);
  return { message: `syntax error: unexpected ${JSON.stringify(snippet)}`, range: mapper.range(node.startIndex, node.startIndex + Math.max(1, snippet.length)) };
}

class HclConverter {
  constructor(
    private readonly text: string,
    private readonly mapper: PositionMapper,
  ) {}

  /**
   * A string literal's value, from the source between its quotes: tree-sitter's scanner leaves
   * whitespace at the edges of a literal out of its template_literal nodes.
   */
  private stringValue(node: Node): string {
    return unescapeQuoted(this.text.slice(node.startIndex + 1, node.endIndex - 1));
  }

  private range(node: Node): Range {
    return this.mapper.range(node.startIndex, node.endIndex);
  }

  body(node: Node): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const child of node.namedChildren) {
      if (!child || child.hasError) continue; // broken constructs are reported once as IG901, not modelled
      if (child.type === 'attribute') {
        const [name, expr] = child.namedChildren;
        if (name && expr) body.attributes.push({ name: name.text, expr: this.expr(expr), range: this.range(child) });
      } else if (child.type === 'block') {
        body.blocks.push(this.block(child));
      }
    }
    return body;
  }

  private block(node: Node): HclBlock {
    const labels: string[] = [];
    let type = '';
    let body: HclBody = { attributes: [], blocks: [] };
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'identifier') {
        if (type === '') type = child.text;
        else labels.push(child.text);
      } else if (child.type === 'string_lit') {
        labels.push(this.stringValue(child));
      } else if (child.type === 'body') {
        body = this.body(child);
      }
    }
    return { type, labels, body, range: this.range(node) };
  }

  expr(node: Node): Expr {
    const range = this.range(node);
    switch (node.type) {
      case 'expression': {
        const children = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
        if (children.length === 1) return this.expr(children[0]);
        return this.traversal(node, children);
      }
      case 'literal_value':
        return this.literal(node.namedChildren[0] ?? node);
      case 'template_expr':
        return this.expr(node.namedChildren[0] ?? node);
      case 'quoted_template':
        return { t: 'template', parts: this.quotedParts(node), range };
      case 'heredoc_template':
        return this.heredoc(node);
      case 'collection_value':
        return this.expr(node.namedChildren[0] ?? node);
      case 'tuple':
        return { t: 'tuple', items: node.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expr(c)), range };
      case 'object':
        return {
          t: 'object',
          items: node.namedChildren
            .filter((c): c is Node => c?.type === 'object_elem')
            .map((elem) => {
              const key = elem.childForFieldName('key');
              const value = elem.childForFieldName('val');
              return { key: key ? this.expr(key) : this.other(elem), value: value ? this.expr(value) : this.other(elem) };
            }),
          range,
        };
      case 'variable_expr':
        return { t: 'ref', path: [node.text], text: node.text, range };
      case 'function_call': {
        const name = node.namedChildren[0]?.text ?? '';
        const args = node.namedChildren.find((c) => c?.type === 'function_arguments');
        const exprs = args ? args.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expr(c)) : [];
        return { t: 'call', name, args: exprs, range };
      }
      case 'conditional': {
        const [condition, then, otherwise] = node.namedChildren.filter((c): c is Node => c?.type === 'expression');
        if (!condition || !then || !otherwise) return this.other(node);
        return { t: 'conditional', condition: this.expr(condition), then: this.expr(then), otherwise: this.expr(otherwise), range };
      }
      case 'operation':
      case 'for_expr':
        return node.namedChildren[0] ? this.expr(node.namedChildren[0]) : this.other(node);
      case 'binary_operation': {
        // Operands are hidden terms: their nodes (`var`, `.x`, ...) stand beside the operator token.
        const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
        const at = children.findIndex((c) => !c.isNamed && Object.hasOwn(BINARY_PRECEDENCE, c.type));
        if (at <= 0 || at === children.length - 1) return this.other(node);
        return { t: 'binary', op: children[at].type as BinaryOperator, left: this.term(children.slice(0, at)), right: this.term(children.slice(at + 1)), text: node.text, range };
      }
      case 'unary_operation': {
        const children = node.children.filter((c): c is Node => !!c && c.type !== 'comment');
        const op = children[0]?.type;
        if ((op !== '!' && op !== '-') || children.length < 2) return this.other(node);
        return { t: 'unary', op, operand: this.term(children.slice(1)), text: node.text, range };
      }
      case 'for_tuple_expr':
      case 'for_object_expr':
        return this.forExpr(node);
      default:
        return this.other(node);
    }
  }

  /** A hidden term given as its nodes: one expression, `( expression )`, or a traversal (`var` `.x` `[0]`). */
  private term(nodes: Node[]): Expr {
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (nodes.length === 1) return this.expr(first);
    if (nodes.length === 3 && first.type === '(' && last.type === ')') return this.expr(nodes[1]);
    return this.traversalOf(nodes.filter((n) => n.isNamed), first.startIndex, last.endIndex);
  }

  private forExpr(node: Node): Expr {
    const object = node.type === 'for_object_expr';
    const intro = node.namedChildren.find((c) => c?.type === 'for_intro');
    const names = intro?.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text) ?? [];
    const collection = intro?.namedChildren.find((c) => c?.type === 'expression');
    const [first, second] = node.namedChildren.filter((c): c is Node => c?.type === 'expression');
    const condition = node.namedChildren.find((c) => c?.type === 'for_cond')?.namedChildren.find((c) => c?.type === 'expression');
    const value = object ? second : first;
    if (!collection || !value || names.length === 0 || (object && !first)) return this.other(node);
    const expr: Expr = { t: 'for', object, valueVar: names[names.length - 1], collection: this.expr(collection), value: this.expr(value), text: node.text, range: this.range(node) };
    if (names.length > 1) expr.keyVar = names[0];
    if (object) expr.key = this.expr(first);
    if (object && node.namedChildren.some((c) => c?.type === 'ellipsis')) expr.grouped = true;
    if (condition) expr.condition = this.expr(condition);
    return expr;
  }

  private other(node: Node): Expr {
    return { t: 'other', text: node.text, range: this.range(node) };
  }

  private literal(node: Node): Expr {
    const range = this.range(node);
    switch (node.type) {
      case 'numeric_lit':
        return { t: 'literal', value: Number(node.text), range };
      case 'bool_lit':
        return { t: 'literal', value: node.text === 'true', range };
      case 'null_lit':
        return { t: 'literal', value: null, range };
      case 'string_lit':
        return { t: 'literal', value: this.stringValue(node), range };
      default:
        return this.other(node);
    }
  }

  /** `a.b.c[0]`: a variable followed by attribute and literal index steps; anything else is Unknown. */
  private traversal(node: Node, children: Node[]): Expr {
    return this.traversalOf(children, node.startIndex, node.endIndex);
  }

  /** A traversal standing at [start, end) of the source, from its nodes (comments left out): as the fast parser builds it. */
  private traversalOf(children: Node[], start: number, end: number): Expr {
    const other = (): Expr => ({ t: 'other', text: this.text.slice(start, end), range: this.mapper.range(start, end) });
    const [head, ...rest] = children;
    if (!head) return other();
    const steps: TraversalStep[] = [];
    let splat: SplatMark | 'nested' | undefined;
    const step = (node: Node): boolean => {
      if (node.type === 'get_attr') steps.push({ step: node.namedChildren[0]?.text ?? '', attribute: true, end: node.endIndex });
      else if (node.type === 'index') {
        const index = node.namedChildren[0];
        if (index?.type === 'legacy_index') steps.push({ step: Number(index.text.replace(/^\.\s*/, '')), attribute: false, end: node.endIndex });
        else {
          const inner = index?.namedChildren.find((c) => c?.type === 'expression');
          if (!inner) return false;
          const value = this.expr(inner);
          const literal = value.t === 'literal' && (typeof value.value === 'number' || typeof value.value === 'string');
          steps.push({ step: literal ? (value.value as string | number) : value, attribute: false, end: node.endIndex });
        }
      } else return false;
      return true;
    };
    for (const node of rest) {
      if (node.type === 'splat') {
        // `[*]` / `.*` and the steps tree-sitter groups under it (for `.*`, traversalExpr applies only the attributes to each element).
        const kind = node.namedChildren[0];
        if (!kind) return other();
        const operator = kind.children[0];
        const sourceEnd = steps.length > 0 ? steps[steps.length - 1].end : head.endIndex;
        splat = splat ? 'nested' : { at: steps.length, full: kind.type === 'full_splat', sourceEnd, end: operator?.endIndex ?? kind.startIndex };
        for (const inner of kind.namedChildren) if (inner && inner.type !== 'comment' && !step(inner)) return other();
      } else if (!step(node)) return other();
    }
    const variable = head.type === 'variable_expr' ? head.text : undefined;
    return traversalExpr(this.expr(head), variable, steps, splat, start, end, this.source);
  }

  /** Source slices and ranges, for traversalExpr. */
  private readonly source: SourceText = { slice: (start, end) => this.text.slice(start, end), range: (start, end) => this.mapper.range(start, end) };

  /**
   * A template's interpolations and directive tags in source order (offsets less `baseOffset`), directives
   * flattened tag by tag as the fast parser reads them; the text between them is taken from the source by the caller.
   */
  private templateTags(node: Node, baseOffset = 0, out: TemplateTagPart[] = []): TemplateTagPart[] {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'template_interpolation': {
          const inner = child.namedChildren.find((c) => c?.type === 'expression');
          out.push(this.tag({ kind: 'interpolation', expr: inner ? this.expr(inner) : this.other(child), start: 0, end: 0 }, child, baseOffset));
          break;
        }
        case 'template_directive':
        case 'template_if':
        case 'template_for':
          this.templateTags(child, baseOffset, out);
          break;
        case 'template_if_intro': {
          const condition = child.namedChildren.find((c) => c?.type === 'expression');
          out.push(this.tag({ kind: 'directive', directive: { tag: 'if', condition: condition ? this.expr(condition) : this.other(child) }, start: 0, end: 0 }, child, baseOffset));
          break;
        }
        case 'template_for_start': {
          const names = child.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text);
          const collection = child.namedChildren.find((c) => c?.type === 'expression');
          const directive: TemplateDirective = { tag: 'for', valueVar: names[names.length - 1] ?? '', collection: collection ? this.expr(collection) : this.other(child) };
          if (names.length > 1) directive.keyVar = names[0];
          out.push(this.tag({ kind: 'directive', directive, start: 0, end: 0 }, child, baseOffset));
          break;
        }
        case 'template_else_intro':
        case 'template_if_end':
        case 'template_for_end': {
          const tag = child.type === 'template_else_intro' ? 'else' : child.type === 'template_if_end' ? 'endif' : 'endfor';
          out.push(this.tag({ kind: 'directive', directive: { tag }, start: 0, end: 0 }, child, baseOffset));
          break;
        }
      }
    }
    return out;
  }

  /** `part` located at `node`, with the strip markers written right after its opening or before its closing brace. */
  private tag<T extends TemplateTagPart>(part: T, node: Node, baseOffset: number): T {
    part.start = node.startIndex - baseOffset;
    part.end = node.endIndex - baseOffset;
    const children = node.children;
    if (children[1]?.type === 'strip_marker') part.stripBefore = true;
    if (children.length > 2 && children[children.length - 2]?.type === 'strip_marker') part.stripAfter = true;
    return part;
  }

  /** A quoted template's parts, literal text taken from the source between interpolations (see stringValue). */
  private quotedParts(node: Node): TemplatePart[] {
    const end = node.endIndex - 1;
    const parts: TemplatePart[] = [];
    let cursor = node.startIndex + 1;
    for (const part of this.templateTags(node)) {
      if (part.start > cursor) parts.push({ kind: 'text', text: unescapeQuoted(this.text.slice(cursor, part.start)) });
      parts.push(part);
      cursor = part.end;
    }
    if (end > cursor) parts.push({ kind: 'text', text: unescapeQuoted(this.text.slice(cursor, end)) });
    return parts;
  }

  /** Heredoc content runs from the line after `<<EOF` to the start of the closing marker's line. */
  private heredoc(node: Node): Expr {
    const identifiers = node.namedChildren.filter((c): c is Node => c?.type === 'heredoc_identifier');
    const open = identifiers[0];
    const close = identifiers[1];
    const contentStart = open ? this.text.indexOf('\n', open.endIndex) + 1 : node.startIndex;
    const contentEnd = close ? this.text.lastIndexOf('\n', close.startIndex) + 1 : node.endIndex;
    const text = this.text.slice(contentStart, Math.max(contentStart, contentEnd));
    const parts = this.templateTags(node, contentStart);
    // Rebuild text parts from the verbatim content so whitespace between literals is kept.
    const rebuilt: TemplatePart[] = [];
    let cursor = 0;
    for (const part of parts) {
      if (part.start > cursor) rebuilt.push({ kind: 'text', text: text.slice(cursor, part.start).replace(/\$\$\{/g, '${') });
      rebuilt.push(part);
      cursor = part.end;
    }
    if (cursor < text.length) rebuilt.push({ kind: 'text', text: text.slice(cursor).replace(/\$\$\{/g, '${') });
    return {
      t: 'template',
      parts: rebuilt,
      range: this.range(node),
      verbatim: { text, range: this.mapper.range(contentStart, contentStart + text.length) },
    };
  }
}
