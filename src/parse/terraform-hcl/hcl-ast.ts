import type { Range } from '../../model/range.js';
import type { SourceComment } from '../comments.js';

/**
 * A plain, position-carrying copy of the HCL syntax tree: only what evaluation needs.
 * Built once from tree-sitter's tree so the (WASM-backed) tree can be released at once.
 */
export interface HclFile {
  file: string;
  body: HclBody;
  /** Comments with the lines they speak for, for suppressions. */
  comments: SourceComment[];
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclAttribute {
  name: string;
  expr: Expr;
  range: Range;
}

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  range: Range;
  /** CDK-for-Terraform synth output: the construct path from the block's `"//".metadata.path`. */
  constructPath?: string;
}

/**
 * A template's pieces in source order. `start`/`end`: the `${...}` / `%{...}` span (relative to a heredoc's
 * content, else to the file). `stripBefore`/`stripAfter`: a `~` strip marker after the opening or before the
 * closing brace, which removes the whitespace of the text next to it. Directives stay flat, tag by tag, as
 * written; the evaluator pairs `if`/`else`/`endif` and `for`/`endfor` (both parsers accept only matched ones).
 */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | ({ kind: 'interpolation'; expr: Expr } & TemplateTag)
  | ({ kind: 'directive'; directive: TemplateDirective } & TemplateTag);

/** An interpolation or a directive tag: a template part with a span in the source. */
export type TemplateTagPart = Exclude<TemplatePart, { kind: 'text' }>;

export interface TemplateTag {
  start: number;
  end: number;
  stripBefore?: true;
  stripAfter?: true;
}

/** `%{ if cond }`, `%{ else }`, `%{ endif }`, `%{ for k, v in coll }` (`keyVar` only with two names), `%{ endfor }`. */
export type TemplateDirective =
  | { tag: 'if'; condition: Expr }
  | { tag: 'else' }
  | { tag: 'endif' }
  | { tag: 'for'; keyVar?: string; valueVar: string; collection: Expr }
  | { tag: 'endfor' };

export type Expr =
  | { t: 'literal'; value: string | number | boolean | null; range: Range }
  /**
   * A quoted string with interpolations or a heredoc. For heredocs `verbatim` keeps the
   * content exactly as written (and interpolation offsets into it), so JSON inside a
   * heredoc can be parsed with positions.
   */
  | { t: 'template'; parts: TemplatePart[]; range: Range; verbatim?: { text: string; range: Range } }
  /** A traversal such as `aws_lambda_function.api.arn` or `var.names[0]`. */
  | { t: 'ref'; path: Array<string | number>; text: string; range: Range }
  /**
   * A traversal that is not a plain reference: an index by expression (`var.fns[each.key].name`), or
   * steps after a call or parenthesised expression (`jsondecode(x).Statement`). `steps` are attribute
   * names and literal indexes as written, and expressions for computed indexes; a variable base is the
   * bare `ref` of its first name, so the evaluated steps make the full reference path.
   */
  | { t: 'traverse'; base: Expr; steps: Array<string | number | Expr>; text: string; range: Range }
  | { t: 'call'; name: string; args: Expr[]; range: Range }
  | { t: 'tuple'; items: Expr[]; range: Range }
  | { t: 'object'; items: Array<{ key: Expr; value: Expr }>; range: Range }
  | { t: 'conditional'; condition: Expr; then: Expr; otherwise: Expr; range: Range }
  /** `a && b`, `x == "y"`, `n + 1`: grouped by HCL's precedence, left-associative. `text` as written, to name it when unknown. */
  | { t: 'binary'; op: BinaryOperator; left: Expr; right: Expr; text: string; range: Range }
  | { t: 'unary'; op: '!' | '-'; operand: Expr; text: string; range: Range }
  /**
   * `[for k, v in xs : value if cond]` / `{for k, v in xs : key => value... if cond}`: `keyVar` only when
   * two names are given; `key` and `grouped` (`...`) only for the object form.
   */
  | { t: 'for'; object: boolean; keyVar?: string; valueVar: string; collection: Expr; key?: Expr; value: Expr; grouped?: boolean; condition?: Expr; text: string; range: Range }
  /**
   * `source[*].a[0]` / `source.*.a` (legacy): `each` (attribute names, literal indexes, computed indexes)
   * applied to every element of the list `source` is; a legacy splat's later indexes are an outer `traverse`.
   */
  | { t: 'splat'; source: Expr; each: Array<string | number | Expr>; text: string; range: Range }
  /** Nested splats and what does not parse: we never evaluate them, so they become Unknown. */
  | { t: 'other'; text: string; range: Range };

export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '>' | '>=' | '<' | '<=' | '==' | '!=' | '&&' | '||';

/** HCL's binary operator precedence (tree-sitter-hcl's table): higher binds tighter. */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '*': 6,
  '/': 6,
  '%': 6,
  '+': 5,
  '-': 5,
  '>': 4,
  '>=': 4,
  '<': 4,
  '<=': 4,
  '==': 3,
  '!=': 3,
  '&&': 2,
  '||': 1,
};

/** The key of an object element as Terraform reads it: a bare identifier or a string. */
export function objectKeyName(key: Expr): string | undefined {
  if (key.t === 'literal' && typeof key.value === 'string') return key.value;
  if (key.t === 'ref' && key.path.length === 1 && typeof key.path[0] === 'string') return key.path[0];
  if (key.t === 'template' && key.parts.every((p) => p.kind === 'text')) return key.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  return undefined;
}
