import type { Expr, HclBlock, HclBody } from '../../parse/terraform-hcl/hcl-ast.js';
import { objectKeyName } from '../../parse/terraform-hcl/hcl-ast.js';
import { parseJsonValue } from '../json-value.js';
import { createPositionMapper, type Range } from '../range.js';
import { knownString, unknownValue, type UnknownValue, type Value } from '../value.js';
import { ownedString } from './intern.js';
import type { ModuleInstance } from './module-tree.js';
import { policyDocumentDataValue } from './policy-document-data.js';

/** Resource attributes Terraform computes at apply time: a reference to them is symbolic. */
const COMPUTED_ATTRIBUTES = new Set(['arn', 'id', 'invoke_arn', 'qualified_arn', 'qualified_invoke_arn', 'execution_arn', 'unique_id', 'function_url', 'url_id']);

/**
 * Evaluates HCL expressions of one module instance without running anything:
 * literals, templates, locals, variables, jsonencode, aws_iam_policy_document.
 * What cannot be known is an UnknownValue naming what it refers to.
 */
export class Evaluator {
  /**
   * Values already evaluated, keyed by what they are the value of: a variable's name, a local's,
   * data source's or resource attribute's syntax node. Keys by identity need no string built per
   * reference (a scan makes tens of thousands of references).
   */
  private readonly cache = new Map<unknown, Value>();
  private readonly inProgress = new Set<unknown>();

  constructor(readonly module: ModuleInstance) {}

  evaluate(expr: Expr): Value {
    const range = expr.range;
    switch (expr.t) {
      case 'literal':
        if (typeof expr.value === 'string') return { kind: 'string', value: ownedString(expr.value), range };
        if (typeof expr.value === 'number') return { kind: 'number', value: expr.value, range };
        if (typeof expr.value === 'boolean') return { kind: 'bool', value: expr.value, range };
        return { kind: 'null', range };
      case 'template':
        return this.template(expr);
      case 'ref':
        return this.reference(expr.path, expr.text, range);
      case 'call':
        return this.call(expr.name, expr.args, range, expr);
      case 'tuple':
        return { kind: 'list', items: expr.items.map((i) => this.evaluate(i)), range };
      case 'object':
        return {
          kind: 'object',
          range,
          entries: expr.items.flatMap((item) => {
            const key = objectKeyName(item.key) ?? knownString(this.evaluate(item.key));
            return key === undefined ? [] : [{ key: ownedString(key), keyRange: item.key.range, value: this.evaluate(item.value) }];
          }),
        };
      case 'conditional': {
        const condition = this.evaluate(expr.condition);
        if (condition.kind === 'bool') return this.evaluate(condition.value ? expr.then : expr.otherwise);
        return unknownValue(range, textOf(expr));
      }
      default:
        return unknownValue(range, ownedString(expr.text));
    }
  }

  /** Evaluates a named attribute of a body, if present. */
  attribute(body: HclBody, name: string): Value | undefined {
    const attr = body.attributes.find((a) => a.name === name);
    return attr ? this.evaluate(attr.expr) : undefined;
  }

