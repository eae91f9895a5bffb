import type { InputError } from '../parse/types.js';
import type { Posture } from './posture.js';
import type { ResourceReference } from './references.js';
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
  /**
   * One instance of a Terraform block with count/for_each (`aws_x.y["k"]`): the block's address (`aws_x.y`), which every instance shares;
   * a resource CloudFormation `Fn::ForEach` generates: its key as written in the loop body (`Permission${Name}`).
   */
  instanceOf?: string;
  /**
   * Terraform (HCL): the root module folder this instance was instantiated from. A local module two
   * roots call under one name gives both the same address in the same file (the module's); only the
   * root tells `envs/dev`'s instance from `envs/prod`'s, and a reference written in one root never
   * means the other's. Absent for CloudFormation and plans.
   */
  root?: string;
  /**
   * CloudFormation, a nested stack's resource: the file of the root template whose tree instantiated
   * it (a root template's own resources leave it out: their tree is their file). A root and what it
   * nests deploy as one stack and name each other's resources through parameters and outputs; two
   * roots nesting one child template each get an instance of it, told apart only by this.
   */
  rootTemplate?: string;
  /** The resources of its template or module its definition refers to, as written (see ResourceReference); on `model.resources` entries only. */
  references?: readonly ResourceReference[];
}

export interface LambdaFunction extends ResourceBase {
  functionName?: Attribute;
  /** The execution role as written (`role`, `Role`): a reference, an ARN, or unknown. */
  role?: Attribute;
}

/**
 * A resource-based invoke grant: `aws_lambda_permission`, `AWS::Lambda::Permission`, SAM events; or one principal of an
 * Allow statement of a whole resource policy (a policy file, `aws_lambda_resource_policy`, `AWS::Lambda::ResourcePolicy`).
 */
export interface LambdaPermission extends ResourceBase {
  /**
   * Read from a statement of a whole resource policy, not AddPermission's arguments: fixes and suggestions speak of the
   * statement, in its syntax (`block`: an `aws_iam_policy_document` statement block; `json`: a JSON or YAML statement).
   */
  policyStatement?: 'json' | 'block';
  /** The action as written; of a policy statement, the Action entry that covers invoke, else its first entry (absent with NotAction). */
  action?: Attribute;
  /** A policy statement's Action entries, all of them (IG105 weighs every one; `action` is among them). */
  statementActions?: Attribute[];
  /** A policy statement with NotAction instead of Action: it grants every action but these. */
  notAction?: Attribute[];
  /**
   * Unconditional Deny statements of the same resource policy that cover this grant's principal and function: what they
   * cover, the grant does not give (see iam/permission-actions.ts).
   */
  denials?: Statement[];
  principal?: Attribute;
  functionName?: Attribute;
  sourceArn?: Attribute;
  sourceAccount?: Attribute;
  principalOrgId?: Attribute;
  functionUrlAuthType?: Attribute;
  /** `event_source_token` / `EventSourceToken` (SAM `AlexaSkill` `SkillId`): the Alexa skill id, the only thing that pins an Alexa principal. */
  eventSourceToken?: Attribute;
  /** Conditions of a hand-written policy statement that narrow its callers beyond the fields above (see iam/caller-conditions.ts). */
  callerConditions?: CallerCondition[];
  /**
   * Conditions of a hand-written policy statement on a scoping key whose operator does not scope (`StringEqualsIfExists`, a negation)
   * or whose account or organisation id has a wildcard (`wildcard`): named in messages.
   */
  unscopingConditions?: Array<{ key: string; operator: string; wildcard?: true }>;
}

/** What a condition narrows a grant's callers to: one account or principal, the caller's or the calling resource's organisation, your network, AWS services only. */
export type CallerScope = 'account' | 'organisation' | 'source-organisation' | 'network' | 'aws-service';

export interface CallerCondition {
  /** The condition key as written (`aws:PrincipalAccount`). */
  key: string;
  scope: CallerScope;
  /** The values it compares with, as written (IG103 reads the accounts an aws:PrincipalAccount condition names). */
  values: Value[];
  range: Range;
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
  /** The operator's entry as written (`StringEquals = {…}`, key through value); absent for HCL `condition` blocks. */
  operatorRange?: Range;
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
  /**
   * Where a condition the scan cannot read stands (a variable in place of the Condition, an operator or key, a dynamic
   * `condition` block over unknown items): the statement may apply or not, so a Deny with it is no unconditional Deny.
   */
  unknownCondition?: Range;
  /** The statement's keys as written (key through value), for fixes that add one; absent when it is an HCL block. */
  keys?: Array<{ key: string; range: Range }>;
  /** Written as an `aws_iam_policy_document` `statement` block: fixes add nested blocks, not keys. */
  block?: boolean;
}

