import type { Range } from '../range.js';
import { policyDocumentFromValue } from '../policy-document.js';
import { addTerraformPosture } from './posture.js';
import type { Attribute, IdentityPolicyKind, Model } from '../types.js';

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
  /** Nested blocks of a type (e.g. `event_selector` → `data_resource`). */
  blocks(type: string): TerraformBlockView[];
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
  /** CDKTF synth output: the construct path of the resource in the user's CDK code. */
  constructPath?: string;
}

/** Maps one Terraform resource onto the format-neutral model. */
export function addTerraformResource(model: Model, resource: TerraformResourceView): void {
  const { address, type, name } = resource;
  const base = {
    address,
    sourceType: type,
    range: resource.range,
    arnExpression: `${type}.${name}.arn`,
    ...(resource.constructPath !== undefined ? { constructPath: resource.constructPath } : {}),
  };
  model.resources.set(address, base);
  const optional = <K extends string>(key: K, attribute: string, view: TerraformBlockView = resource): Partial<Record<K, Attribute>> => {
    const value = view.attribute(attribute);
    return (value ? { [key]: value } : {}) as Partial<Record<K, Attribute>>;
  };
  switch (type) {
    case 'aws_lambda_function':
      model.functions.push({ ...base, ...optional('functionName', 'function_name') });
      break;
    case 'aws_lambda_permission':
      model.permissions.push({
        ...base,
        ...optional('action', 'action'),
        ...optional('principal', 'principal'),
        ...optional('functionName', 'function_name'),
        ...optional('sourceArn', 'source_arn'),
        ...optional('sourceAccount', 'source_account'),
        ...optional('principalOrgId', 'principal_org_id'),
        ...optional('functionUrlAuthType', 'function_url_auth_type'),
      });
      break;
    case 'aws_lambda_function_url':
      model.functionUrls.push({ ...base, ...optional('authorizationType', 'authorization_type'), ...optional('functionName', 'function_name') });
      break;
    case 'aws_iam_role':
      // Inline policies declared on the role itself.
      for (const inline of resource.blocks('inline_policy')) {
        const policy = inline.attribute('policy');
        if (policy) model.identityPolicies.push({ ...base, range: inline.range, kind: 'role-inline', policy, ...documentOf(policy, model) });
      }
      break;
    default: {
      if (addTerraformPosture(model, resource, base)) break;
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
