import { attachManagedPolicy, selfRef } from '../aws-managed.js';
import type { Range } from '../range.js';
import { policyDocumentFromValue } from '../policy-document.js';
import { addResourcePolicy } from '../resource-policy-grants.js';
import { addTerraformPosture, POSTURE_TYPES } from './posture.js';
import { internType } from './intern.js';
import { copyBase, type Attribute, type FunctionUrl, type GroupMembership, type IamIdentity, type IdentityKind, type IdentityPolicy, type IdentityPolicyKind, type IdentityRef, type LambdaFunction, type LambdaPermission, type Model, type ResourceBase } from '../types.js';
import { asList, knownString, type Value } from '../value.js';

const IDENTITY_POLICY_TYPES: Record<string, IdentityPolicyKind> = {
  aws_iam_policy: 'managed',
  aws_iam_role_policy: 'role-inline',
  aws_iam_user_policy: 'user-inline',
  aws_iam_group_policy: 'group-inline',
  aws_ssoadmin_permission_set_inline_policy: 'permission-set-inline',
};

/** The attribute holding an identity policy's document, where it is not `policy`. */
const POLICY_ATTRIBUTE: Record<string, string> = { aws_ssoadmin_permission_set_inline_policy: 'inline_policy' };

/** The attribute naming the identity an inline policy belongs to. */
const INLINE_OWNER: Record<string, [IdentityKind, string]> = {
  aws_iam_role_policy: ['role', 'role'],
  aws_iam_user_policy: ['user', 'user'],
  aws_iam_group_policy: ['group', 'group'],
  aws_ssoadmin_permission_set_inline_policy: ['permission-set', 'permission_set_arn'],
};

const IDENTITY_TYPES: Record<string, IdentityKind> = { aws_iam_role: 'role', aws_iam_user: 'user', aws_iam_group: 'group', aws_ssoadmin_permission_set: 'permission-set' };

/** Attachment resources: the attributes naming the identities (one each, or lists for `aws_iam_policy_attachment`); the policy is `policy_arn` (see ATTACHED_POLICY). */
const ATTACHMENT_TYPES: Record<string, Array<[IdentityKind, string, 'one' | 'list']>> = {
  aws_iam_role_policy_attachment: [['role', 'role', 'one']],
  aws_iam_user_policy_attachment: [['user', 'user', 'one']],
  aws_iam_group_policy_attachment: [['group', 'group', 'one']],
  aws_iam_policy_attachment: [
    ['role', 'roles', 'list'],
    ['user', 'users', 'list'],
    ['group', 'groups', 'list'],
  ],
  aws_ssoadmin_managed_policy_attachment: [['permission-set', 'permission_set_arn', 'one']],
};

/** The attribute naming an attachment's policy, where it is not `policy_arn`. */
const ATTACHED_POLICY: Record<string, string> = { aws_ssoadmin_managed_policy_attachment: 'managed_policy_arn' };

/**
 * `aws_iam_*_policy_attachments_exclusive`: the identity (by name) and `policy_arns`, the complete set of
 * managed policies it has attached; each ARN is an attachment of its own, located at its list element.
 */
const EXCLUSIVE_ATTACHMENT_TYPES: Record<string, [IdentityKind, string]> = {
  aws_iam_role_policy_attachments_exclusive: ['role', 'role_name'],
  aws_iam_user_policy_attachments_exclusive: ['user', 'user_name'],
  aws_iam_group_policy_attachments_exclusive: ['group', 'group_name'],
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
  /** An instance of a block with count/for_each: the block's address (`address` adds the instance key). */
  instanceOf?: string;
  /** HCL: the root module folder the instance comes from (see ResourceBase.root). */
  root?: string;
}

/**
 * The types mapped beyond their ResourceBase (the cases below, attachments, identity policies,
 * posture). Every other resource (buckets, queues, log groups, …: most of a typical repository) is
 * only an entry in `model.resources`, which `addResourceBase` makes without a view or an evaluator.
 * A case missing here is never reached, so its own tests catch the omission.
 */
const MODELLED_TYPES: ReadonlySet<string> = new Set([
  'aws_lambda_function',
  'aws_lambda_permission',
  'aws_lambda_resource_policy',
  'aws_lambda_function_url',
  ...Object.keys(IDENTITY_TYPES),
  'aws_iam_user_group_membership',
  'aws_iam_group_membership',
  ...Object.keys(ATTACHMENT_TYPES),
  ...Object.keys(EXCLUSIVE_ATTACHMENT_TYPES),
  ...Object.keys(IDENTITY_POLICY_TYPES),
  ...POSTURE_TYPES,
]);

/**
 * The types whose grants, documents and boundaries a value decided at plan time may widen: each is modelled
 * under every combination of the plan-time choices it meets (see addPlanVariants).
 */
const VARIANT_TYPES: ReadonlySet<string> = new Set([
  'aws_lambda_permission',
  'aws_lambda_resource_policy',
  'aws_lambda_function_url',
  ...Object.keys(IDENTITY_TYPES),
  ...Object.keys(IDENTITY_POLICY_TYPES),
]);

