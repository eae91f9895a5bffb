import type { InputError } from '../parse/types.js';
import type { Posture } from './posture.js';
import type { Range } from './range.js';
import type { Value } from './value.js';

/** An attribute as written on a resource: its evaluated value and where the attribute stands. */
export interface Attribute {
  value: Value;
  range: Range;
}

/** What every modelled resource shares, whatever format it came from. */
export interface ResourceBase {
  /** Terraform address (`module.app.aws_lambda_permission.api`) or CloudFormation logical id. */
  address: string;
  /** The type as written in the source (`aws_lambda_permission`, `AWS::Lambda::Permission`). */
  sourceType: string;
  range: Range;
  /** The expression a user writes to refer to this resource's ARN in the same module/template. */
  arnExpression?: string;
  /** CDK-for-Terraform: the construct path (`stack/construct/…`) the resource was synthesised from. */
  constructPath?: string;
}

export interface LambdaFunction extends ResourceBase {
  functionName?: Attribute;
}

/** A resource-based invoke grant: `aws_lambda_permission`, `AWS::Lambda::Permission`, SAM events. */
export interface LambdaPermission extends ResourceBase {
  action?: Attribute;
  principal?: Attribute;
  functionName?: Attribute;
  sourceArn?: Attribute;
  sourceAccount?: Attribute;
  principalOrgId?: Attribute;
  functionUrlAuthType?: Attribute;
}

export interface FunctionUrl extends ResourceBase {
  authorizationType?: Attribute;
  functionName?: Attribute;
}

export interface Principal {
  /** `*` when the principal is the bare wildcard. */
  type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  value: Value;
}

export interface Condition {
  operator: string;
  key: string;
  values: Value[];
  range: Range;
}

export interface Statement {
  range: Range;
  sid?: string;
  effect?: Value;
  action: Value[];
  notAction: Value[];
  resource: Value[];
  notResource: Value[];
  principal: Principal[];
  notPrincipal: Principal[];
  condition: Condition[];
}

export interface PolicyDocument {
  range: Range;
  statements: Statement[];
}

export type IdentityPolicyKind = 'managed' | 'role-inline' | 'user-inline' | 'group-inline' | 'standalone';

/** A policy attached (or attachable) to IAM identities. `document` is absent when it cannot be evaluated. */
export interface IdentityPolicy extends ResourceBase {
  kind: IdentityPolicyKind;
  /** The attribute holding the document (`policy`, `PolicyDocument`). */
  policy: Attribute;
  document?: PolicyDocument;
}

/** What a policy document stored on its own (a raw IAM JSON file) is, by its content and place. */
export type StandalonePolicyKind = 'identity' | 'resource' | 'trust' | 'scp';

/** A policy file scanned on its own; identity and Lambda resource policies are also modelled as IdentityPolicy / LambdaPermission. */
export interface StandalonePolicy {
  kind: StandalonePolicyKind;
  /** The file path, as findings show it. */
  address: string;
  document: PolicyDocument;
}

/** A resource we do not analyse but whose existence matters (e.g. a `source_arn` that references it). */
export interface OtherResource extends ResourceBase {}

/** The format-neutral model every rule reads. */
export interface Model {
  functions: LambdaFunction[];
  permissions: LambdaPermission[];
  functionUrls: FunctionUrl[];
  identityPolicies: IdentityPolicy[];
  /** Every resource address in the scan, by address, with its source type. */
  resources: Map<string, ResourceBase>;
  errors: InputError[];
  /** Raw IAM policy files (trust policies and SCPs are only stored, for guardrail rules). */
  standalonePolicies?: StandalonePolicy[];
  /** Organisation and account-baseline resources (SCPs, attachments, trails, GuardDuty, …), for guardrail rules. */
  posture?: Posture;
}

export function emptyModel(): Model {
  return { functions: [], permissions: [], functionUrls: [], identityPolicies: [], resources: new Map(), errors: [] };
}
