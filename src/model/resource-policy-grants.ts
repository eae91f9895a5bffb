import { callerScope, operatorScopes } from '../iam/caller-conditions.js';
import { DEPRECATED_INVOKE_ACTION, INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { classifyPrincipal } from '../iam/principal.js';
import { coversAction, isUnconditionalDeny } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { Attribute, CallerCondition, Condition, LambdaPermission, Model, PolicyDocument, ResourceBase, Statement } from './types.js';
import { displayString, knownString, type Value } from './value.js';

/** What the grants of one policy share: the resource (or file) that holds the policy. */
type GrantBase = Omit<ResourceBase, 'arnExpression'> & { arnExpression?: string };

/**
 * The invoke grants of a whole resource policy, as Lambda holds one: a raw policy file (or `aws lambda get-policy`
 * output), `aws_lambda_resource_policy` or `AWS::Lambda::ResourcePolicy` (PutResourcePolicy, which replaces the
 * function's policy). `target`: the function (version or alias) the policy is put on, when the resource names it;
 * a policy file has none, and its statements' Resource names the function.
 */
export function addResourcePolicy(model: Model, base: ResourceBase, document: PolicyDocument, target: Attribute | undefined): void {
  // Kept whole too: Access Analyzer checks the policy as written.
  (model.standalonePolicies ??= []).push({ kind: 'resource', address: base.address, document });
  model.permissions.push(...resourcePolicyGrants(base, document, target));
}

/**
 * Each Allow statement's grant, one LambdaPermission per principal (see addResourcePolicy), read beside the policy's
 * Denies as Lambda reads the whole policy: an unconditional Deny of the grantee and function takes the actions it covers
 * away (`denials`), and a Deny unless a caller condition holds (`StringNotEquals aws:PrincipalOrgID`) keeps the grant
 * to the callers it names, as the condition itself would on the Allow.
 */
export function resourcePolicyGrants(base: GrantBase, document: PolicyDocument, target?: Attribute): LambdaPermission[] {
  const denies = document.statements.filter((s) => knownString(s.effect) === 'Deny');
  return document.statements.flatMap((statement) => statementGrants(base, statement, target, denies));
}

/** Condition keys of a resource policy statement that scope who may use the grant (keys are case-insensitive). */
const SCOPING_KEYS: Record<string, 'sourceArn' | 'sourceAccount' | 'principalOrgId' | 'functionUrlAuthType' | 'eventSourceToken'> = {
  'aws:sourcearn': 'sourceArn',
  'aws:sourceaccount': 'sourceAccount',
  // The older name of aws:SourceAccount, still set by some services.
  'aws:sourceowner': 'sourceAccount',
  'aws:principalorgid': 'principalOrgId',
  'lambda:functionurlauthtype': 'functionUrlAuthType',
  // What Lambda writes for EventSourceToken: the Alexa skill id.
  'lambda:eventsourcetoken': 'eventSourceToken',
};

type Scoping = Partial<Record<(typeof SCOPING_KEYS)[string], Attribute>>;
type Unscoping = NonNullable<LambdaPermission['unscopingConditions']>;

/**
 * The Lambda permissions an Allow statement of a resource policy amounts to: one per principal, whatever its actions
 * (IG101-IG103 read the invoke it gives, IG105 the rest). Only a statement whose Resource can be a Lambda function is
 * one: Lambda writes the function's ARN into every statement of its policy, so `"Resource": "*"` (a VPC endpoint
 * policy, an RCP) or another service's ARN grants nothing on a function.
 */
function statementGrants(base: GrantBase, statement: Statement, target: Attribute | undefined, denies: readonly Statement[]): LambdaPermission[] {
  if (knownString(statement.effect) !== 'Allow') return [];
  if (statement.action.length === 0 && statement.notAction.length === 0) return [];
  // Put on a function (`target`), a statement on "*" applies to it; only another service's ARN keeps it off.
  const functions = statement.resource.filter((r) => mayBeFunction(r) || (target !== undefined && /^[*?]+$/.test(knownString(r) ?? '')));
  if (statement.resource.length > 0 && functions.length === 0) return [];
  const scoping: Scoping = {};
  const callerConditions: CallerCondition[] = [];
  const unscoping: Unscoping = [];
  for (const condition of statement.condition) readCondition(condition, scoping, callerConditions, unscoping);
  // The entry that covers invoke stands for the grant (rules point at it); without one, the first entry (IG105 reads them all).
  const action = statement.action.find((a) => {
    const pattern = knownString(a);
    return pattern !== undefined && INVOKE_ACTIONS.some((invoke) => wildcardMatches(pattern, invoke));
  }) ?? statement.action[0];
  const [resource] = functions;
  const functionName = target ?? (resource ? attribute(resource) : undefined);
  return grantees(statement).map((principal) => {
    const reaching = denies.filter((deny) => denyReaches(deny, principal, functions));
    const denials = reaching.filter(isUnconditionalDeny);
    // A Deny unless the caller matches scopes the grant, as the matching condition on the Allow would; the Allow's own come first.
    const own: Scoping = { ...scoping };
    const callers = [...callerConditions];
    for (const deny of reaching) {
      const condition = denyAsScope(deny, statement);
      if (condition) readCondition(condition, own, callers, [], false);
    }
    return {
      ...base,
      range: statement.range,
      policyStatement: statement.block ? ('block' as const) : ('json' as const),
      ...(action ? { action: attribute(action), statementActions: statement.action.map(attribute) } : { notAction: statement.notAction.map(attribute) }),
      principal: attribute(principal),
      ...(functionName ? { functionName } : {}),
      ...own,
      ...(callers.length > 0 ? { callerConditions: callers } : {}),
      ...(unscoping.length > 0 ? { unscopingConditions: unscoping } : {}),
      ...(denials.length > 0 ? { denials } : {}),
    };
  });
}

/**
 * What one condition of an Allow does to its grant: a fixed caller condition narrows its callers, a scoping key
 * fills the permission field AddPermission would write, and one that cannot scope is named in messages.
 * `override`: false keeps a field already set (a Deny's condition adds to the Allow's own, both must hold).
 */
function readCondition(condition: Condition, scoping: Scoping, callerConditions: CallerCondition[], unscoping: Unscoping, override = true): void {
  const scope = callerScope(condition);
  if (scope) callerConditions.push({ key: condition.key, scope, values: condition.values, range: condition.range });
  const field = SCOPING_KEYS[condition.key.toLowerCase()];
  const wildcard = field !== undefined && namesMany(field, condition);
  // A negated operator (StringNotEquals, ArnNotLike) excludes rather than scopes; …IfExists passes a caller without the key.
  if (field && !operatorScopes(condition.operator)) unscoping.push({ key: condition.key, operator: condition.operator });
  else if (wildcard) unscoping.push({ key: condition.key, operator: condition.operator, wildcard: true });
  if (!field || !operatorScopes(condition.operator) || wildcard || condition.values.length === 0) return;
  if (!override && scoping[field]) return;
  const value: Value = condition.values.length === 1 ? condition.values[0] : { kind: 'list', items: condition.values, range: condition.range };
  scoping[field] = { value, range: condition.range };
}

/**
 * Whether a Deny of the policy applies to the grant of `principal` on `functions` (the Allow's Resource entries that can
 * be a function; none with NotResource): its Principal is "*" or the grantee as written, and its Resource is "*" or
 * covers every one of them. A Deny with NotPrincipal or NotResource is not read, so it never takes a grant away.
 */
function denyReaches(deny: Statement, principal: Value, functions: readonly Value[]): boolean {
  if (deny.notPrincipal.length > 0 || deny.resource.length === 0) return false;
  if (!deny.principal.some((p) => classifyPrincipal(p.value).kind === 'public' || sameWritten(p.value, principal))) return false;
  if (deny.resource.some((r) => /^[*?]*\*[*?]*$/.test(knownString(r) ?? ''))) return true;
  return functions.length > 0 && functions.every((fn) => deny.resource.some((r) => sameWritten(r, fn) || patternMatches(r, fn)));
}

/**
 * A Deny whose one condition refuses every caller but those a caller condition names (`StringNotEquals
 * aws:PrincipalOrgID o-x`, Deny unless the caller is of o-x), read as the positive condition it leaves on the
 * Allow. A negated operator holds when the key is absent (with or without IfExists), so the positive one must match.
 * Only when the Deny covers every invoke action the Allow may give: otherwise some invoke stays unscoped.
 * A Deny with several conditions (all must hold to deny) or one the scan cannot read is not read as scoping.
 */
function denyAsScope(deny: Statement, allow: Statement): Condition | undefined {
  if (deny.unknownCondition || deny.condition.length !== 1) return undefined;
  const [condition] = deny.condition;
  const negated = /^(String|Arn)Not(Equals|Like)(IfExists)?$/.exec(condition.operator);
  if (!negated) return undefined;
  const unread = [...allow.action, ...allow.notAction].some((a) => knownString(a) === undefined);
  const mayGive = (action: string) => unread || coversAction(allow, action);
  if (![...INVOKE_ACTIONS, DEPRECATED_INVOKE_ACTION].every((action) => !mayGive(action) || coversAction(deny, action))) return undefined;
  return { ...condition, operator: `${negated[1]}${negated[2]}` };
}

/** Two values written alike (the same literal, or the same reference): `${unknown}` names nothing to compare. */
function sameWritten(a: Value, b: Value): boolean {
  const text = displayString(a);
  return text !== undefined && !text.includes('${unknown}') && text === displayString(b);
}

/** A known Deny Resource pattern matching a known Allow Resource (`function:orders*` covers `function:orders`). */
function patternMatches(pattern: Value, resource: Value): boolean {
  const p = knownString(pattern);
  const r = knownString(resource);
  return p !== undefined && r !== undefined && wildcardMatches(p, r);
}

/**
 * Whether a pattern condition on an account or organisation id names many of them: an account id is exactly
 * twelve digits and an organisation id one fixed string, so any `*` or `?` read as a wildcard (`*1*`, `o-a*`)
 * lets callers of many accounts or organisations through (as callerScope reads aws:PrincipalAccount and `o-a*`).
 */
function namesMany(field: (typeof SCOPING_KEYS)[string], condition: Statement['condition'][number]): boolean {
  if (field !== 'sourceAccount' && field !== 'principalOrgId') return false;
  return /like/i.test(condition.operator) && condition.values.some((v) => /[*?]/.test(knownString(v) ?? ''));
}

/** A Resource entry that can name a Lambda function: a `lambda` ARN of a function (wildcards allowed), or a value not known here. */
function mayBeFunction(value: Value): boolean {
  const text = knownString(value);
  if (text === undefined) return true;
  const fields = text.split(':');
  return fields.length >= 7 && fields[0] === 'arn' && fieldMay(fields[2], 'lambda') && fieldMay(fields[5], 'function');
}

function fieldMay(field: string, expected: string): boolean {
  return wildcardMatches(field, expected);
}

function attribute(value: Value): Attribute {
  return { value, range: value.range };
}

/**
 * Whom an Allow statement grants to: its principals; with NotPrincipal instead, every principal but the ones it
 * lists, anonymous callers included (IAM's reading of Allow with NotPrincipal), so `*` at the NotPrincipal.
 */
function grantees(statement: Statement): Value[] {
  if (statement.principal.length > 0 || statement.notPrincipal.length === 0) return statement.principal.map((p) => p.value);
  const written = statement.notPrincipal[0].value;
  return [{ kind: 'string', value: '*', range: written.range }];
}