/** Whether a plan-time choice in this type's attributes is modelled as variants of it. */
export function hasPlanVariants(type: string): boolean {
  return VARIANT_TYPES.has(type);
}

/** Whether `addTerraformResource` models more of this type than `addResourceBase` does. */
export function isModelledType(type: string): boolean {
  return MODELLED_TYPES.has(type);
}

/** Records a resource in `model.resources` (what every resource is, modelled further or not) and returns that entry. */
export function addResourceBase(model: Model, address: string, type: string, name: string, range: Range, constructPath: string | undefined, instanceOf?: string, root?: string): ResourceBase {
  const sourceType = internType(type);
  // An instance's own address within its module: `type.name` and its key (`[0]`, `["k"]`).
  const local = instanceOf === undefined ? (ownAddress(address, type, name) ? address : `${sourceType}.${name}`) : `${sourceType}.${name}${address.slice(instanceOf.length)}`;
  // Built by assignment, not spreads of optional parts: one object shape, much faster at 10,000s of resources.
  const base: ResourceBase = { address, sourceType, range, arnExpression: `${local}.arn` };
  if (constructPath !== undefined) base.constructPath = constructPath;
  if (instanceOf !== undefined) base.instanceOf = instanceOf;
  if (root !== undefined) base.root = root;
  model.resources.push(base);
  return base;
}

/** Whether `address` is exactly `type.name` (no module prefix): the arn expression then reuses it rather than build a string of its own. */
function ownAddress(address: string, type: string, name: string): boolean {
  return address.length === type.length + 1 + name.length && address.startsWith(type) && address.charCodeAt(type.length) === 46 /* . */ && address.endsWith(name);
}

/** Maps one Terraform resource onto the format-neutral model. */
export function addTerraformResource(model: Model, resource: TerraformResourceView): void {
  const { address, type } = resource;
  const base = addResourceBase(model, address, type, resource.name, resource.range, resource.constructPath, resource.instanceOf, resource.root);
  if (!MODELLED_TYPES.has(type)) return;
  switch (type) {
    case 'aws_lambda_function': {
      // Each model object is a copy of `base` plus the attributes the resource sets, assigned by
      // name: a table of attribute names assigned in a loop made megamorphic keyed stores.
      const fn: LambdaFunction = copyBase(base);
      const functionName = resource.attribute('function_name');
      if (functionName) fn.functionName = functionName;
      const role = resource.attribute('role');
      if (role) fn.role = role;
      model.functions.push(fn);
      break;
    }
    case 'aws_lambda_permission': {
      const permission: LambdaPermission = copyBase(base);
      const action = resource.attribute('action');
      if (action) permission.action = action;
      const principal = resource.attribute('principal');
      if (principal) permission.principal = principal;
      const functionName = resource.attribute('function_name');
      if (functionName) permission.functionName = functionName;
      const sourceArn = optionalArgument(resource, 'source_arn');
      if (sourceArn) permission.sourceArn = sourceArn;
      const sourceAccount = optionalArgument(resource, 'source_account');
      if (sourceAccount) permission.sourceAccount = sourceAccount;
      const principalOrgId = optionalArgument(resource, 'principal_org_id');
      if (principalOrgId) permission.principalOrgId = principalOrgId;
      const functionUrlAuthType = optionalArgument(resource, 'function_url_auth_type');
      if (functionUrlAuthType) permission.functionUrlAuthType = functionUrlAuthType;
      const eventSourceToken = optionalArgument(resource, 'event_source_token');
      if (eventSourceToken) permission.eventSourceToken = eventSourceToken;
      model.permissions.push(permission);
      break;
    }
    case 'aws_lambda_resource_policy': {
      // PutResourcePolicy: the whole policy of the function (version or alias) `resource_arn` names.
      const policy = resource.attribute('policy');
      const document = policy ? policyDocumentFromValue(policy.value, model.errors) : undefined;
      if (document) addResourcePolicy(model, base, document, resource.attribute('resource_arn'));
      break;
    }
    case 'aws_lambda_function_url': {
      const url: FunctionUrl = copyBase(base);
      const authorizationType = resource.attribute('authorization_type');
      if (authorizationType) url.authorizationType = authorizationType;
      const functionName = resource.attribute('function_name');
      if (functionName) url.functionName = functionName;
      model.functionUrls.push(url);
      break;
    }
    case 'aws_iam_role':
    case 'aws_iam_user':
    case 'aws_iam_group':
    case 'aws_ssoadmin_permission_set':
      addIdentity(model, base, IDENTITY_TYPES[type], resource);
      break;
    case 'aws_iam_user_group_membership':
    case 'aws_iam_group_membership': {
      const [users, groups] = type === 'aws_iam_group_membership' ? [asList(resource.attribute('users')?.value), [resource.attribute('group')?.value]] : [[resource.attribute('user')?.value], asList(resource.attribute('groups')?.value)];
      const known = (values: Array<Value | undefined>) => values.filter((v): v is Value => v !== undefined);
      const membership: GroupMembership = { address, range: resource.range, users: known(users), groups: known(groups) };
      if (base.root !== undefined) membership.root = base.root;
      (model.memberships ??= []).push(membership);
      break;
    }
    default: {
      if (addTerraformPosture(model, resource, base)) break;
      const exclusive = EXCLUSIVE_ATTACHMENT_TYPES[type];
      if (exclusive) {
        const holder = resource.attribute(exclusive[1])?.value;
        const holders: IdentityRef[] = holder ? [{ kind: exclusive[0], value: holder }] : [];
        for (const arn of asList(resource.attribute('policy_arns')?.value)) attachManagedPolicy(model, base, arn, holders);
        break;
      }
      const attachment = ATTACHMENT_TYPES[type];
      const policyArn = attachment ? resource.attribute(ATTACHED_POLICY[type] ?? 'policy_arn') : undefined;
      if (attachment && policyArn) {
        const holders = attachment.flatMap(([kind, name, arity]) => {
          const value = resource.attribute(name)?.value;
          return (arity === 'list' ? asList(value) : value ? [value] : []).map((v): IdentityRef => ({ kind, value: v }));
        });
        attachManagedPolicy(model, base, policyArn.value, holders);
        break;
      }
      const kind = IDENTITY_POLICY_TYPES[type];
      const policy = kind ? resource.attribute(POLICY_ATTRIBUTE[type] ?? 'policy') : undefined;
      if (!kind || !policy) break;
      const owner = INLINE_OWNER[type];
      const holder = owner ? resource.attribute(owner[1]) : undefined;
      const name = knownString(resource.attribute('name')?.value);
      const identityPolicy = copyBase(base) as IdentityPolicy; // kind and policy are assigned next
      identityPolicy.kind = kind;
      identityPolicy.policy = policy;
      const document = policyDocumentFromValue(policy.value, model.errors);
      if (document) identityPolicy.document = document;
      if (owner) identityPolicy.holders = holder ? [{ kind: owner[0], value: holder.value }] : [];
      if (name !== undefined) identityPolicy.name = name;
      model.identityPolicies.push(identityPolicy);
    }
  }
}

