import type { Range } from '../range.js';
import { unknownValue, type Value } from '../value.js';

/**
 * Terraform's operators on evaluated values, as Terraform applies them: numbers and bools convert
 * from their string forms ("1", "true"), `==` / `!=` compare type and value, and an operand that
 * is not known makes the result unknown — except where the known side decides a logical operator
 * (`false && x` is false, `true || x` true, whatever x is). Anything that would be a Terraform error
 * (adding a list, `!` on a string that is not a bool) is unknown too: the scan never guesses.
 */
export function evaluateOperation(op: string, args: Value[], range: Range, text: string): Value {
  const unknown = () => unknownValue(range, text);
  if (args.length === 1) {
    const [operand] = args;
    if (op === '!') {
      const b = asBool(operand);
      return b === undefined ? unknown() : { kind: 'bool', value: !b, range };
    }
    const n = asNumber(operand);
    return n === undefined ? unknown() : { kind: 'number', value: -n, range };
  }
  const [left, right] = args;
  switch (op) {
    case '&&':
    case '||': {
      const a = asBool(left);
      const b = asBool(right);
      const decides = op === '&&' ? false : true;
      if (a === decides || b === decides) return { kind: 'bool', value: decides, range };
      return a === undefined || b === undefined ? unknown() : { kind: 'bool', value: !decides, range };
    }
    case '==':
    case '!=': {
      const equal = equalValues(left, right);
      return equal === undefined ? unknown() : { kind: 'bool', value: op === '==' ? equal : !equal, range };
    }
    default: {
      const a = asNumber(left);
      const b = asNumber(right);
      if (a === undefined || b === undefined) return unknown();
      const result = arithmetic(op, a, b);
      if (typeof result === 'boolean') return { kind: 'bool', value: result, range };
      return result === undefined || !Number.isFinite(result) ? unknown() : { kind: 'number', value: result, range };
    }
  }
}

function arithmetic(op: string, a: number, b: number): number | boolean | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return undefined;
  }
}

function asBool(value: Value): boolean | undefined {
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string' && (value.value === 'true' || value.value === 'false')) return value.value === 'true';
  return undefined;
}

function asNumber(value: Value): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.value)) return Number(value.value);
  return undefined;
}

/** Terraform's equality: same type and same value, collections element by element; undefined when either side is not fully known. */
function equalValues(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'template' || b.kind === 'template') return undefined;
  if (a.kind === 'null' || b.kind === 'null') return a.kind === b.kind;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') {
    if (a.items.length !== b.items.length) return false;
    let all = true;
    for (let i = 0; i < a.items.length; i++) {
      const same = equalValues(a.items[i], b.items[i]);
      if (same === false) return false;
      if (same === undefined) all = false;
    }
    return all ? true : undefined;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.entries.length !== b.entries.length) return false;
    let all = true;
    for (const entry of a.entries) {
      const other = b.entries.find((e) => e.key === entry.key);
      if (!other) return false;
      const same = equalValues(entry.value, other.value);
      if (same === false) return false;
      if (same === undefined) all = false;
    }
    return all ? true : undefined;
  }
  return (a as { value: unknown }).value === (b as { value: unknown }).value;
}
