import { postureOf, type AccessAnalyzer, type GuardDutyDetector, type GuardDutyLambda, type SecurityHubAssociation, type MetricAlarm, type MetricFilter, type OrgNode, type OrgPolicy, type PolicyAttachment, type SecurityHubPart, type Trail } from '../posture.js';
import { policyDocumentFromValue } from '../policy-document.js';
import { copyBase, type Attribute, type Model, type ResourceBase } from '../types.js';
import { asList, get, knownString, type Value } from '../value.js';
import { FSBP_STANDARD, LAMBDA_DATA_RESOURCE, LAMBDA_PROTECTION, LAMBDA_PUBLIC_CONTROL, SELECTOR_OPERATORS, advancedSelectorLogsInvoke, allOf, anyOf, enabledFlag, isFsbpLambdaControlArn, knownText, listsTurnOffLambdaControl, readWriteAdmitsInvoke, basicValuesLogEveryFunction, advancedSelectorInvokeGap, basicValuesInvokeGap, readWriteInvokeGap, type FieldSelector, type InvokeGap } from '../posture-values.js';
import type { TerraformBlockView, TerraformResourceView } from './resources.js';

/** The types `addTerraformPosture` maps (its cases): a case missing here is never reached, so its tests catch the omission. */
export const POSTURE_TYPES: ReadonlySet<string> = new Set([
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
  'aws_organizations_organization',
  'aws_organizations_organizational_unit',
  'aws_organizations_account',
  'aws_cloudtrail',
  'aws_cloudtrail_event_data_store',
  'aws_guardduty_detector',
  'aws_guardduty_detector_feature',
  'aws_guardduty_organization_configuration_feature',
  'aws_accessanalyzer_analyzer',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_securityhub_account',
  'aws_securityhub_standards_subscription',
  'aws_securityhub_organization_configuration',
  'aws_securityhub_configuration_policy',
  'aws_securityhub_configuration_policy_association',
  'aws_securityhub_standards_control',
  'aws_securityhub_standards_control_association',
]);

