import type { Condition, Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import { parseOperator } from './condition-operators.js';
import { globMatches } from './wildcard.js';

/** String operators and how each compares; the IAM string operators are case-sensitive unless IgnoreCase. */
const STRING_OPERATORS: Record<string, { negated: boolean; matches: (pattern: string, value: string) => boolean }> = {
  StringEquals: { negated: false, matches: (p, v) => p === v },
  StringNotEquals: { negated: true, matches: (p, v) => p === v },
  StringEqualsIgnoreCase: { negated: false, matches: (p, v) => p.toLowerCase() === v.toLowerCase() },
  StringNotEqualsIgnoreCase: { negated: true, matches: (p, v) => p.toLowerCase() === v.toLowerCase() },
  StringLike: { negated: false, matches: globMatches },
  StringNotLike: { negated: true, matches: globMatches },
};

/**
 * Whether a condition on a single-valued request key (lambda:Principal, lambda:FunctionUrlAuthType) lets a
 * request through whose key holds `value`, or lacks the key (`undefined`); undefined when that is not known
 * (an operator not read here, a value not known). For a single value, ForAnyValue / ForAllValues test it as
 * the plain operator does; they differ only when the key is absent (ForAllValues holds, ForAnyValue fails),
 * as IfExists and the negated operators hold then.
 */
export function conditionAdmits(condition: Condition, value: string | undefined): boolean | undefined {
  const operator = parseOperator(condition.operator);
  const string = operator && STRING_OPERATORS[operator.base];
  if (!operator || !string || condition.values.length === 0) return undefined;
  if (value === undefined) return operator.ifExists || operator.qualifier === 'ForAllValues' || (operator.qualifier !== 'ForAnyValue' && string.negated);
  // A policy variable (`${aws:username}`) stands for a value of the request: not known here.
  const patterns = condition.values.map((v) => { const text = knownString(v); return text?.includes('${') ? undefined : text; });
  const matched = patterns.some((p) => p !== undefined && string.matches(p, value));
  // An unknown value may or may not match: it decides only when no known value does.
  if (!matched && patterns.some((p) => p === undefined)) return undefined;
  return matched !== string.negated;
}

/** Whether every condition of the statement on `key` lets the request through (see conditionAdmits); undefined when one may or may not. */
export function statementAdmits(statement: Statement, key: string, value: string | undefined): boolean | undefined {
  let answer: boolean | undefined = true;
  for (const condition of statement.condition) {
    if (condition.key.toLowerCase() !== key.toLowerCase()) continue;
    const admits = conditionAdmits(condition, value);
    if (admits === false) return false;
    if (admits === undefined) answer = undefined;
  }
  return answer;
}
