import { parseJsonValue } from '../../model/json-value.js';
import { createPositionMapper, type PositionMapper, type Range, type TextPositionMapper } from '../../model/range.js';
import { get, knownString, type ObjectEntry, type ObjectValue, type Value } from '../../model/value.js';
import type { Expr, HclAttribute, HclBlock, HclBody, HclFile } from '../terraform-hcl/hcl-ast.js';
import { parseHcl } from '../terraform-hcl/parse-hcl.js';
import { redefinedArguments } from '../terraform-hcl/redefined-arguments.js';
import type { SourceComment } from '../comments.js';
import type { InputError } from '../types.js';
import { parseJsonFile } from '../json-broken.js';

/** Top-level block types of Terraform JSON and how many labels each nests. */
const LABELS: Record<string, number> = { resource: 2, data: 2, variable: 1, module: 1, output: 1, provider: 1 };

/**
 * Nested block types (in tf.json: an object or an array of objects) the model reads as blocks.
 * Terraform decides this from the provider schema; we have none, so the names are listed.
 */
const NESTED_BLOCKS = new Set([
  'inline_policy',
  'statement',
  'principals',
  'not_principals',
  'condition',
  'lifecycle',
  'timeouts',
  'environment',
  'vpc_config',
  'dead_letter_config',
  'tracing_config',
  'cors',
]);

/** Terraform JSON's comment key: ignored by Terraform, carries CDKTF metadata. */
const COMMENT_KEY = '//';

/**
 * Parses Terraform JSON (`*.tf.json`, CDKTF `cdk.tf.json`) into the same HclFile AST the HCL
 * adapter produces, so module tree and evaluator treat both alike. JSON strings are HCL
 * templates: their `${...}` parts are parsed with the HCL parser, positions mapped into the file.
 */
export async function parseTfJson(file: string, text: string): Promise<{ hcl: HclFile; errors: InputError[] }> {
  const mapper = createPositionMapper(file, text);
  const { value, errors } = parseJsonFile(file, text, mapper);
  const parsedCleanly = errors.length === 0;
  const hcl: HclFile = { file, body: { attributes: [], blocks: [] }, comments: [] };
  if (!value) return { hcl, errors };
  if (value.kind !== 'object') {
    errors.push({ message: 'Terraform JSON must be an object at the top level', range: value.range });
    return { hcl, errors };
  }
  const converter = new TfJsonConverter(file, mapper, text, errors);
  for (const entry of value.entries) {
    if (entry.key === COMMENT_KEY || entry.key === 'terraform') continue;
    if (entry.key === 'locals') {
      for (const locals of objects(entry.value)) hcl.body.blocks.push({ type: 'locals', labels: [], body: await converter.attributesOnly(locals), range: locals.range });
    } else if (LABELS[entry.key] !== undefined) {
      await converter.labelled(entry.key, entry.value, LABELS[entry.key], [], entry, hcl.body.blocks);
    }
  }
  hcl.comments = converter.comments;
  // After a syntax error, a repeat may be the recovery's, not the author's.
  if (parsedCleanly) redefinedArguments(hcl.body, errors, 'json');
  return { hcl, errors };
}

/** `terraform.tfvars.json` / `*.auto.tfvars.json`: variable values, literal JSON (no templates). */
export function isTfvarsJson(file: string): boolean {
  const name = file.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  return name === 'terraform.tfvars.json' || name.endsWith('.auto.tfvars.json');
}

export function parseTfvarsJson(file: string, text: string): { hcl: HclFile; errors: InputError[] } {
  const { value, errors } = parseJsonValue(text, createPositionMapper(file, text));
  const attributes = value?.kind === 'object' ? value.entries.map((e) => ({ name: e.key, expr: literalExpr(e.value), range: span(e.keyRange, e.value.range) })) : [];
  const body = { attributes, blocks: [] };
  if (errors.length === 0) redefinedArguments(body, errors, 'json-arguments');
  return { hcl: { file, body, comments: [] }, errors };
}

