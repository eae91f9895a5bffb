import type { HclBlock, HclBody } from '../../parse/terraform-hcl/hcl-ast.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Attribute, IdentityPolicyKind, Model } from '../types.js';
import type { Evaluator } from './evaluate.js';

const IDENTITY_POLICY_TYPES: Record<string, IdentityPolicyKind> = {
  aws_iam_policy: 'managed',
  aws_iam_role_policy: 'role-inline',
  aws_iam_user_policy: 'user-inline',
  aws_iam_group_policy: 'group-inline',
};

/** Maps one Terraform resource block onto the format-neutral model. */
export function addTerraformResource(model: Model, type: string, name: string, block: HclBlock, evaluator: Evaluator): void {
  const address = `${evaluator.module.prefix}${type}.${name}`;
  const base = { address, sourceType: type, range: block.range, arnExpression: `${type}.${name}.arn` };
  model.resources.set(address, base);
  const attr = (body: HclBody, attribute: string): Attribute | undefined => {
    const found = body.attributes.find((a) => a.name === attribute);
    return found ? { value: evaluator.evaluate(found.expr), range: found.range } : undefined;
  };
  const optional = <K extends string>(key: K, value: Attribute | undefined): Partial<Record<K, Attribute>> =>
    (value ? { [key]: value } : {}) as Partial<Record<K, Attribute>>;
  const body = block.body;
  switch (type) {
    case 'aws_lambda_function':
      model.functions.push({ ...base, ...optional('functionName', attr(body, 'function_name')) });
      break;
    case 'aws_lambda_permission':
      model.permissions.push({
        ...base,
        ...optional('action', attr(body, 'action')),
        ...optional('principal', attr(body, 'principal')),
        ...optional('functionName', attr(body, 'function_name')),
        ...optional('sourceArn', attr(body, 'source_arn')),
        ...optional('sourceAccount', attr(body, 'source_account')),
        ...optional('principalOrgId', attr(body, 'principal_org_id')),
        ...optional('functionUrlAuthType', attr(body, 'function_url_auth_type')),
      });
      break;
    case 'aws_lambda_function_url':
      model.functionUrls.push({
        ...base,
        ...optional('authorizationType', attr(body, 'authorization_type')),
        ...optional('functionName', attr(body, 'function_name')),
      });
      break;
    case 'aws_iam_role':
      // Inline policies declared on the role itself.
      for (const inline of body.blocks.filter((b) => b.type === 'inline_policy')) {
        const policy = attr(inline.body, 'policy');
        if (!policy) continue;
        model.identityPolicies.push({ ...base, range: inline.range, kind: 'role-inline', policy, ...optionalDocument(policy, model) });
      }
      break;
    default: {
      const kind = IDENTITY_POLICY_TYPES[type];
      const policy = kind ? attr(body, 'policy') : undefined;
      if (kind && policy) model.identityPolicies.push({ ...base, kind, policy, ...optionalDocument(policy, model) });
    }
  }
}

function optionalDocument(policy: Attribute, model: Model) {
  const document = policyDocumentFromValue(policy.value, model.errors);
  return document ? { document } : {};
}
