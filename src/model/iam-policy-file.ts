import { policyDocumentFromValue } from './policy-document.js';
import { resourcePolicyGrants } from './resource-policy-grants.js';
import type { Model, PolicyDocument, StandalonePolicyKind } from './types.js';
import { get, knownString, type Value } from './value.js';

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
    model.permissions.push(...resourcePolicyGrants(base, document));
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