export interface PolicyDocument {
  range: Range;
  statements: Statement[];
}

export type IdentityPolicyKind = 'managed' | 'role-inline' | 'user-inline' | 'group-inline' | 'permission-set-inline' | 'standalone';

/** A policy attached (or attachable) to IAM identities. `document` is absent when it cannot be evaluated. */
export interface IdentityPolicy extends ResourceBase {
  kind: IdentityPolicyKind;
  /** The attribute holding the document (`policy`, `PolicyDocument`). */
  policy: Attribute;
  document?: PolicyDocument;
  /** The identities it is attached to, as written (inline policies: their owner). Absent: not attached in the scan. */
  holders?: IdentityRef[];
  /** Its IAM name (`name`, `ManagedPolicyName`), for attachments that name it by ARN. */
  name?: string;
  /**
   * An AWS managed policy we hold (its name, `IAMFullAccess`), recorded where one attachment names it: like an inline
   * policy, it reaches only the holders written there.
   */
  awsManaged?: string;
  /**
   * Written in its holder's own definition (a role's inline policies, a SAM function's `Policies` for the role SAM
   * generates): the holder's resource depends on whatever the policy refers to (see PolicyAttachment.partOfHolder).
   */
  partOfHolder?: true;
}

/**
 * `permission-set`: an IAM Identity Center permission set, the policies of the roles Identity Center creates for
 * whoever is assigned it (assignments are not modelled: its users are not known).
 */
export type IdentityKind = 'role' | 'user' | 'group' | 'permission-set';

/** A reference to an IAM identity as the IaC writes it: a name, an ARN or a symbolic reference. */
export interface IdentityRef {
  kind: IdentityKind;
  value: Value;
}

/** An IAM role, user or group, or an Identity Center permission set, declared in the scan. */
export interface IamIdentity extends ResourceBase {
  kind: IdentityKind;
  /** Its IAM name (`name`, `RoleName`, …) when known. */
  name?: string;
  /** Roles: the trust policy as written (`assume_role_policy`, `AssumeRolePolicyDocument`) and its document when knowable. */
  trust?: Attribute;
  trustDocument?: PolicyDocument;
  /**
   * Roles whose plan- or deploy-time choices (a Terraform conditional, a CloudFormation `Fn::If`) write different trust
   * documents: every other variant's (`trustDocument` is the first). A role is trusted as the union says (identity graph).
   */
  trustVariants?: PolicyDocument[];
  /** The role SAM generates for a function without `Role` (`<Function>Role`), or one a processed template tags `lambda:createdBy = SAM`; its trust is SAM's, not the user's. */
  implicit?: boolean;
  /** A SAM-generated role whose trust the template writes (`AssumeRolePolicyDocument`): the trust is the user's, and judged. */
  userTrust?: boolean;
  /**
   * Roles and users: the permissions boundary as written (`permissions_boundary`, `PermissionsBoundary`, a SAM
   * function's or `Globals.Function`'s for the role SAM generates): a managed policy's ARN or a reference to one.
   * The identity graph resolves it (IdentityNode.boundary).
   */
  boundary?: Attribute;
  /**
   * CloudFormation, when its `Fn::If` variants write different boundaries: each variant's, `undefined` for one
   * that writes none (`boundary` is the first written). Which is deployed is decided at deploy time.
   */
  boundaryVariants?: Array<Attribute | undefined>;
}

/** A managed policy attached to identities by reference (`aws_iam_role_policy_attachment`, `ManagedPolicyArns`). */
export interface PolicyAttachment {
  /** The resource that makes the attachment. */
  address: string;
  range: Range;
  /** The policy as written: a reference, an ARN or a name. */
  policy: Value;
  holders: IdentityRef[];
  /** Terraform: the root module it was instantiated from (see ResourceBase.root). */
  root?: string;
  /** CloudFormation: the root template of the nested stack it was instantiated in (see ResourceBase.rootTemplate). */
  rootTemplate?: string;
  /**
   * Written in the holder's own definition (`managed_policy_arns`, `ManagedPolicyArns`, a SAM function's `Policies`),
   * not as a resource of its own (`aws_iam_role_policy_attachment`, a policy's `Roles`): the holder's resource then
   * depends on the policy, and so on whatever the policy refers to.
   */
  partOfHolder?: true;
}