  private template(expr: Extract<Expr, { t: 'template' }>): Value {
    const range = expr.range;
    const parts: Array<string | UnknownValue> = [];
    const holes: Array<{ start: number; end: number; value: Value }> = [];
    for (const part of expr.parts) {
      if (part.kind === 'text') {
        parts.push(part.text);
        continue;
      }
      const value = this.evaluate(part.expr);
      holes.push({ start: part.start, end: part.end, value });
      const known = knownString(value);
      if (known !== undefined) parts.push(known);
      else if (value.kind === 'template') parts.push(...value.parts);
      else parts.push(value.kind === 'unknown' ? value : unknownValue(value.range, textOf(part.expr)));
    }
    const merged = mergeText(parts);
    const owned = () => merged.map((p) => (typeof p === 'string' ? ownedString(p) : p));
    if (expr.verbatim) {
      const text = ownedString(expr.verbatim.text);
      if (holes.length === 0) return { kind: 'string', value: text, range: expr.verbatim.range, verbatim: true };
      return { kind: 'template', parts: owned(), range, verbatim: { text, range: expr.verbatim.range, holes } };
    }
    if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: ownedString(merged.join('')), range };
    return { kind: 'template', parts: owned(), range };
  }

  private call(name: string, args: Expr[], range: Range, expr: Expr): Value {
    switch (name) {
      case 'jsonencode':
      case 'tolist':
      case 'toset':
      case 'tostring':
      case 'tomap':
        // A policy is read from its structure, so jsonencode(x) is x.
        return args[0] ? { ...this.evaluate(args[0]) } : unknownValue(range, textOf(expr));
      case 'jsondecode': {
        const value = args[0] ? this.evaluate(args[0]) : undefined;
        if (value?.kind !== 'string') return unknownValue(range, textOf(expr));
        const mapper = value.verbatim ? createPositionMapper(range.file, value.value, value.range) : { range: () => value.range };
        return parseJsonValue(value.value, mapper).value ?? unknownValue(range, textOf(expr));
      }
      case 'concat': {
        const lists = args.map((a) => this.evaluate(a));
        if (lists.every((l) => l.kind === 'list')) return { kind: 'list', items: lists.flatMap((l) => (l.kind === 'list' ? l.items : [])), range };
        return unknownValue(range, textOf(expr));
      }
      default:
        return unknownValue(range, textOf(expr));
    }
  }

  private reference(path: Array<string | number>, text: string, range: Range): Value {
    const [head, second, third] = path;
    let base: Value | undefined;
    let consumed = 2;
    if (head === 'var' && typeof second === 'string') base = this.variable(second, range);
    else if (head === 'local' && typeof second === 'string') base = this.local(second, range);
    else if (head === 'data' && typeof second === 'string' && typeof third === 'string') {
      consumed = 3;
      base = this.dataSource(`${second}.${third}`, path[3], range, text);
      if (base) consumed = 4;
    } else if (typeof head === 'string' && typeof second === 'string') {
      const key = `${head}.${second}`;
      const block = this.module.resources.get(key);
      if (block) return this.resourceAttribute(block, key, head, path, text, range);
    }
    if (!base) return unknownValue(range, ownedString(text));
    return index(base, path.slice(consumed), text, range);
  }

  private variable(name: string, range: Range): Value | undefined {
    return this.memo(`var.${name}`, () => `var.${name}`, () => {
      const input = this.module.inputs.get(name);
      if (input) return input();
      const declared = this.module.variables.get(name);
      const fallback = declared?.body.attributes.find((a) => a.name === 'default');
      return fallback ? this.evaluate(fallback.expr) : unknownValue(range, `var.${name}`);
    });
  }

  private local(name: string, range: Range): Value {
    const expr = this.module.locals.get(name);
    if (expr) return this.memo(expr, () => `local.${name}`, () => this.evaluate(expr));
    // An undeclared local is Unknown where it is first referenced, as every later reference says.
    const undeclared = `local.${name}`;
    return this.memo(undeclared, () => undeclared, () => unknownValue(range, undeclared));
  }

  private dataSource(key: string, attribute: string | number | undefined, range: Range, text: string): Value | undefined {
    const block = this.module.dataSources.get(key);
    if (!block || !key.startsWith('aws_iam_policy_document.') || attribute !== 'json' && attribute !== 'minified_json') return undefined;
    return this.memo(block, () => `data.${key}`, () => policyDocumentDataValue(block, this) ?? unknownValue(range, ownedString(text)));
  }

  /** `aws_x.y.attr` (`key`: `aws_x.y`): an input attribute set literally is read; computed ones (arn, id) stay symbolic. */
  private resourceAttribute(block: HclBlock, key: string, type: string, path: Array<string | number>, text: string, range: Range): Value {
    const symbolic = (): UnknownValue => ({ kind: 'unknown', ref: ownedString(text), range, resource: this.module.prefix + key, resourceType: type });
    const attribute = path[2];
    if (typeof attribute !== 'string' || COMPUTED_ATTRIBUTES.has(attribute) || path.length > 3) return symbolic();
    const set = block.body.attributes.find((a) => a.name === attribute);
    if (!set) return symbolic();
    const value = this.memo(set, () => `${key}.${attribute}`, () => this.evaluate(set.expr));
    return value.kind === 'unknown' ? symbolic() : value;
  }

  /** `name` says what `key` is the value of, for the Unknown a cycle of references yields. */
  private memo(key: unknown, name: () => string, compute: () => Value): Value {
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key)) return unknownValue({ file: this.module.dir, line: 1, column: 1, endLine: 1, endColumn: 1 }, name());
    this.inProgress.add(key);
    try {
      const value = compute();
      this.cache.set(key, value);
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }
}

function textOf(expr: Expr): string {
  return expr.t === 'ref' || expr.t === 'other' ? ownedString(expr.text) : expr.t === 'call' ? `${expr.name}(...)` : 'expression';
}

function mergeText(parts: Array<string | UnknownValue>): Array<string | UnknownValue> {
  const out: Array<string | UnknownValue> = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
  }
  return out;
}

/** Follows `.attr` / `[i]` steps into a known value; into an unknown one, the result is unknown. */
function index(base: Value, steps: Array<string | number>, text: string, range: Range): Value {
  let current = base;
  for (const step of steps) {
    if (current.kind === 'object') {
      const entry = current.entries.find((e) => e.key === String(step));
      if (!entry) return unknownValue(range, ownedString(text));
      current = entry.value;
    } else if (current.kind === 'list' && typeof step === 'number' && current.items[step]) {
      current = current.items[step];
    } else {
      return unknownValue(range, ownedString(text));
    }
  }
  return current;
}
