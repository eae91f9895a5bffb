import { FSBP_STANDARD, LAMBDA_DATA_RESOURCE, LAMBDA_PROTECTION, advancedSelectorLogsInvoke, allOf, anyOf, enabledFlag, isFsbpLambdaControlArn, listsTurnOffLambdaControl, readWriteAdmitsInvoke, basicValuesLogEveryFunction, advancedSelectorInvokeGap, basicValuesInvokeGap, readWriteInvokeGap, type FieldSelector, type InvokeGap, type SelectorOperator } from '../posture-values.js';
import { postureOf, type Posture, type Trail } from '../posture.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Model, ResourceBase } from '../types.js';
import { asList, get, knownString, type Value } from '../value.js';
import { attribute } from './support.js';

type PostureMapper = (posture: Posture, base: ResourceBase, properties: Value, model: Model) => void;

/** Organisation and account-baseline resource types, and how each maps onto the posture. */
const POSTURE_MAPPERS = new Map<string, PostureMapper>([
  [
    'AWS::Organizations::Policy',
    (posture, base, properties, model) => {
      const content = attribute(properties, 'Content');
      const document = content ? policyDocumentFromValue(content.value, model.errors) : undefined;
      const policyType = knownString(get(properties, 'Type'));
      posture.orgPolicies.push({ ...base, ...(policyType ? { policyType } : {}), ...(content ? { content } : {}), ...(document ? { document } : {}), targetIds: asList(get(properties, 'TargetIds')) });
    },
  ],
  ['AWS::Organizations::Organization', (posture, base) => posture.orgNodes.push({ ...base, kind: 'root', parents: [] })],
  ['AWS::Organizations::OrganizationalUnit', (posture, base, properties) => posture.orgNodes.push({ ...base, kind: 'ou', parents: asList(get(properties, 'ParentId')) })],
  ['AWS::Organizations::Account', (posture, base, properties) => posture.orgNodes.push({ ...base, kind: 'account', parents: asList(get(properties, 'ParentIds')) })],
  [
    'AWS::CloudTrail::Trail',
    (posture, base, properties) =>
      posture.trails.push({
        ...base,
        kind: 'trail',
        ...withGap(
          anyOf([...asList(get(properties, 'EventSelectors')).map(basicSelectorLogsLambda), ...asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda)]),
          [...asList(get(properties, 'EventSelectors')).map(basicSelectorGap), ...asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorGap)],
        ),
        // IsLogging is required: a template without it cannot be judged.
        logging: flag(get(properties, 'IsLogging')),
      }),
  ],
  [
    'AWS::CloudTrail::EventDataStore',
    (posture, base, properties) => {
      // IngestionEnabled: false stops ingestion (the store takes in no new events); it defaults to true.
      const ingestion = get(properties, 'IngestionEnabled');
      posture.trails.push({
        ...base,
        kind: 'event-data-store',
        ...withGap(anyOf(asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda)), asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorGap)),
        logging: ingestion === undefined || ingestion.kind === 'null' ? true : flag(ingestion),
      });
    },
  ],
  [
    'AWS::GuardDuty::Detector',
    (posture, base, properties) => {
      // Enable is required: a template without it cannot be judged.
      posture.guardDutyDetectors.push({ ...base, enabled: flag(get(properties, 'Enable')) });
      for (const feature of asList(get(properties, 'Features'))) {
        const name = knownString(get(feature, 'Name'));
        if (name !== undefined && name !== LAMBDA_PROTECTION) continue;
        posture.guardDutyLambda.push({ ...base, range: feature.range, enabled: name === undefined ? undefined : enabledFlag(get(feature, 'Status'), ['ENABLED']), detector: base.address });
      }
    },
  ],
  // Type is required (no default): absent, it cannot be known.
  ['AWS::AccessAnalyzer::Analyzer', (posture, base, properties) => posture.accessAnalyzers.push({ ...base, analyzerType: knownString(get(properties, 'Type')) })],
  [
    'AWS::Logs::MetricFilter',
    (posture, base, properties) => {
      const pattern = get(properties, 'FilterPattern');
      const metricNames = asList(get(properties, 'MetricTransformations')).flatMap((t) => asList(get(t, 'MetricName')));
      posture.metricFilters.push({ ...base, ...(pattern ? { pattern } : {}), metricNames });
    },
  ],
  [
    'AWS::CloudWatch::Alarm',
    (posture, base, properties) => {
      const metricName = get(properties, 'MetricName');
      posture.metricAlarms.push({ ...base, ...(metricName ? { metricName } : {}) });
    },
  ],
  [
    'AWS::SecurityHub::Hub',
    (posture, base, properties) => {
      const defaults = get(properties, 'EnableDefaultStandards');
      posture.securityHub.push({ ...base, kind: 'hub', foundationalBestPractices: defaults ? enabledFlag(defaults, ['true']) : true });
    },
  ],
  [
    'AWS::SecurityHub::Standard',
    (posture, base, properties) => {
      const arn = get(properties, 'StandardsArn');
      const text = knownString(arn);
      const mentions = arn?.kind === 'template' && arn.parts.some((p) => typeof p === 'string' && p.includes(FSBP_STANDARD));
      // DisabledStandardsControls: the standard's controls it turns off, each by its StandardsControlArn.
      const lambdaOff = asList(get(properties, 'DisabledStandardsControls')).some((c) => isFsbpLambdaControlArn(get(c, 'StandardsControlArn')) === true);
      posture.securityHub.push({ ...base, kind: 'standard', foundationalBestPractices: text !== undefined ? text.includes(FSBP_STANDARD) : mentions ? true : undefined, ...(lambdaOff ? { lambdaControlOff: true as const } : {}) });
    },
  ],
  [
    'AWS::SecurityHub::OrganizationConfiguration',
    (posture, base, properties) => {
      // Central configuration leaves standards to configuration policies; local configuration enables
      // new accounts (AutoEnable) with the default standards unless AutoEnableStandards is NONE (default DEFAULT).
      const type = get(properties, 'ConfigurationType');
      const standards = get(properties, 'AutoEnableStandards');
      const local = allOf([
        type === undefined ? true : knownString(type) === undefined ? undefined : knownString(type) !== 'CENTRAL',
        enabledFlag(get(properties, 'AutoEnable'), ['true']),
        standards === undefined ? true : enabledFlag(standards, ['DEFAULT']),
      ]);
      posture.securityHub.push({ ...base, kind: 'organization', foundationalBestPractices: local });
    },
  ],
  [
    'AWS::SecurityHub::ConfigurationPolicy',
    (posture, base, properties) => {
      const policy = get(get(properties, 'ConfigurationPolicy'), 'SecurityHub');
      const enabled = get(policy, 'ServiceEnabled');
      const standards = get(policy, 'EnabledStandardIdentifiers');
      const fsbp = standards === undefined ? false : anyOf(asList(standards).map(mentionsFsbp));
      const controls = get(policy, 'SecurityControlsConfiguration');
      const lambdaOff = listsTurnOffLambdaControl(get(controls, 'DisabledSecurityControlIdentifiers'), get(controls, 'EnabledSecurityControlIdentifiers')) === true;
      posture.securityHub.push({ ...base, kind: 'policy', foundationalBestPractices: allOf([enabled ? enabledFlag(enabled, ['true']) : undefined, fsbp]), ...(lambdaOff ? { lambdaControlOff: true as const } : {}) });
    },
  ],
  [
    'AWS::SecurityHub::PolicyAssociation',
    (posture, base, properties) => {
      const policyId = get(properties, 'ConfigurationPolicyId');
      posture.securityHubAssociations.push({ ...base, ...(policyId ? { policyId } : {}) });
    },
  ],
]);

