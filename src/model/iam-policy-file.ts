import { callerScope, operatorScopes } from '../iam/caller-conditions.js';
import { INVOKE_ACTIONS } from '../iam/invoke-actions.js';
import { wildcardMatches } from '../iam/wildcard.js';
import { policyDocumentFromValue } from './policy-document.js';
import type { Range } from './range.js';
import type { Attribute, CallerCondition, LambdaPermission, Model, PolicyDocument, StandalonePolicyKind, Statement } from './types.js';
import { get, knownString, type Value } from './value.js';

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
 * Adds a raw IAM policy file (top level `Statement`, or `aws lambda get-policy` output) to the model. Its kind comes from its place
 * (a folder named `scp`/`scps`, or a path given with `--scp`) and content: a trust policy allows `sts:AssumeRole*` to a
 * Principal, a resource policy names a Principal, anything else is an identity policy.
 * Identity policies become IdentityPolicy (kind `standalone`); each Allow statement of a resource
 * policy that grants Lambda invoke becomes one LambdaPermission per principal.
 */
export function addIamPolicyFile(model: Model, file: string, value: Value, knownScp = false): void {
  if (value.kind !== 'object') return;
  const functionPolicy = lambdaGetPolicyDocument(value);
  // A JSON string is parsed where it stands: each statement located at its own characters of the string.
  const document = policyDocumentFromValue(functionPolicy ?? value, model.errors);
  if (!document) return;
  const kind = knownScp ? 'scp' : functionPolicy ? 'resource' : policyFileKind(file, document);
  (model.standalonePolicies ??= []).push({ kind, address: file, document });
  const base = { address: file, sourceType: `iam-json:${kind}`, range: value.range };
  model.resources.push(base);
  if (kind === 'identity') {
    model.identityPolicies.push({ ...base, kind: 'standalone', policy: { value, range: value.range }, document });
  } else if (kind === 'resource') {
    for (const statement of document.statements) model.permissions.push(...invokeGrants(base, statement));
  }
}

/**
 * The policy of `aws lambda get-policy` output (`{"Policy": "<JSON text>", "RevisionId": ...}`, no Statement of its own):
 * a function's resource policy, read as a raw resource policy file is.
 */
function lambdaGetPolicyDocument(value: Value): Value | undefined {
  if (get(value, 'Statement', true) || !get(value, 'RevisionId')) return undefined;
  const policy = get(value, 'Policy');
  return policy?.kind === 'string' ? policy : undefined;
}

export function policyFileKind(file: string, document: PolicyDocument): StandalonePolicyKind {
  const folders = file.split(/[\\/]/).slice(0, -1).map((f) => f.toLowerCase());
  if (folders.includes('scp') || folders.includes('scps')) return 'scp';
  const withPrincipal = document.statements.filter((s) => s.principal.length > 0 || s.notPrincipal.length > 0);
  if (withPrincipal.some((s) => s.action.some((a) => knownString(a)?.toLowerCase().startsWith('sts:assumerole')))) return 'trust';
  return withPrincipal.length > 0 ? 'resource' : 'identity';
}

/**
 * The Lambda permissions an Allow statement of a resource policy amounts to: one per principal.
 * Only a statement whose Resource can be a Lambda function is one: Lambda writes the function's
 * ARN into every statement of its policy, so `"Resource": "*"` (a VPC endpoint policy, an RCP)
 * or another service's ARN grants no invoke on a function.
 */
function invokeGrants(base: { address: string; sourceType: string; range: Range }, statement: Statement): LambdaPermission[] {
  if (knownString(statement.effect) !== 'Allow') return [];
  const action = statement.action.find((a) => {
    const pattern = knownString(a);
    return pattern !== undefined && INVOKE_ACTIONS.some((invoke) => wildcardMatches(pattern, invoke));
  });
  if (!action) return [];
  const functions = statement.resource.filter(mayBeFunction);
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
  return statement.principal.map((principal) => ({
    ...base,
    range: statement.range,
    action: attribute(action),
    principal: attribute(principal.value),
    ...(resource ? { functionName: attribute(resource) } : {}),
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