/** An object, or the objects of an array (tf.json accepts both wherever a block may repeat). */
function objects(value: Value): ObjectValue[] {
  if (value.kind === 'object') return [value];
  if (value.kind === 'list') return value.items.filter((i): i is ObjectValue => i.kind === 'object');
  return [];
}

function span(from: Range, to: Range): Range {
  return { ...from, endLine: to.endLine, endColumn: to.endColumn };
}

class TfJsonConverter {
  readonly comments: SourceComment[] = [];

  constructor(
    private readonly file: string,
    private readonly positions: TextPositionMapper,
    private readonly text: string,
    private readonly errors: InputError[],
  ) {}

  /** `resource.TYPE.NAME = {...}`: each nesting level is one label. */
  async labelled(type: string, value: Value, depth: number, labels: string[], labelKey: ObjectEntry, out: HclBlock[]): Promise<void> {
    for (const object of objects(value)) {
      if (depth === labels.length) {
        const block: HclBlock = { type, labels, body: await this.body(object, type === 'variable'), range: span(labelKey.keyRange, object.range) };
        const constructPath = knownString(get(get(get(object, COMMENT_KEY), 'metadata'), 'path'));
        if (constructPath !== undefined) block.constructPath = constructPath;
        this.blockComments(object, block.range);
        out.push(block);
        continue;
      }
      for (const entry of object.entries) {
        if (entry.key === COMMENT_KEY) continue;
        await this.labelled(type, entry.value, depth, [...labels, entry.key], entry, out);
      }
    }
  }

  /** A block's `"//"` strings (one, or a list): JSON has no comments, so these carry suppressions, for the whole block. */
  private blockComments(object: ObjectValue, block: Range): void {
    const comment = get(object, COMMENT_KEY);
    const texts = comment?.kind === 'list' ? comment.items : comment ? [comment] : [];
    for (const text of texts)
      if (text.kind === 'string') this.comments.push({ text: text.value, range: text.range, covers: { startLine: block.line, endLine: block.endLine } });
  }

