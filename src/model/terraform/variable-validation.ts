import type { Expr, HclBlock } from '../../parse/terraform-hcl/hcl-ast.js';

/** The strings a list expression is known to hold (a tuple of literals, or a local the caller evaluates); undefined if not known. */
export type KnownStrings = (expr: Expr) => string[] | undefined;

/**
 * The values a variable's `validation` blocks admit, when they say so plainly: a condition that is (a conjunction
 * containing) `contains([strings], var.X)`, `var.X == "a" || var.X == "b"`, or `can(regex("^(a|b)$", var.X))`.
 * Every block must hold, as must every conjunct, so the sets intersect. Undefined when nothing is understood, or
 * when what is understood admits nothing: a validation misread must never hide a value that can be planned.
 */
export function allowedValues(variable: HclBlock, name: string, knownStrings: KnownStrings): string[] | undefined {
  let allowed: string[] | undefined;
  for (const block of variable.body.blocks) {
    if (block.type !== 'validation') continue;
    const condition = block.body.attributes.find((a) => a.name === 'condition');
    if (!condition) continue;
    for (const conjunct of operands(condition.expr, '&&')) {
      const values = admitted(conjunct, name, knownStrings);
      if (values) allowed = allowed ? allowed.filter((v) => values.includes(v)) : [...new Set(values)];
    }
  }
  return allowed && allowed.length > 0 ? allowed : undefined;
}

/** The values one condition admits for `var.<name>`, if it is one of the forms allowedValues reads. */
function admitted(condition: Expr, name: string, knownStrings: KnownStrings): string[] | undefined {
  if (condition.t === 'call' && condition.name === 'contains' && condition.args.length === 2 && isVariable(condition.args[1], name)) {
    return knownStrings(condition.args[0]);
  }
  if (condition.t === 'call' && condition.name === 'can' && condition.args.length === 1) {
    const [inner] = condition.args;
    if (inner.t !== 'call' || inner.name !== 'regex' || inner.args.length !== 2 || !isVariable(inner.args[1], name)) return undefined;
    const pattern = literalString(inner.args[0]);
    return pattern === undefined ? undefined : anchoredAlternatives(pattern);
  }
  // `var.X == "a"`, or a disjunction of such comparisons (every one of them: another disjunct could admit anything).
  const values: string[] = [];
  for (const disjunct of operands(condition, '||')) {
    if (disjunct.t !== 'binary' || disjunct.op !== '==') return undefined;
    const { left, right } = disjunct;
    const value = isVariable(left, name) ? literalString(right) : isVariable(right, name) ? literalString(left) : undefined;
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/** The operands of a chain of one operator (`a && b && c`), or the expression alone. */
function operands(expr: Expr, op: '&&' | '||'): Expr[] {
  return expr.t === 'binary' && expr.op === op ? [...operands(expr.left, op), ...operands(expr.right, op)] : [expr];
}

/** Whether `expr` is exactly `var.<name>`. */
function isVariable(expr: Expr, name: string): boolean {
  return expr.t === 'ref' && expr.path.length === 2 && expr.path[0] === 'var' && expr.path[1] === name;
}

/** A string written literally (`"prod"`, a template without interpolation). */
export function literalString(expr: Expr): string | undefined {
  if (expr.t === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.t !== 'template' || !expr.parts.every((p) => p.kind === 'text')) return undefined;
  return expr.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** Plain words a regex's alternatives may be, so that the pattern means nothing but those words. */
const ANCHORED = /^\^(?:\((?:\?:)?([\w-]+(?:\|[\w-]+)*)\)|([\w-]+))\$$/;

/** The words `^(a|b)$` (or `^(?:a|b)$`, `^a$`) matches in full; undefined for any other pattern. */
function anchoredAlternatives(pattern: string): string[] | undefined {
  const match = ANCHORED.exec(pattern);
  if (!match) return undefined;
  return (match[1] ?? match[2]).split('|');
}
