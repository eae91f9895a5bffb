import { wildcardMatches } from '../iam/wildcard.js';
import { policyDocumentFromValue } from './policy-document.js';
import type { Range } from './range.js';
import type { Attribute, LambdaPermission, Model, PolicyDocument, StandalonePolicyKind, Statement } from './types.js';
import { knownString, type Value } from './value.js';

const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

/** Condition keys of a resource policy statement that scope who may use the grant (keys are case-insensitive). */
const SCOPING_KEYS: Record<string, 'sourceArn' | 'sourceAccount' | 'principalOrgId' | 'functionUrlAuthType'> = {
  'aws:sourcearn': 'sourceArn',
  'aws:sourceaccount': 'sourceAccount',
  'aws:principalorgid': 'principalOrgId',
  'lambda:functionurlauthtype': 'functionUrlAuthType',
};

/**
 * Adds a raw IAM policy file (top level `Statement`) to the model. Its kind comes from its place
 * (a folder named `scp`/`scps`, or a path given with `--scp`) and content: a trust policy allows `sts:AssumeRole*` to a
 * Principal, a resource policy names a Principal, anything else is an identity policy.
 * Identity policies become IdentityPolicy (kind `standalone`); each Allow statement of a resource
 * policy that grants Lambda invoke becomes one LambdaPermission per principal.
 */
export function addIamPolicyFile(model: Model, file: string, value: Value, knownScp = false): void {
  if (value.kind !== 'object') return;
  const document = policyDocumentFromValue(value, model.errors);
  if (!document) return;
  const kind = knownScp ? 'scp' : policyFileKind(file, document);
  (model.standalonePolicies ??= []).push({ kind, address: file, document });
  const base = { address: file, sourceType: `iam-json:${kind}`, range: value.range };
  model.resources.set(file, base);
  if (kind === 'identity') {
    model.identityPolicies.push({ ...base, kind: 'standalone', policy: { value, range: value.range }, document });
  } else if (kind === 'resource') {
    for (const statement of document.statements) model.permissions.push(...invokeGrants(base, statement));
  }
}

export function policyFileKind(file: string, document: PolicyDocument): StandalonePolicyKind {
  const folders = file.split(/[\\/]/).slice(0, -1).map((f) => f.toLowerCase());
  if (folders.includes('scp') || folders.includes('scps')) return 'scp';
  const withPrincipal = document.statements.filter((s) => s.principal.length > 0 || s.notPrincipal.length > 0);
  if (withPrincipal.some((s) => s.action.some((a) => knownString(a)?.toLowerCase().startsWith('sts:assumerole')))) return 'trust';
  return withPrincipal.length > 0 ? 'resource' : 'identity';
}

/** The Lambda permissions an Allow statement of a resource policy amounts to: one per principal. */
function invokeGrants(base: { address: string; sourceType: string; range: Range }, statement: Statement): LambdaPermission[] {
  if (knownString(statement.effect) !== 'Allow') return [];
  const action = statement.action.find((a) => {
    const pattern = knownString(a);
    return pattern !== undefined && INVOKE_ACTIONS.some((invoke) => wildcardMatches(pattern, invoke));
  });
  if (!action) return [];
  const scoping: Partial<Record<(typeof SCOPING_KEYS)[string], Attribute>> = {};
  for (const condition of statement.condition) {
    const field = SCOPING_KEYS[condition.key.toLowerCase()];
    // A negated operator (StringNotEquals, ArnNotLike) excludes rather than scopes.
    if (!field || /not/i.test(condition.operator) || condition.values.length === 0) continue;
    const value: Value = condition.values.length === 1 ? condition.values[0] : { kind: 'list', items: condition.values, range: condition.range };
    scoping[field] = { value, range: condition.range };
  }
  const [resource] = statement.resource;
  return statement.principal.map((principal) => ({
    ...base,
    range: statement.range,
    action: attribute(action),
    principal: attribute(principal.value),
    ...(resource ? { functionName: attribute(resource) } : {}),
    ...scoping,
  }));
}

function attribute(value: Value): Attribute {
  return { value, range: value.range };
}
