import { FSBP_STANDARD, LAMBDA_DATA_RESOURCE, LAMBDA_PROTECTION, anyOf, enabledFlag } from '../posture-values.js';
import { postureOf } from '../posture.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Model, ResourceBase } from '../types.js';
import { asList, get, knownString, type Value } from '../value.js';
import { attribute } from './support.js';

/** Maps organisation and account-baseline resources onto the posture; false when the type is not one of them. */
export function addCloudFormationPosture(model: Model, type: string, base: ResourceBase, properties: Value): boolean {
  const posture = postureOf(model);
  switch (type) {
    case 'AWS::Organizations::Policy': {
      const content = attribute(properties, 'Content');
      const document = content ? policyDocumentFromValue(content.value, model.errors) : undefined;
      const policyType = knownString(get(properties, 'Type'));
      posture.orgPolicies.push({ ...base, ...(policyType ? { policyType } : {}), ...(content ? { content } : {}), ...(document ? { document } : {}), targetIds: asList(get(properties, 'TargetIds')) });
      return true;
    }
    case 'AWS::Organizations::Organization':
      posture.orgNodes.push({ ...base, kind: 'root', parents: [] });
      return true;
    case 'AWS::Organizations::OrganizationalUnit':
      posture.orgNodes.push({ ...base, kind: 'ou', parents: asList(get(properties, 'ParentId')) });
      return true;
    case 'AWS::Organizations::Account':
      posture.orgNodes.push({ ...base, kind: 'account', parents: asList(get(properties, 'ParentIds')) });
      return true;
    case 'AWS::CloudTrail::Trail':
      posture.trails.push({
        ...base,
        kind: 'trail',
        lambdaDataEvents: anyOf([
          ...asList(get(properties, 'EventSelectors')).map(basicSelectorLogsLambda),
          ...asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda),
        ]),
      });
      return true;
    case 'AWS::CloudTrail::EventDataStore':
      posture.trails.push({ ...base, kind: 'event-data-store', lambdaDataEvents: anyOf(asList(get(properties, 'AdvancedEventSelectors')).map(advancedSelectorLogsLambda)) });
      return true;
    case 'AWS::GuardDuty::Detector': {
      posture.guardDutyDetectors.push(base);
      for (const feature of asList(get(properties, 'Features'))) {
        const name = knownString(get(feature, 'Name'));
        if (name !== undefined && name !== LAMBDA_PROTECTION) continue;
        posture.guardDutyLambda.push({ ...base, range: feature.range, enabled: name === undefined ? undefined : enabledFlag(get(feature, 'Status'), ['ENABLED']) });
      }
      return true;
    }
    case 'AWS::AccessAnalyzer::Analyzer':
      posture.accessAnalyzers.push(base);
      return true;
    case 'AWS::Logs::MetricFilter': {
      const pattern = get(properties, 'FilterPattern');
      const metricNames = asList(get(properties, 'MetricTransformations')).flatMap((t) => asList(get(t, 'MetricName')));
      posture.metricFilters.push({ ...base, ...(pattern ? { pattern } : {}), metricNames });
      return true;
    }
    case 'AWS::CloudWatch::Alarm': {
      const metricName = get(properties, 'MetricName');
      posture.metricAlarms.push({ ...base, ...(metricName ? { metricName } : {}) });
      return true;
    }
    case 'AWS::SecurityHub::Hub': {
      const defaults = get(properties, 'EnableDefaultStandards');
      posture.securityHub.push({ ...base, kind: 'hub', foundationalBestPractices: defaults ? enabledFlag(defaults, ['true']) : true });
      return true;
    }
    case 'AWS::SecurityHub::Standard': {
      const arn = get(properties, 'StandardsArn');
      const text = knownString(arn);
      const mentions = arn?.kind === 'template' && arn.parts.some((p) => typeof p === 'string' && p.includes(FSBP_STANDARD));
      posture.securityHub.push({ ...base, kind: 'standard', foundationalBestPractices: text !== undefined ? text.includes(FSBP_STANDARD) : mentions ? true : undefined });
      return true;
    }
    default:
      return false;
  }
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
