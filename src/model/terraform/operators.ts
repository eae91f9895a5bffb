import type { BinaryOperator } from '../../parse/terraform-hcl/hcl-ast.js';
import type { Range } from '../range.js';
import { unknownValue, type Value } from '../value.js';
import { hasInvalid, invalidValue, valueKey, whollyKnown } from './functions.js';

/**
 * HCL's operators on values. An unknown operand makes the result unknown; operands Terraform
 * rejects (a string to `&&`, a division by zero) make it invalid, an error `try` falls back past.
 */

/** `!` on a bool, `-` on a number. */
export function unaryOperation(op: '!' | '-', operand: Value, range: Range, text: string): Value {
  if (op === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value, range };
  const n = numberOf(operand);
  if (op === '-' && n !== undefined) return { kind: 'number', value: -n, range };
  return failure([operand], range, text);
}

/**
 * `&&`/`||` (short-circuiting on a known, decisive left operand, as Terraform does: `right` is then
 * not evaluated), `==`/`!=` on wholly known values (of different types: not equal), comparisons
 * and arithmetic on numbers (numeric strings convert).
 */
export function binaryOperation(op: BinaryOperator, left: Value, right: () => Value, range: Range, text: string): Value {
  if (op === '&&' || op === '||') {
    if (left.kind === 'bool' && left.value === (op === '||')) return { kind: 'bool', value: left.value, range };
    const r = right();
    if (left.kind === 'bool' && r.kind === 'bool') return { kind: 'bool', value: r.value, range };
    return failure([left, r], range, text);
  }
  const r = right();
  if (op === '==' || op === '!=') {
    if (hasInvalid(left) || hasInvalid(r)) return invalidValue(range, text);
    if (!whollyKnown(left) || !whollyKnown(r)) return unknownValue(range, text);
    return { kind: 'bool', value: (valueKey(left) === valueKey(r)) === (op === '=='), range };
  }
  const a = numberOf(left);
  const b = numberOf(r);
  if (a === undefined || b === undefined) return failure([left, r], range, text);
  switch (op) {
    case '>':
      return { kind: 'bool', value: a > b, range };
    case '>=':
      return { kind: 'bool', value: a >= b, range };
    case '<':
      return { kind: 'bool', value: a < b, range };
    case '<=':
      return { kind: 'bool', value: a <= b, range };
    case '+':
      return { kind: 'number', value: a + b, range };
    case '-':
      return { kind: 'number', value: a - b, range };
    case '*':
      return { kind: 'number', value: a * b, range };
    case '/':
      return b === 0 ? invalidValue(range, text) : { kind: 'number', value: a / b, range };
    default:
      // Terraform's % keeps the dividend's sign, as JavaScript's does.
      return b === 0 ? invalidValue(range, text) : { kind: 'number', value: a % b, range };
  }
}

/** A number, or a string Terraform converts to one. */
function numberOf(value: Value): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) return Number(value.value);
  return undefined;
}

/** The result when an operand is not a known value of the operator's type: unknown if one is unknown (and none invalid), else invalid. */
function failure(operands: Value[], range: Range, text: string): Value {
  const unknown = operands.filter((v) => v.kind === 'unknown' || v.kind === 'template');
  return unknown.length > 0 && !operands.some(hasInvalid) ? unknownValue(range, text) : invalidValue(range, text);
}
