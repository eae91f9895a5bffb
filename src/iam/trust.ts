import type { Principal, PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString } from '../model/value.js';
import { callerScope } from './caller-conditions.js';
import { classifyPrincipal } from './principal.js';
import { lambdaServiceOf } from './service-principal.js';
import { conditionScopes, coversAction, effectOf, FUNCTION_PROBES } from './statement.js';

/** The STS actions that let a principal take on a role's permissions. */
const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

/**
 * The Allow statements of a trust policy that let someone assume the role: an Action entry matches an assume
 * action, or a NotAction leaves one out (`NotAction: sts:TagSession` allows sts:AssumeRole). Trust policies take
 * NotAction like any policy: it is an element of the IAM policy grammar, which role trust policies follow (IAM
 * User Guide, "IAM JSON policy element reference", NotAction; and "Grammar of the IAM JSON policy language").
 * A NotAction with an entry the scan cannot read allows nothing here, as coversAction reads it.
 * Deny statements, with Action or NotAction, are not read: what a trust denies is not weighed against what it allows.
 */
export function trustStatements(document: PolicyDocument): Statement[] {
  return document.statements.filter((s) => effectOf(s) === 'Allow' && ASSUME_ACTIONS.some((action) => coversAction(s, action)));
}

/** A Service principal naming Lambda or Lambda@Edge, in any partition (see lambdaServiceOf). */
export function isLambdaPrincipal(principal: Principal): boolean {
  return principal.type === 'Service' && lambdaServiceOf(principal.value) !== undefined;
}

/** Whether a trust statement lets Lambda assume the role. */
export function trustsLambda(statement: Statement): boolean {
  return statement.principal.some(isLambdaPrincipal);
}

export interface OtherTrustee {
  statement: Statement;
  /** How the principal reads (`AWS: arn:aws:iam::…:root`, `*`, `NotPrincipal …`). */
  text: string;
  principal?: Principal;
}

/**
 * Every principal the trust statements (see trustStatements) let assume the role besides Lambda (NotPrincipal in an Allow trusts everyone else).
 * A principal whose value is wholly unknown (a module's computed list of services) may well be Lambda: it is not counted,
 * unless it is Federated (an identity provider's ARN, `aws_iam_openid_connect_provider.github.arn`): that is never Lambda.
 */
export function otherTrustees(trust: readonly Statement[]): OtherTrustee[] {
  return trust.flatMap((statement) => [
    ...statement.principal
      .filter((p) => !isLambdaPrincipal(p) && (p.value.kind !== 'unknown' || p.type === 'Federated'))
      .map((principal) => ({ statement, principal, text: principal.type === '*' ? '*' : `${principal.type}: ${displayString(principal.value) ?? '(unknown)'}` })),
    ...(statement.notPrincipal.length > 0 ? [{ statement, text: 'everyone but the NotPrincipal list' }] : []),
  ]);
}

const SOURCE_KEYS = /^aws:source(account|arn)$/i;

/**
 * Whether a statement is scoped to the calling account or function by aws:SourceAccount / aws:SourceArn, by
 * the rule identity policies follow (conditionScopes): a positive operator whose values do not match every
 * account or function. When Lambda assumes an execution role, the source is always a function.
 */
export function hasSourceCondition(statement: Statement): boolean {
  return statement.condition.some((c) => SOURCE_KEYS.test(c.key) && conditionScopes(c, FUNCTION_PROBES));
}

/** The aws:SourceAccount / aws:SourceArn conditions of a statement that do not scope it (see hasSourceCondition), as `Operator key`. */
export function ineffectiveSourceConditions(statement: Statement): string[] {
  return statement.condition.filter((c) => SOURCE_KEYS.test(c.key) && !conditionScopes(c, FUNCTION_PROBES)).map((c) => `${c.operator} ${c.key}`);
}

/**
 * Whether a trustee is anyone at all: `"*"`, `{"AWS": "*"}`, an AWS principal ARN whose account is a wildcard
 * (IAM refuses such an ARN, but it would name every account's), or an Allow's NotPrincipal (everyone it does not list).
 */
export function isPublicTrustee(trustee: OtherTrustee): boolean {
  const { principal } = trustee;
  if (!principal) return true;
  if (principal.type === '*') return true;
  if (principal.type !== 'AWS') return false;
  if (classifyPrincipal(principal.value).kind === 'public') return true;
  const fields = knownString(principal.value)?.split(':');
  return fields !== undefined && fields[0] === 'arn' && /[*?]/.test(fields[4] ?? '');
}

/**
 * Whether a statement's conditions keep a public trustee from being anyone at all: a caller condition with fixed
 * values (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpce, … see callerScope), or a scoping
 * aws:SourceAccount / aws:SourceArn (only AWS services send those, for a resource of the named account).
 * aws:PrincipalIsAWSService = true counts too: services still act for any account (IG102's confused deputy),
 * but no one can take the role's credentials for themselves. Conditions on other keys (sts:ExternalId, MFA)
 * do not say whose identity it is.
 */
export function scopedToCallers(statement: Statement): boolean {
  return statement.condition.some((c) => callerScope(c) !== undefined || (SOURCE_KEYS.test(c.key) && conditionScopes(c)));
}
