import { FSBP_STANDARD, LAMBDA_DATA_RESOURCE, LAMBDA_PROTECTION, anyOf, enabledFlag } from '../posture-values.js';
import { postureOf, type Posture } from '../posture.js';
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
        lambdaDataEvents: anyOf([
          ...asList(get(properties, 'EventSelectors')).map(basicSelectorLogsLambda),
          ...asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda),
        ]),
      }),
  ],
  [
    'AWS::CloudTrail::EventDataStore',
    (posture, base, properties) =>
      posture.trails.push({ ...base, kind: 'event-data-store', lambdaDataEvents: anyOf(asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda)) }),
  ],
  [
    'AWS::GuardDuty::Detector',
    (posture, base, properties) => {
      posture.guardDutyDetectors.push(base);
      for (const feature of asList(get(properties, 'Features'))) {
        const name = knownString(get(feature, 'Name'));
        if (name !== undefined && name !== LAMBDA_PROTECTION) continue;
        posture.guardDutyLambda.push({ ...base, range: feature.range, enabled: name === undefined ? undefined : enabledFlag(get(feature, 'Status'), ['ENABLED']) });
      }
    },
  ],
  ['AWS::AccessAnalyzer::Analyzer', (posture, base) => posture.accessAnalyzers.push(base)],
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
      posture.securityHub.push({ ...base, kind: 'standard', foundationalBestPractices: text !== undefined ? text.includes(FSBP_STANDARD) : mentions ? true : undefined });
    },
  ],
]);

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

function basicSelectorLogsLambda(selector: Value): boolean | undefined {
  return anyOf(asList(get(selector, 'DataResources')).map((d) => {
    const type = get(d, 'Type');
    return type ? (knownString(type) === undefined ? undefined : knownString(type) === LAMBDA_DATA_RESOURCE) : false;
  }));
}

function advancedSelectorLogsLambda(selector: Value): boolean | undefined {
  return anyOf(asList(get(selector, 'FieldSelectors')).map((f) => {
    const field = get(f, 'Field');
    if (knownString(field) === undefined) return field ? undefined : false;
    if (knownString(field) !== 'resources.type') return false;
    const values = asList(get(f, 'Equals')).map(knownString);
    if (values.includes(LAMBDA_DATA_RESOURCE)) return true;
    return values.every((v) => v !== undefined) ? false : undefined;
  }));
}
