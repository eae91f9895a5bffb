/** IAM condition operators: which AWS defines, and how one splits into qualifier, base name and IfExists. */

/** An operator split into its set qualifier, base name and IfExists suffix. */
export interface ParsedOperator {
  qualifier?: 'ForAnyValue' | 'ForAllValues';
  base: string;
  ifExists: boolean;
}

/** The operators the guardrail evaluation decides (the others it leaves unknown). */
export const EVALUATED_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool', 'IpAddress', 'NotIpAddress', 'Null',
]);
/** Every condition operator AWS defines (IAM JSON policy elements: Condition operators). */
export const CONDITION_OPERATORS = new Set([
  ...EVALUATED_OPERATORS,
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'BinaryEquals',
]);

/** The operator's parts, or undefined when it is not one AWS knows (`Null` takes no IfExists). */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let qualifier: ParsedOperator['qualifier'];
  for (const q of ['ForAnyValue', 'ForAllValues'] as const)
    if (rest.startsWith(`${q}:`)) {
      qualifier = q;
      rest = rest.slice(q.length + 1);
    }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (!CONDITION_OPERATORS.has(base) || (base === 'Null' && (ifExists || qualifier))) return undefined;
  return { ...(qualifier ? { qualifier } : {}), base, ifExists };
}
