import type { Expr } from '../../parse/terraform-hcl/hcl-ast.js';
import { objectKeyName } from '../../parse/terraform-hcl/hcl-ast.js';
import type { Value } from '../value.js';

/**
 * A variable's value as its declared `type` shapes it, where that matters to `try`: Terraform gives
 * an object typed `object({...})` with `optional(...)` attributes every attribute the type names
 * (null when absent), so one missing from the value is not an error. Such objects are made open.
 */
export function withTypeDefaults(value: Value, type: Expr): Value {
  return callsFunction(type, 'optional') ? opened(value, type) : value;
}

/** Whether an expression (a variable's type) calls the function anywhere. */
function callsFunction(expr: Expr, name: string): boolean {
  switch (expr.t) {
    case 'call':
      return expr.name === name || expr.args.some((a) => callsFunction(a, name));
    case 'tuple':
      return expr.items.some((i) => callsFunction(i, name));
    case 'object':
      return expr.items.some((i) => callsFunction(i.value, name));
    default:
      return false;
  }
}

/**
 * The value with each object that the type declares as `object({...})` open: Terraform gives such an
 * object every attribute the type names (null when optional), so one missing from the value is not an error.
 */
function opened(value: Value, type: Expr): Value {
  if (type.t !== 'call') return value;
  const [inner] = type.args;
  if (type.name === 'optional' && inner) return opened(value, inner);
  if ((type.name === 'map' || type.name === 'list' || type.name === 'set') && inner) {
    if (value.kind === 'list') return { ...value, items: value.items.map((i) => opened(i, inner)) };
    if (value.kind === 'object') return { ...value, entries: value.entries.map((e) => ({ ...e, value: opened(e.value, inner) })) };
    return value;
  }
  if (type.name === 'object' && inner?.t === 'object' && value.kind === 'object') {
    const attributes = new Map(inner.items.map((i) => [objectKeyName(i.key), i.value]));
    return { ...value, open: true, entries: value.entries.map((e) => { const t = attributes.get(e.key); return t ? { ...e, value: opened(e.value, t) } : e; }) };
  }
  return value;
}

