import { dirname } from 'node:path';
import { lambdaFunctionName } from '../iam/arn.js';
import type { Attribute, LambdaPermission, Model } from '../model/types.js';
import { knownString } from '../model/value.js';
import { PLACEHOLDER_ACCOUNT, valueNode, type JsonNode } from './policy-json.js';

/** The permissions that end up in one function's resource policy, and the statements Lambda would write for them. */
export interface FunctionPolicy {
  /** The function as the permissions name it (a name, an ARN, or the address of a function in the scan). */
  key: string;
  permissions: LambdaPermission[];
  statements: JsonNode[];
}

/**
 * Groups the scan's Lambda permissions by the function they attach to and renders each as the
 * statement Lambda's AddPermission would add (principal, action, function ARN, and the
 * SourceArn / SourceAccount / PrincipalOrgID / FunctionUrlAuthType / EventSourceToken conditions). Permissions read
 * from a raw resource-policy file are left out: that file is the policy and is checked as written.
 */
export function functionPolicies(model: Model): FunctionPolicy[] {
  const groups = new Map<string, LambdaPermission[]>();
  for (const permission of model.permissions) {
    if (permission.policyStatement) continue;
    const key = functionKey(permission);
    groups.set(key, [...(groups.get(key) ?? []), permission]);
  }
  return [...groups].map(([key, permissions]) => ({ key, permissions, statements: permissions.map(permissionStatement) }));
}

/**
 * The function a permission attaches to: its name without qualifier, or the scanned function it
 * references; within the permission's folder, since each folder (root module, template) deploys apart.
 */
function functionKey(permission: LambdaPermission): string {
  const value = permission.functionName?.value;
  const name = knownString(value);
  const scope = dirname(permission.range.file);
  if (name !== undefined) return `${scope}|${lambdaFunctionName(name) ?? name}`;
  if (value?.kind === 'unknown' && value.resource) return `${scope}|${value.resource}`;
  return `${scope}|${permission.address}`;
}

function permissionStatement(permission: LambdaPermission): JsonNode {
  const entries: Array<[string, JsonNode]> = [['Effect', { kind: 'string', value: 'Allow', range: permission.range }]];
  if (permission.principal) entries.push(['Principal', principalNode(permission.principal)]);
  entries.push(['Action', permission.action ? valueNode(permission.action.value, 'other') : { kind: 'string', value: 'lambda:InvokeFunction', range: permission.range }]);
  entries.push(['Resource', functionArnNode(permission)]);
  const conditions: Array<[string, string, Attribute | undefined]> = [
    ['StringEquals', 'AWS:SourceAccount', permission.sourceAccount],
    ['StringEquals', 'aws:PrincipalOrgID', permission.principalOrgId],
    ['StringEquals', 'lambda:FunctionUrlAuthType', permission.functionUrlAuthType],
    ['StringEquals', 'lambda:EventSourceToken', permission.eventSourceToken],
    ['ArnLike', 'AWS:SourceArn', permission.sourceArn],
  ];
  const byOperator = new Map<string, Array<[string, JsonNode]>>();
  for (const [operator, key, attribute] of conditions) {
    if (!attribute || attribute.value.kind === 'null') continue;
    byOperator.set(operator, [...(byOperator.get(operator) ?? []), [key, valueNode(attribute.value, operator === 'ArnLike' ? 'arn' : key === 'AWS:SourceAccount' ? 'account' : 'other')]]);
  }
  if (byOperator.size > 0)
    entries.push(['Condition', { kind: 'object', entries: [...byOperator].map(([op, es]) => [op, { kind: 'object', entries: es }]), range: permission.range }]);
  return { kind: 'object', entries, range: permission.range };
}

/** Lambda's mapping of AddPermission's `Principal`: `*`, an account id, a service, or an ARN. */
function principalNode(principal: Attribute): JsonNode {
  const text = knownString(principal.value);
  const range = principal.range;
  if (text === '*') return { kind: 'string', value: '*', range };
  if (text !== undefined && /^\d{12}$/.test(text)) return { kind: 'object', entries: [['AWS', { kind: 'string', value: `arn:aws:iam::${text}:root`, range }]], range };
  if (text !== undefined && /\.amazonaws\.com$|\.amazon\.com$/.test(text)) return { kind: 'object', entries: [['Service', { kind: 'string', value: text, range }]], range };
  return { kind: 'object', entries: [['AWS', valueNode(principal.value, 'principal')]], range };
}

function functionArnNode(permission: LambdaPermission): JsonNode {
  const attribute = permission.functionName;
  const name = knownString(attribute?.value);
  const range = attribute?.range ?? permission.range;
  if (name === undefined) return { kind: 'string', value: `arn:aws:lambda:us-east-1:${PLACEHOLDER_ACCOUNT}:function:invokeguard-unknown`, range, placeholder: true };
  if (name.startsWith('arn:')) return { kind: 'string', value: name, range };
  // A bare name gets the region and account the function would live in; those are not in the source.
  return { kind: 'string', value: `arn:aws:lambda:us-east-1:${PLACEHOLDER_ACCOUNT}:function:${name}`, range, placeholder: true };
}
