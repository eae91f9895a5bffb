import type { Range } from '../model/range.js';
import type { Model } from '../model/types.js';
import { functionPolicies } from './lambda-policy.js';
import { documentNode, policyNode, renderPolicy, type RenderedPolicy } from './policy-json.js';

export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'SERVICE_CONTROL_POLICY';

/** One statement of a checked policy: the resource it belongs to and where it stands in the source. */
export interface CheckedStatement {
  address: string;
  range: Range;
}

/** A policy from the scan, rendered for Access Analyzer, with the checks that apply to it. */
export interface PolicyToCheck {
  /** What the policy belongs to (IG601 findings without a better location name it). */
  address: string;
  range: Range;
  policyType: PolicyType;
  /** ValidatePolicy's `validatePolicyResourceType`, for trust policies. */
  validateResourceType?: 'AWS::IAM::AssumeRolePolicyDocument';
  /** `public`: CheckNoPublicAccess as a Lambda function policy; `invoke`: CheckAccessNotGranted for lambda:InvokeFunction. */
  access?: 'public' | 'invoke';
  rendered: RenderedPolicy;
  /** Statement i of the rendered policy is statements[i]. */
  statements: CheckedStatement[];
}

/**
 * Every policy the scan extracted: identity policies with a known document, raw policy files
 * (SCPs, trust and resource policies; identity files are already identity policies), and one
 * resource policy per Lambda function assembled from the permissions that target it.
 */
export function policiesToCheck(model: Model): PolicyToCheck[] {
  const policies: PolicyToCheck[] = [];
  for (const policy of model.identityPolicies) {
    if (!policy.document || policy.document.statements.length === 0) continue;
    policies.push({
      address: policy.address,
      range: policy.document.range,
      policyType: 'IDENTITY_POLICY',
      access: 'invoke',
      rendered: renderPolicy(documentNode(policy.document)),
      statements: policy.document.statements.map((s) => ({ address: policy.address, range: s.range })),
    });
  }
  const invokeFiles = new Set(model.permissions.map((p) => p.address));
  for (const policy of model.standalonePolicies ?? []) {
    if (policy.kind === 'identity' || policy.document.statements.length === 0) continue;
    policies.push({
      address: policy.address,
      range: policy.document.range,
      policyType: policy.kind === 'scp' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_POLICY',
      ...(policy.kind === 'trust' ? { validateResourceType: 'AWS::IAM::AssumeRolePolicyDocument' as const } : {}),
      ...(policy.kind === 'resource' && invokeFiles.has(policy.address) ? { access: 'public' as const } : {}),
      rendered: renderPolicy(documentNode(policy.document)),
      statements: policy.document.statements.map((s) => ({ address: policy.address, range: s.range })),
    });
  }
  for (const fn of functionPolicies(model)) {
    const first = fn.permissions[0];
    policies.push({
      address: first.address,
      range: first.range,
      policyType: 'RESOURCE_POLICY',
      access: 'public',
      rendered: renderPolicy(policyNode(fn.statements, first.range)),
      statements: fn.permissions.map((p) => ({ address: p.address, range: p.range })),
    });
  }
  return policies;
}
