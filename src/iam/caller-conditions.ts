import type { CallerScope, Condition } from '../model/types.js';
import { knownString, type Value } from '../model/value.js';
import { arnAccount } from './arn.js';

/**
 * What a resource policy condition narrows the callers of a grant to. AddPermission (Terraform
 * `aws_lambda_permission`, CloudFormation `AWS::Lambda::Permission`) can only write SourceArn,
 * SourceAccount, PrincipalOrgID and FunctionUrlAuthType; a policy written by hand can use any key,
 * and these are the ones IAM Access Analyzer and the S3/Lambda "public policy" definitions count
 * as limiting who may call when they compare with fixed values.
 * - `account`: one account or principal (aws:PrincipalAccount, aws:PrincipalArn with an account, aws:userid)
 * - `organisation`: the caller's organisation or OU (aws:PrincipalOrgID, aws:PrincipalOrgPaths)
 * - `source-organisation`: the organisation of the resource a service calls for (aws:SourceOrgID, aws:SourceOrgPaths)
 * - `network`: requests through your VPC or VPC endpoint (aws:SourceVpc, aws:SourceVpce)
 * - `aws-service`: only AWS service principals (Bool aws:PrincipalIsAWSService = true); which
 *   account's resource made the service call is still open, as for any service principal.
 * aws:SourceIp is left out on purpose: an address range says nothing about the caller's account.
 */
const SCOPES: Record<string, CallerScope> = {
  'aws:principalaccount': 'account',
  'aws:principalarn': 'account',
  'aws:userid': 'account',
  // Lambda permissions carry it as principal_org_id / PrincipalOrgID; a trust policy only as a condition.
  'aws:principalorgid': 'organisation',
  'aws:principalorgpaths': 'organisation',
  'aws:sourceorgid': 'source-organisation',
  'aws:sourceorgpaths': 'source-organisation',
  'aws:sourcevpc': 'network',
  'aws:sourcevpce': 'network',
  'aws:principalisawsservice': 'aws-service',
};

/**
 * Whether an operator's test can hold for a request that lacks the key or names another caller:
 * negated operators exclude, `…IfExists` and `ForAllValues:` pass when the key is absent.
 */
export function operatorScopes(operator: string): boolean {
  return !/not|ifexists$|^forallvalues:/i.test(operator);
}

/** The scope a condition of a resource policy statement puts on its callers, if it puts one. */
export function callerScope(condition: Condition): CallerScope | undefined {
  const scope = SCOPES[condition.key.toLowerCase()];
  if (!scope || !operatorScopes(condition.operator) || condition.values.length === 0) return undefined;
  return condition.values.every((value) => fixedFor(scope, condition.key, value)) ? scope : undefined;
}

/** A value that admits only the callers it names: no wildcard or policy variable where the scope is decided. */
function fixedFor(scope: CallerScope, key: string, value: Value): boolean {
  if (scope === 'aws-service') return value.kind === 'bool' ? value.value : knownString(value)?.toLowerCase() === 'true';
  const text = knownString(value);
  if (text === undefined) return value.kind === 'template' || value.kind === 'unknown';
  if (text === '' || text.startsWith('*') || text.includes('${')) return false;
  // An OU path is matched as a prefix ("o-…/r-…/ou-…/*"): a whole organisation id before any wildcard decides (`o-a*` is many).
  if (scope === 'organisation' || scope === 'source-organisation') return /^o-[a-z0-9]+(\/|$)/i.test(text) || !/[*?]/.test(text);
  if (key.toLowerCase() === 'aws:principalarn') {
    const account = arnAccount(value);
    return account.kind === 'account';
  }
  // aws:userid is "AROA…:session": a trailing wildcard still names one role.
  if (key.toLowerCase() === 'aws:userid') return !/[*?]/.test(text.split(':')[0]);
  return !/[*?]/.test(text);
}