/** A required boolean property: undefined when absent or not known. */
function flag(value: Value | undefined): boolean | undefined {
  return value === undefined ? undefined : enabledFlag(value, ['true']);
}

/** A standards ARN: FSBP or not; a template naming FSBP in its known text is FSBP; otherwise unknown. */
function mentionsFsbp(arn: Value): boolean | undefined {
  const text = knownString(arn);
  if (text !== undefined) return text.includes(FSBP_STANDARD);
  return arn.kind === 'template' && arn.parts.some((p) => typeof p === 'string' && p.includes(FSBP_STANDARD)) ? true : undefined;
}

/** Whether addCloudFormationPosture maps resources of this type (the model reads nothing of the others it does not name). */
export function isPostureType(type: string): boolean {
  return POSTURE_MAPPERS.has(type);
}

/** Maps organisation and account-baseline resources onto the posture; false when the type is not one of them. */
export function addCloudFormationPosture(model: Model, type: string, base: ResourceBase, properties: Value): boolean {
  const mapper = POSTURE_MAPPERS.get(type);
  if (!mapper) return false;
  mapper(postureOf(model), base, properties, model);
  return true;
}

/** CloudFormation's spelling of each advanced selector operator. */
const OPERATOR_KEYS: Array<[SelectorOperator, string]> = [
  ['equals', 'Equals'], ['not_equals', 'NotEquals'], ['starts_with', 'StartsWith'], ['not_starts_with', 'NotStartsWith'], ['ends_with', 'EndsWith'], ['not_ends_with', 'NotEndsWith'],
];