/** Maps organisation and account-baseline resources onto the posture; false when the type is not one of them. */
export function addTerraformPosture(model: Model, resource: TerraformResourceView, base: ResourceBase): boolean {
  if (!POSTURE_TYPES.has(resource.type)) return false;
  const posture = postureOf(model);
  const text = (name: string, view: TerraformBlockView = resource) => knownString(view.attribute(name)?.value);
  const values = (name: string): Value[] => {
    const found = resource.attribute(name);
    return found ? [found.value] : [];
  };
  switch (resource.type) {
    case 'aws_organizations_policy': {
      const content = resource.attribute('content');
      const type = resource.attribute('type');
      const document = content ? policyDocumentFromValue(content.value, model.errors) : undefined;
      // Terraform's default type is SERVICE_CONTROL_POLICY.
      const policyType = type ? knownString(type.value) : 'SERVICE_CONTROL_POLICY';
      const policy = copyBase(base) as OrgPolicy; // targetIds is assigned below
      if (policyType) policy.policyType = policyType;
      if (content) policy.content = content;
      if (document) policy.document = document;
      policy.targetIds = [];
      // Plans and state record an existing policy's id, which attachments may name literally.
      const id = text('id');
      if (id !== undefined) policy.id = id;
      posture.orgPolicies.push(policy);
      return true;
    }
    case 'aws_organizations_policy_attachment': {
      const [policyId] = values('policy_id');
      const [targetId] = values('target_id');
      const attachment: PolicyAttachment = copyBase(base);
      if (policyId) attachment.policyId = policyId;
      if (targetId) attachment.targetId = targetId;
      posture.attachments.push(attachment);
      return true;
    }
    // Plans and state record existing nodes' ids (the organisation's `roots[*].id`), which attachments and parents may name literally.
    case 'aws_organizations_organization':
      posture.orgNodes.push(orgNode(base, 'root', [], asList(resource.attribute('roots')?.value).map((r) => knownString(get(r, 'id')))));
      return true;
    case 'aws_organizations_organizational_unit':
      posture.orgNodes.push(orgNode(base, 'ou', values('parent_id'), [text('id')]));
      return true;
    case 'aws_organizations_account':
      posture.orgNodes.push(orgNode(base, 'account', values('parent_id'), [text('id')]));
      return true;
    case 'aws_cloudtrail': {
      const logging = resource.attribute('enable_logging');
      const lambda = anyOf([...resource.blocks('event_selector').map(basicSelectorLogsLambda), ...resource.blocks('advanced_event_selector').map(advancedSelectorLogsLambda)]);
      // enable_logging defaults to true.
      const gap = firstGap([...resource.blocks('event_selector').map(basicSelectorInvokeGap), ...resource.blocks('advanced_event_selector').map(advancedSelectorGap)]);
      posture.trails.push(trail(base, 'trail', lambda, logging ? enabledFlag(logging.value, ['true']) : true, gap));
      return true;
    }
    case 'aws_cloudtrail_event_data_store': {
      // `suspend = true` (provider 6) stops ingestion: the store takes in no new events. Default: ingesting.
      const suspend = resource.attribute('suspend');
      const suspended = suspend && suspend.value.kind !== 'null' ? enabledFlag(suspend.value, ['true']) : false;
      const selectors = resource.blocks('advanced_event_selector');
      posture.trails.push(trail(base, 'event-data-store', anyOf(selectors.map(advancedSelectorLogsLambda)), suspended === undefined ? undefined : !suspended, firstGap(selectors.map(advancedSelectorGap))));
      return true;
    }
    case 'aws_guardduty_detector': {
      const enable = resource.attribute('enable');
      const detector = copyBase(base) as GuardDutyDetector; // enabled is assigned next
      // enable defaults to true.
      detector.enabled = enable ? enabledFlag(enable.value, ['true']) : true;
      posture.guardDutyDetectors.push(detector);
      return true;
    }
    case 'aws_guardduty_detector_feature':
    case 'aws_guardduty_organization_configuration_feature': {
      const name = resource.attribute('name');
      const feature = knownString(name?.value);
      // Another feature (S3, EKS, …) says nothing about Lambda.
      if (!name || (feature !== undefined && feature !== LAMBDA_PROTECTION)) return true;
      const organisation = resource.type === 'aws_guardduty_organization_configuration_feature';
      const status = resource.attribute(organisation ? 'auto_enable' : 'status');
      const lambda = copyBase(base) as GuardDutyLambda; // enabled is assigned next
      lambda.enabled = feature === undefined ? undefined : enabledFlag(status?.value, ['ENABLED', 'ALL', 'NEW']);
      if (organisation && knownString(status?.value) === 'NEW') lambda.newAccountsOnly = true;
      const detector = resource.attribute('detector_id')?.value;
      if (detector?.kind === 'unknown' && detector.resourceType === 'aws_guardduty_detector' && detector.resource) lambda.detector = detector.resource;
      posture.guardDutyLambda.push(lambda);
      return true;
    }
    case 'aws_accessanalyzer_analyzer': {
      const type = resource.attribute('type');
      const analyzer = copyBase(base) as AccessAnalyzer; // analyzerType is assigned next
      // type defaults to ACCOUNT.
      analyzer.analyzerType = type ? knownString(type.value) : 'ACCOUNT';
      posture.accessAnalyzers.push(analyzer);
      return true;
    }
    case 'aws_cloudwatch_log_metric_filter': {
      const pattern = resource.attribute('pattern');
      const metricNames = resource.blocks('metric_transformation').flatMap((b) => asAttributeValues(b.attribute('name')));
      const filter = copyBase(base) as MetricFilter; // metricNames is assigned below
      if (pattern) filter.pattern = pattern.value;
      filter.metricNames = metricNames;
      posture.metricFilters.push(filter);
      return true;
    }
    case 'aws_cloudwatch_metric_alarm': {
      const metricName = resource.attribute('metric_name');
      const alarm: MetricAlarm = copyBase(base);
      if (metricName) alarm.metricName = metricName.value;
      posture.metricAlarms.push(alarm);
      return true;
    }
    case 'aws_securityhub_account': {
      const defaults = resource.attribute('enable_default_standards');
      // Security Hub enables its default standards (FSBP among them) unless told not to.
      posture.securityHub.push(securityHubPart(base, 'hub', defaults ? enabledFlag(defaults.value, ['true']) : true));
      return true;
    }
    case 'aws_securityhub_standards_subscription': {
      const arn = text('standards_arn');
      const value = resource.attribute('standards_arn')?.value;
      posture.securityHub.push(securityHubPart(base, 'standard', arn !== undefined ? arn.includes(FSBP_STANDARD) : value?.kind === 'template' ? templateMentions(value, FSBP_STANDARD) : undefined));
      return true;
    }
    case 'aws_securityhub_organization_configuration': {
      // Central configuration leaves standards to configuration policies; local configuration enables
      // new accounts (auto_enable) with the default standards unless auto_enable_standards = NONE (default DEFAULT).
      const central = resource.blocks('organization_configuration').map((b) => b.attribute('configuration_type')?.value);
      const autoEnable = resource.attribute('auto_enable');
      const standards = resource.attribute('auto_enable_standards');
      const local = allOf([
        ...central.map((c) => (c === undefined ? true : knownString(c) === undefined ? undefined : knownString(c) !== 'CENTRAL')),
        autoEnable ? enabledFlag(autoEnable.value, ['true']) : false,
        standards ? enabledFlag(standards.value, ['DEFAULT']) : true,
      ]);
      posture.securityHub.push(securityHubPart(base, 'organization', local));
      return true;
    }
    case 'aws_securityhub_configuration_policy': {
      const policies = resource.blocks('configuration_policy');
      const part = securityHubPart(base, 'policy', anyOf(policies.map((p) => {
        const enabled = p.attribute('service_enabled');
        return allOf([enabled ? enabledFlag(enabled.value, ['true']) : undefined, standardsInclude(p.attribute('enabled_standard_arns')?.value)]);
      })));
      const controls = policies.flatMap((p) => p.blocks('security_controls_configuration'));
      if (controls.some((c) => listsTurnOffLambdaControl(c.attribute('disabled_control_identifiers')?.value, c.attribute('enabled_control_identifiers')?.value) === true)) part.lambdaControlOff = true;
      posture.securityHub.push(part);
      return true;
    }
    case 'aws_securityhub_standards_control': {
      if (isFsbpLambdaControlArn(resource.attribute('standards_control_arn')?.value) && text('control_status')?.toUpperCase() === 'DISABLED') posture.securityHubLambdaControlOff.push(copyBase(base));
      return true;
    }
    case 'aws_securityhub_standards_control_association': {
      const standard = resource.attribute('standards_arn')?.value;
      const fsbp = knownText(standard)?.includes(FSBP_STANDARD);
      if (fsbp && text('security_control_id') === LAMBDA_PUBLIC_CONTROL && text('association_status')?.toUpperCase() === 'DISABLED') posture.securityHubLambdaControlOff.push(copyBase(base));
      return true;
    }
    case 'aws_securityhub_configuration_policy_association': {
      const association: SecurityHubAssociation = copyBase(base);
      const [policyId] = values('policy_id');
      if (policyId) association.policyId = policyId;
      posture.securityHubAssociations.push(association);
      return true;
    }
    default:
      return false;
  }
}

