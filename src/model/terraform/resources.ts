import type { Range } from '../range.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Attribute, IdentityPolicyKind, Model, ResourceBase } from '../types.js';

const IDENTITY_POLICY_TYPES: Record<string, IdentityPolicyKind> = {
  aws_iam_policy: 'managed',
  aws_iam_role_policy: 'role-inline',
  aws_iam_user_policy: 'user-inline',
  aws_iam_group_policy: 'group-inline',
};

/** A nested block of a resource (e.g. `inline_policy`), seen through its attributes. */
export interface TerraformBlockView {
  range: Range;
  attribute(name: string): Attribute | undefined;
}

/**
 * A Terraform resource as any Terraform format presents it (HCL evaluated, tf.json, plan JSON):
 * the one mapping below turns it into the format-neutral model.
 */
export interface TerraformResourceView extends TerraformBlockView {
  /** Full address, module prefix included: `module.app.aws_lambda_permission.api`. */
  address: string;
  type: string;
  name: string;
  blocks(type: string): TerraformBlockView[];
  /** CDKTF synth output: the construct path of the resource in the user's CDK code. */
  constructPath?: string;
}

/** Maps one Terraform resource onto the format-neutral model. */
export function addTerraformResource(model: Model, resource: TerraformResourceView): void {
  const { address, type, name } = resource;
  // Built by assignment, not spreads of optional parts: one object shape, much faster at 10,000s of resources.
  const base: ResourceBase = { address, sourceType: type, range: resource.range, arnExpression: `${type}.${name}.arn` };
  if (resource.constructPath !== undefined) base.constructPath = resource.constructPath;
  model.resources.set(address, base);
  /** A copy of `base` plus each listed attribute the resource sets (key in the model ← attribute name). */
  const withAttributes = <T extends ResourceBase>(attributes: Record<string, string>, view: TerraformBlockView = resource): T => {
    const out: Record<string, unknown> = { ...base };
    for (const key in attributes) {
      const value = view.attribute(attributes[key]);
      if (value) out[key] = value;
    }
    return out as T;
  };
  switch (type) {
    case 'aws_lambda_function':
      model.functions.push(withAttributes({ functionName: 'function_name' }));
      break;
    case 'aws_lambda_permission':
      model.permissions.push(
        withAttributes({
          action: 'action',
          principal: 'principal',
          functionName: 'function_name',
          sourceArn: 'source_arn',
          sourceAccount: 'source_account',
          principalOrgId: 'principal_org_id',
          functionUrlAuthType: 'function_url_auth_type',
        }),
      );
      break;
    case 'aws_lambda_function_url':
      model.functionUrls.push(withAttributes({ authorizationType: 'authorization_type', functionName: 'function_name' }));
      break;
    case 'aws_iam_role':
      // Inline policies declared on the role itself.
      for (const inline of resource.blocks('inline_policy')) {
        const policy = inline.attribute('policy');
        if (policy) model.identityPolicies.push({ ...base, range: inline.range, kind: 'role-inline', policy, ...documentOf(policy, model) });
      }
      break;
    default: {
      const kind = IDENTITY_POLICY_TYPES[type];
      const policy = kind ? resource.attribute('policy') : undefined;
      if (kind && policy) model.identityPolicies.push({ ...base, kind, policy, ...documentOf(policy, model) });
    }
  }
}

function documentOf(policy: Attribute, model: Model) {
  const document = policyDocumentFromValue(policy.value, model.errors);
  return document ? { document } : {};
}