/**
 * An optional string argument of `aws_lambda_permission`. The provider sends each to AddPermission only when
 * `d.GetOk` reports it set, and GetOk reports `""` as unset: `principal = "*"` with `principal_org_id = ""`
 * (or a variable defaulting to `""`) is a public grant. So `""` is modelled as null, what a plan writes for an
 * argument left out and what every rule reads as absent; the attribute keeps its range, so a fix sets it in place.
 */
function optionalArgument(resource: TerraformResourceView, name: string): Attribute | undefined {
  const attribute = resource.attribute(name);
  if (attribute?.value.kind !== 'string' || attribute.value.value !== '') return attribute;
  return { value: { kind: 'null', range: attribute.value.range }, range: attribute.range };
}

/** A role, user or group: its name, a role's trust policy, its inline policies and `managed_policy_arns`. */
function addIdentity(model: Model, base: ResourceBase, kind: IdentityKind, resource: TerraformResourceView): void {
  const name = knownString(resource.attribute('name')?.value);
  const trust = kind === 'role' ? resource.attribute('assume_role_policy') : undefined;
  const trustDocument = trust ? policyDocumentFromValue(trust.value, model.errors) : undefined;
  const identity = copyBase(base) as IamIdentity; // kind is assigned next
  identity.kind = kind;
  if (name !== undefined) identity.name = name;
  if (trust) identity.trust = trust;
  if (trustDocument) identity.trustDocument = trustDocument;
  // Groups cannot have one (a permission set's is a resource of its own, not modelled); a plan writes `null` for none.
  const boundary = kind === 'group' || kind === 'permission-set' ? undefined : resource.attribute('permissions_boundary');
  if (boundary && boundary.value.kind !== 'null') identity.boundary = boundary;
  (model.identities ??= []).push(identity);
  const self: IdentityRef[] = [{ kind, value: selfRef(base) }];
  for (const inline of resource.blocks('inline_policy')) {
    const policy = inline.attribute('policy');
    const inlineName = knownString(inline.attribute('name')?.value);
    if (!policy) continue;
    const inlinePolicy = copyBase(base, inline.range) as IdentityPolicy; // kind and policy are assigned next
    inlinePolicy.kind = 'role-inline';
    inlinePolicy.policy = policy;
    inlinePolicy.holders = self;
    inlinePolicy.partOfHolder = true;
    const document = policyDocumentFromValue(policy.value, model.errors);
    if (document) inlinePolicy.document = document;
    if (inlineName !== undefined) inlinePolicy.name = inlineName;
    model.identityPolicies.push(inlinePolicy);
  }
  for (const arn of asList(resource.attribute('managed_policy_arns')?.value)) attachManagedPolicy(model, base, arn, self, { partOfHolder: true });
}