// Posture parts are copies of `base` extended by assignment (see copyBase); the casts stand until the fields are set.
function orgNode(base: ResourceBase, kind: OrgNode['kind'], parents: Value[], ids: Array<string | undefined>): OrgNode {
  const node = copyBase(base) as OrgNode;
  node.kind = kind;
  node.parents = parents;
  const known = ids.filter((id): id is string => id !== undefined);
  if (known.length > 0) node.ids = known;
  return node;
}

function trail(base: ResourceBase, kind: Trail['kind'], lambdaDataEvents: boolean | undefined, logging: boolean | undefined, gap: InvokeGap | undefined): Trail {
  const part = copyBase(base) as Trail;
  part.kind = kind;
  part.lambdaDataEvents = lambdaDataEvents;
  part.logging = logging;
  // A gap explains a trail that logs no invoke of every function; one that does (another selector) has none to tell.
  if (gap && lambdaDataEvents === false) part.invokeGap = gap;
  return part;
}

function firstGap(gaps: Array<InvokeGap | undefined>): InvokeGap | undefined {
  return gaps.find((g) => g !== undefined);
}

function securityHubPart(base: ResourceBase, kind: SecurityHubPart['kind'], foundationalBestPractices: boolean | undefined): SecurityHubPart {
  const part = copyBase(base) as SecurityHubPart;
  part.kind = kind;
  part.foundationalBestPractices = foundationalBestPractices;
  return part;
}

