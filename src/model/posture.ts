import type { Attribute, Model, PolicyDocument, ResourceBase } from './types.js';
import type { Value } from './value.js';
import type { InvokeGap } from './posture-values.js';

/**
 * Organisation and account-baseline posture: what guardrail rules read. Filled from Terraform and
 * CloudFormation alike; values that need a deployment to be known stay Unknown.
 */
export interface Posture {
  /** `aws_organizations_policy`, `AWS::Organizations::Policy` (any policy type; rules keep the SCPs). */
  orgPolicies: OrgPolicy[];
  /** `aws_organizations_policy_attachment`. CloudFormation attaches through the policy's `TargetIds`. */
  attachments: PolicyAttachment[];
  /** The organisation root, its OUs and accounts. */
  orgNodes: OrgNode[];
  /** CloudTrail trails and event data stores. */
  trails: Trail[];
  guardDutyDetectors: GuardDutyDetector[];
  /** Lambda Protection switched on for a detector (detector feature, organisation feature, or CFN `Features`). */
  guardDutyLambda: GuardDutyLambda[];
  accessAnalyzers: AccessAnalyzer[];
  metricFilters: MetricFilter[];
  metricAlarms: MetricAlarm[];
  /** Security Hub enablement (default standards on or off), standards subscriptions, organisation configuration, configuration policies. */
  securityHub: SecurityHubPart[];
  /** Security Hub configuration policy associations (central configuration): a policy applies only where associated. */
  securityHubAssociations: SecurityHubAssociation[];
  /**
   * Resources that turn FSBP's control Lambda.1 off in the account they deploy to (`aws_securityhub_standards_control`
   * DISABLED, `aws_securityhub_standards_control_association` DISABLED for FSBP): only ones the scan can read.
   */
  securityHubLambdaControlOff: ResourceBase[];
}

export interface OrgPolicy extends ResourceBase {
  /** `SERVICE_CONTROL_POLICY`, … — absent when it cannot be known. Terraform's default is an SCP. */
  policyType?: string;
  content?: Attribute;
  document?: PolicyDocument;
  /** CloudFormation `TargetIds`: where the policy is attached. */
  targetIds: Value[];
  /** Its id (`p-…`) when a plan or state records it: an attachment naming that id literally names this policy. */
  id?: string;
}

export interface PolicyAttachment extends ResourceBase {
  policyId?: Value;
  targetId?: Value;
}

export interface OrgNode extends ResourceBase {
  kind: 'root' | 'ou' | 'account';
  /** `parent_id` / `ParentId` / `ParentIds`. */
  parents: Value[];
  /** The ids it is known by when a plan or state records them (an organisation's root `r-…`, an OU's `ou-…`, an account's number): a literal id elsewhere names this node. */
  ids?: string[];
}

export interface Trail extends ResourceBase {
  kind: 'trail' | 'event-data-store';
  /** Whether its event selectors log Lambda Invoke data events (undefined: cannot be known). */
  lambdaDataEvents: boolean | undefined;
  /**
   * Trails: `enable_logging` / `IsLogging`; event data stores: ingestion (`suspend` / `IngestionEnabled`). False for a
   * stopped trail or a store whose ingestion is stopped, which records nothing. Undefined: cannot be known.
   */
  logging: boolean | undefined;
  /** When its selectors do select Lambda data events but leave some invokes out (lambdaDataEvents false): the first such filter. */
  invokeGap?: InvokeGap;
}

export interface GuardDutyDetector extends ResourceBase {
  /** `enable` / `Enable`: a disabled (suspended) detector produces no findings. Undefined: cannot be known. */
  enabled: boolean | undefined;
}

export interface GuardDutyLambda extends ResourceBase {
  /** The feature is ENABLED (or auto-enabled for the organisation); undefined: cannot be known. */
  enabled: boolean | undefined;
  /** Organisation feature with `auto_enable = "NEW"`: accounts already in the organisation stay without it. */
  newAccountsOnly?: boolean;
  /** Address of the scanned detector the feature belongs to, when that is known. */
  detector?: string;
}

export interface AccessAnalyzer extends ResourceBase {
  /** `type` / `Type` (Terraform's default: ACCOUNT); undefined: cannot be known. */
  analyzerType: string | undefined;
}

export interface MetricFilter extends ResourceBase {
  pattern?: Value;
  metricNames: Value[];
}

export interface MetricAlarm extends ResourceBase {
  metricName?: Value;
}

export interface SecurityHubPart extends ResourceBase {
  kind: 'hub' | 'standard' | 'organization' | 'policy';
  /**
   * Hub: default standards (FSBP among them) enabled. Standard: it is FSBP. Organisation: new accounts
   * get Security Hub with its default standards. Policy: it enables FSBP. Undefined: cannot be known.
   */
  foundationalBestPractices: boolean | undefined;
  /**
   * Standard (CloudFormation `DisabledStandardsControls`) or policy (its control lists): it turns control Lambda.1
   * ("Lambda function policies should prohibit public access") off, as far as the scan can read.
   */
  lambdaControlOff?: true;
}

export interface SecurityHubAssociation extends ResourceBase {
  /** `policy_id` / `ConfigurationPolicyId`. */
  policyId?: Value;
}

export function emptyPosture(): Posture {
  return {
    orgPolicies: [], attachments: [], orgNodes: [], trails: [], guardDutyDetectors: [], guardDutyLambda: [],
    accessAnalyzers: [], metricFilters: [], metricAlarms: [], securityHub: [], securityHubAssociations: [], securityHubLambdaControlOff: [],
  };
}

/** The model's posture, created on first use. */
export function postureOf(model: Model): Posture {
  return (model.posture ??= emptyPosture());
}