function basicSelectorLogsLambda(selector: Value): boolean | undefined {
  const lambda = anyOf(asList(get(selector, 'DataResources')).map((d) => {
    const type = get(d, 'Type');
    const lambda = type ? (knownString(type) === undefined ? undefined : knownString(type) === LAMBDA_DATA_RESOURCE) : false;
    return lambda === false ? false : allOf([lambda, basicValuesLogEveryFunction(get(d, 'Values'))]);
  }));
  return lambda === false ? false : allOf([lambda, readWriteAdmitsInvoke(get(selector, 'ReadWriteType'))]);
}

function advancedSelectorLogsLambda(selector: Value): boolean | undefined {
  return advancedSelectorLogsInvoke(fieldSelectors(selector));
}

const spelling = new Map(OPERATOR_KEYS);

function advancedSelectorGap(selector: Value): InvokeGap | undefined {
  return advancedSelectorInvokeGap(fieldSelectors(selector), (operator) => spelling.get(operator) ?? operator);
}

/** What in a basic selector for Lambda leaves invokes out: Values naming functions, or ReadWriteType ReadOnly. */
function basicSelectorGap(selector: Value): InvokeGap | undefined {
  const lambda = asList(get(selector, 'DataResources')).filter((d) => knownString(get(d, 'Type')) === LAMBDA_DATA_RESOURCE);
  if (lambda.length === 0) return undefined;
  return readWriteInvokeGap(get(selector, 'ReadWriteType'), 'ReadWriteType') ?? lambda.map((d) => basicValuesInvokeGap(get(d, 'Values'), 'Values')).find((g) => g !== undefined);
}

/** The verdict, and the first gap when the selectors log no invoke of every function (see Trail.invokeGap). */
function withGap(lambdaDataEvents: boolean | undefined, gaps: Array<InvokeGap | undefined>): Pick<Trail, 'lambdaDataEvents' | 'invokeGap'> {
  const gap = lambdaDataEvents === false ? gaps.find((g) => g !== undefined) : undefined;
  return { lambdaDataEvents, ...(gap ? { invokeGap: gap } : {}) };
}

function fieldSelectors(selector: Value): FieldSelector[] {
  return asList(get(selector, 'FieldSelectors')).map((f) => {
    const operators: Partial<Record<SelectorOperator, Value>> = {};
    for (const [operator, key] of OPERATOR_KEYS) {
      const value = get(f, key);
      if (value) operators[operator] = value;
    }
    return { field: get(f, 'Field'), operators };
  });
}