function asAttributeValues(attribute: Attribute | undefined): Value[] {
  return attribute ? [attribute.value] : [];
}

/** A template such as "arn:aws:securityhub:${region}::standards/aws-foundational-…": its known text decides. */
function templateMentions(value: Value & { kind: 'template' }, needle: string): boolean | undefined {
  return value.parts.some((p) => typeof p === 'string' && p.includes(needle)) ? true : undefined;
}

/** `event_selector { read_write_type = "All" data_resource { type = "AWS::Lambda::Function" … } }`. */
function basicSelectorLogsLambda(selector: TerraformBlockView): boolean | undefined {
  const lambda = anyOf(selector.blocks('data_resource').map((d) => {
    const type = d.attribute('type');
    const lambda = type ? (knownString(type.value) === undefined ? undefined : knownString(type.value) === LAMBDA_DATA_RESOURCE) : false;
    return lambda === false ? false : allOf([lambda, basicValuesLogEveryFunction(d.attribute('values')?.value)]);
  }));
  return lambda === false ? false : allOf([lambda, readWriteAdmitsInvoke(selector.attribute('read_write_type')?.value)]);
}

/** `advanced_event_selector { field_selector { field = "resources.type" equals = ["AWS::Lambda::Function"] } … }`. */
function advancedSelectorLogsLambda(selector: TerraformBlockView): boolean | undefined {
  return advancedSelectorLogsInvoke(fieldSelectors(selector));
}

function advancedSelectorGap(selector: TerraformBlockView): InvokeGap | undefined {
  return advancedSelectorInvokeGap(fieldSelectors(selector));
}

/** What in a basic selector for Lambda leaves invokes out: values naming functions, or read_write_type = ReadOnly. */
function basicSelectorInvokeGap(selector: TerraformBlockView): InvokeGap | undefined {
  const lambda = selector.blocks('data_resource').filter((d) => knownString(d.attribute('type')?.value) === LAMBDA_DATA_RESOURCE);
  if (lambda.length === 0) return undefined;
  return readWriteInvokeGap(selector.attribute('read_write_type')?.value, 'read_write_type') ?? firstGap(lambda.map((d) => basicValuesInvokeGap(d.attribute('values')?.value, 'values')));
}

function fieldSelectors(selector: TerraformBlockView): FieldSelector[] {
  return selector.blocks('field_selector').map((f) => {
    const operators: FieldSelector['operators'] = {};
    for (const operator of SELECTOR_OPERATORS) {
      const value = f.attribute(operator)?.value;
      if (value) operators[operator] = value;
    }
    return { field: f.attribute('field')?.value, operators };
  });
}

/** A list of standards ARNs: true if one is FSBP, false if every one is known and none is. */
function standardsInclude(value: Value | undefined): boolean | undefined {
  if (!value) return false;
  return anyOf(asList(value).map((v) => {
    const arn = knownString(v);
    if (arn !== undefined) return arn.includes(FSBP_STANDARD);
    return v.kind === 'template' ? templateMentions(v, FSBP_STANDARD) : undefined;
  }));
}
