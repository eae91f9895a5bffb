import { callerScope, operatorScopes } from '../iam/caller-conditions.js';
import { INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { Attribute, CallerCondition, LambdaPermission, Model, PolicyDocument, ResourceBase, Statement } from './types.js';
import { knownString, type Value } from './value.js';

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

/** Each Allow statement's invoke grant, one LambdaPermission per principal (see addResourcePolicy). */
export function resourcePolicyGrants(base: GrantBase, document: PolicyDocument, target?: Attribute): LambdaPermission[] {
  return document.statements.flatMap((statement) => invokeGrants(base, statement, target));
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

/**
 * The Lambda permissions an Allow statement of a resource policy amounts to: one per principal.
 * Only a statement whose Resource can be a Lambda function is one: Lambda writes the function's
 * ARN into every statement of its policy, so `"Resource": "*"` (a VPC endpoint policy, an RCP)
 * or another service's ARN grants no invoke on a function.
 */
function invokeGrants(base: GrantBase, statement: Statement, target: Attribute | undefined): LambdaPermission[] {
  if (knownString(statement.effect) !== 'Allow') return [];
  const action = statement.action.find((a) => {
    const pattern = knownString(a);
    return pattern !== undefined && INVOKE_ACTIONS.some((invoke) => wildcardMatches(pattern, invoke));
  });
  if (!action) return [];
  // Put on a function (`target`), a statement on "*" applies to it; only another service's ARN keeps it off.
  const functions = statement.resource.filter((r) => mayBeFunction(r) || (target !== undefined && /^[*?]+$/.test(knownString(r) ?? '')));
  if (statement.resource.length > 0 && functions.length === 0) return [];
  const scoping: Partial<Record<(typeof SCOPING_KEYS)[string], Attribute>> = {};
  const callerConditions: CallerCondition[] = [];
  const unscoping: NonNullable<LambdaPermission['unscopingConditions']> = [];
  for (const condition of statement.condition) {
    const scope = callerScope(condition);
    if (scope) callerConditions.push({ key: condition.key, scope, range: condition.range });
    const field = SCOPING_KEYS[condition.key.toLowerCase()];
    const wildcard = field !== undefined && namesMany(field, condition);
    // A negated operator (StringNotEquals, ArnNotLike) excludes rather than scopes; …IfExists passes a caller without the key.
    if (field && !operatorScopes(condition.operator)) unscoping.push({ key: condition.key, operator: condition.operator });
    else if (wildcard) unscoping.push({ key: condition.key, operator: condition.operator, wildcard: true });
    if (!field || !operatorScopes(condition.operator) || wildcard || condition.values.length === 0) continue;
    const value: Value = condition.values.length === 1 ? condition.values[0] : { kind: 'list', items: condition.values, range: condition.range };
    scoping[field] = { value, range: condition.range };
  }
  const [resource] = functions;
  const functionName = target ?? (resource ? attribute(resource) : undefined);
  return grantees(statement).map((principal) => ({
    ...base,
    range: statement.range,
    policyStatement: statement.block ? ('block' as const) : ('json' as const),
    action: attribute(action),
    principal: attribute(principal),
    ...(functionName ? { functionName } : {}),
    ...scoping,
    ...(callerConditions.length > 0 ? { callerConditions } : {}),
    ...(unscoping.length > 0 ? { unscopingConditions: unscoping } : {}),
  }));
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