  async attributesOnly(object: ObjectValue): Promise<HclBody> {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const entry of object.entries) if (entry.key !== COMMENT_KEY) body.attributes.push(await this.attribute(entry, false));
    return body;
  }

  /** A block body: known nested block types become blocks, everything else attributes. `literal`: a variable's default is not a template. */
  private async body(object: ObjectValue, literal = false): Promise<HclBody> {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const entry of object.entries) {
      if (entry.key === COMMENT_KEY) continue;
      if (entry.key === 'dynamic') {
        await this.dynamicBlocks(entry.value, body.blocks);
        continue;
      }
      const nested = NESTED_BLOCKS.has(entry.key) ? objects(entry.value) : [];
      if (nested.length > 0) {
        for (const object of nested) body.blocks.push({ type: entry.key, labels: [], body: await this.body(object), range: object.range });
      } else {
        body.attributes.push(await this.attribute(entry, literal && entry.key === 'default'));
      }
    }
    return body;
  }

  /**
   * `"dynamic": {"statement": [{"for_each": …, "iterator": …, "content": {…}}]}`: the blocks HCL's
   * `dynamic "statement" { for_each = … content { … } }` makes, so the evaluator expands both alike.
   */
  private async dynamicBlocks(value: Value, out: HclBlock[]): Promise<void> {
    for (const byLabel of objects(value)) {
      for (const labelled of byLabel.entries) {
        if (labelled.key === COMMENT_KEY) continue;
        for (const object of objects(labelled.value)) {
          const body: HclBody = { attributes: [], blocks: [] };
          for (const entry of object.entries) {
            if (entry.key === COMMENT_KEY) continue;
            if (entry.key === 'content') for (const content of objects(entry.value)) body.blocks.push({ type: 'content', labels: [], body: await this.body(content), range: content.range });
            else body.attributes.push(await this.attribute(entry, false));
          }
          out.push({ type: 'dynamic', labels: [labelled.key], body, range: span(labelled.keyRange, object.range) });
        }
      }
    }
  }

  private async attribute(entry: ObjectEntry, literal: boolean): Promise<HclAttribute> {
    return { name: entry.key, expr: literal ? literalExpr(entry.value) : await this.expr(entry.value), range: span(entry.keyRange, entry.value.range) };
  }

  async expr(value: Value): Promise<Expr> {
    switch (value.kind) {
      case 'string':
        return this.template(value.value, value.range);
      case 'list':
        return { t: 'tuple', items: await Promise.all(value.items.map((i) => this.expr(i))), range: value.range };
      case 'object': {
        const items: Array<{ key: Expr; value: Expr }> = [];
        for (const entry of value.entries) {
          if (entry.key === COMMENT_KEY) continue;
          items.push({ key: { t: 'literal', value: entry.key, range: entry.keyRange }, value: await this.expr(entry.value) });
        }
        return { t: 'object', items, range: value.range };
      }
      default:
        return literalExpr(value);
    }
  }

  /**
   * A JSON string read as an HCL template. Its source text is handed to the HCL parser as a
   * quoted template (`x = "..."`), so interpolations' positions are exact; when JSON escapes
   * make the source text differ from HCL's, the decoded text is re-quoted and every position
   * points at the whole JSON string.
   */
  private async template(decoded: string, range: Range): Promise<Expr> {
    if (!/[$%]\{/.test(decoded)) return { t: 'literal', value: decoded, range };
    const raw = this.rawString(range);
    const exact = raw !== undefined && !raw.includes('\\');
    const source = exact ? `x = "${raw}"\n` : `x = "${requoteTemplate(decoded)}"\n`;
    const positions: PositionMapper = exact
      ? createPositionMapper(this.file, source, { line: range.line, column: range.column - 4 })
      : { range: () => range };
    const { hcl, errors } = await parseHcl(this.file, source, positions);
    const expr = hcl.body.attributes[0]?.expr;
    if (errors.length > 0 || !expr) {
      this.errors.push({ message: `invalid template in Terraform JSON string: ${errors[0]?.message ?? 'cannot parse'}`, range: errors[0]?.range ?? range });
      return { t: 'other', text: decoded, range };
    }
    // HCL: a template that is exactly one interpolation yields that value, not a string.
    if (expr.t === 'template' && expr.parts.length === 1 && expr.parts[0].kind === 'interpolation') return expr.parts[0].expr;
    return expr;
  }

  /** The text between a single-line JSON string's quotes, as written. */
  private rawString(range: Range): string | undefined {
    if (range.line !== range.endLine) return undefined;
    const start = this.positions.offset(range.line, range.column);
    const end = this.positions.offset(range.line, range.endColumn);
    const text = this.text.slice(start, end);
    return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : undefined;
  }
}

function literalExpr(value: Value): Expr {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return { t: 'literal', value: value.value, range: value.range };
    case 'null':
      return { t: 'literal', value: null, range: value.range };
    case 'list':
      return { t: 'tuple', items: value.items.map(literalExpr), range: value.range };
    case 'object':
      return { t: 'object', items: value.entries.map((e) => ({ key: { t: 'literal', value: e.key, range: e.keyRange }, value: literalExpr(e.value) })), range: value.range };
    default:
      return { t: 'other', text: '', range: value.range };
  }
}

/**
 * Decoded template text as the body of an HCL quoted string: literal text escaped,
 * `${...}`/`%{...}` sequences kept as written (HCL reads quotes inside them as code).
 */
export function requoteTemplate(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (two === '$$' || two === '%%') {
      out += two;
      i += 2;
      continue;
    }
    if (two === '${' || two === '%{') {
      const end = interpolationEnd(text, i + 2);
      out += text.slice(i, end).replace(/\n/g, ' ');
      i = end;
      continue;
    }
    const ch = text[i];
    out += ch === '\\' ? '\\\\' : ch === '"' ? '\\"' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : ch;
    i++;
  }
  return out;
}

/** Index just past the `}` closing an interpolation opened before `from`, skipping strings and nested braces. */
function interpolationEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}
