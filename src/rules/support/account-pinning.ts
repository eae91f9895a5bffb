import { arnAccount } from '../../iam/arn.js';
import { pinnedBySkillId } from '../../iam/principal.js';
import type { LambdaPermission } from '../../model/types.js';
import { isNullish } from '../../model/value.js';

export type Pinning = { pinned: true; by: string } | { pinned: false; why: string } | { pinned: 'unknown' };

/**
 * Whether a Lambda permission can only be used from one account (or organisation):
 * by a source account, an organisation id, or a source ARN that carries an account.
 * `allowOrg`: principal_org_id scopes a grant to `*`, not one to a service principal; so do the caller-side
 * conditions of a policy file (aws:PrincipalAccount, aws:PrincipalOrgPaths, aws:SourceVpce). aws:SourceOrgID
 * scopes the resource a service calls for, so it pins either.
 */
export function accountPinning(permission: LambdaPermission, allowOrg: boolean): Pinning {
  if (!isNullish(permission.sourceAccount?.value)) return { pinned: true, by: 'source account' };
  if (allowOrg && !isNullish(permission.principalOrgId?.value)) return { pinned: true, by: 'organisation id' };
  const narrowing = permission.callerConditions?.find(
    (c) => c.scope === 'source-organisation' || (allowOrg && (c.scope === 'account' || c.scope === 'organisation' || c.scope === 'network')),
  );
  if (narrowing) return { pinned: true, by: `condition ${narrowing.key}` };
  const sourceArn = permission.sourceArn?.value;
  if (isNullish(sourceArn)) return { pinned: false, why: 'it has no source account and no source ARN' };
  const account = arnAccount(sourceArn!);
  switch (account.kind) {
    case 'account':
      return { pinned: true, by: `source ARN in account ${account.text}` };
    case 'resource':
      return { pinned: true, by: `source ARN of ${account.ref}` };
    case 'none':
      return { pinned: false, why: `it has no source account and its source ARN does not pin one: ${account.why}` };
    default:
      return { pinned: 'unknown' };
  }
}

/**
 * Whether a grant to a service principal is pinned to one caller. Alexa sends no source account or ARN (they would
 * not pin it): its grant is pinned by the event source token, the skill id, and by nothing else.
 */
export function servicePinning(permission: LambdaPermission, service: string): Pinning {
  if (!pinnedBySkillId(service)) return accountPinning(permission, false);
  if (!isNullish(permission.eventSourceToken?.value)) return { pinned: true, by: 'event source token' };
  const accountOrArn = !isNullish(permission.sourceAccount?.value) || !isNullish(permission.sourceArn?.value);
  return { pinned: false, why: `it has no event source token (the skill id)${accountOrArn ? '; a source account or ARN does not pin an Alexa grant' : ''}` };
}

/** A grant to "*" that a condition (aws:PrincipalIsAWSService = true) limits to AWS service principals. */
export function onlyAwsServices(permission: LambdaPermission): boolean {
  return permission.callerConditions?.some((c) => c.scope === 'aws-service') ?? false;
}

/** Why a condition on a scoping key does not count: it is written to let callers without the key (or with other values) through. */
export function unscopingNote(conditions: LambdaPermission['unscopingConditions']): string {
  if (!conditions?.length) return '';
  const named = conditions.map((c) => `${c.operator} ${c.key}`).join(', ');
  const why =
    conditions.some((c) => /not/i.test(c.operator)) ? 'a negation excludes callers, it does not name one'
    : conditions.some((c) => !c.wildcard) ? 'a request without the key passes'
    : 'an account or organisation id with a wildcard names many';
  return ` (${named} does not scope it: ${why})`;
}