/** Users put in groups (`aws_iam_group_membership`, `AWS::IAM::UserToGroupAddition`, a user's `Groups`): every user joins every group. */
export interface GroupMembership {
  address: string;
  range: Range;
  users: Value[];
  groups: Value[];
  /** Terraform: the root module it was instantiated from (see ResourceBase.root). */
  root?: string;
  /** CloudFormation: the root template of the nested stack it was instantiated in (see ResourceBase.rootTemplate). */
  rootTemplate?: string;
}

/** What a policy document stored on its own (a raw IAM JSON file) is, by its content and place. */
export type StandalonePolicyKind = 'identity' | 'resource' | 'trust' | 'scp';

/** A policy file scanned on its own; identity and Lambda resource policies are also modelled as IdentityPolicy / LambdaPermission. */
/** A policy document read whole: a raw policy file, or a resource's Lambda resource policy (`aws_lambda_resource_policy`). */
export interface StandalonePolicy {
  kind: StandalonePolicyKind;
  /** The file path as findings show it, or the resource's address. */
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
  /**
   * Every resource in the scan, in model order. An address is not unique in a scan: the same logical
   * id in two templates, `aws_lambda_function.this` in two Terraform roots; look one up with `resourceAt`.
   */
  resources: ResourceBase[];
  errors: InputError[];
  /** What the scan could not look at and says so (a module call whose local source holds no scanned file), by folder or file. */
  notices?: Array<{ path: string; message: string }>;
  /** Policy documents read whole: raw IAM policy files (trust policies and SCPs are only stored, for guardrail rules) and Lambda resource policies (`aws_lambda_resource_policy`). */
  standalonePolicies?: StandalonePolicy[];
  /** Organisation and account-baseline resources (SCPs, attachments, trails, GuardDuty, …), for guardrail rules. */
  posture?: Posture;
  /** IAM roles, users and groups; how policies reach them is resolved by `identityGraph`. */
  identities?: IamIdentity[];
  attachments?: PolicyAttachment[];
  memberships?: GroupMembership[];
  /** Terraform data sources (`data.aws_caller_identity.current`, module prefix included), for fixes that refer to them. */
  dataSources?: ResourceBase[];
  /**
   * CloudFormation `Outputs` (sourceType `AWS::CloudFormation::Output`, address `Outputs.Name`) and Terraform `output` blocks
   * (sourceType `output`, address `output.name` with its module prefix), with what they read (`references`): a value they
   * hand out, such as a function URL, has callers outside the scan.
   */
  outputs?: ResourceBase[];
  /** Terraform module calls, in model order; two roots calling a module by the same name create the same prefix. */
  moduleCalls?: ModuleCallSite[];
}

/** A `module` block as written: where it stands, and the source and version it names. */
export interface ModuleCallSite {
  /** The address prefix of what it creates (`module.app.`, nested `module.app.module.db.`). */
  prefix: string;
  range: Range;
  source?: string;
  version?: string;
  /**
   * The `variable` defaults the module's code falls back on in this instance (those the call does not set): by
   * name and where the default is written, so a finding on a value from one can say which variable, and that
   * the call leaves it so.
   */
  defaults?: ReadonlyArray<{ name: string; range: Range }>;
}

export function emptyModel(): Model {
  return { functions: [], permissions: [], functionUrls: [], identityPolicies: [], resources: [], errors: [] };
}

/**
 * A copy of a resource's common fields, to extend by assignment into a function, policy, posture
 * part… Spreading instead (`{ ...base, kind }`) is the obvious way, but V8 then gives nearly every
 * copy a hidden class of its own: measured 10-30× slower per object, and ~20,000 extra hidden
 * classes kept alive by a 10,000-file scan. `range`: the copy's own place (an inline policy's block).
 */
export function copyBase(base: ResourceBase, range: Range = base.range): ResourceBase {
  const copy: ResourceBase = { address: base.address, sourceType: base.sourceType, range };
  if (base.arnExpression !== undefined) copy.arnExpression = base.arnExpression;
  if (base.constructPath !== undefined) copy.constructPath = base.constructPath;
  if (base.instanceOf !== undefined) copy.instanceOf = base.instanceOf;
  if (base.root !== undefined) copy.root = base.root;
  if (base.rootTemplate !== undefined) copy.rootTemplate = base.rootTemplate;
  return copy;
}
