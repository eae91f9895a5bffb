import { detectiveFinding } from '../guardrails/detective.js';
import { knownString, displayString } from '../model/value.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG504',
  title: 'No alarm on Lambda permission and code changes',
  severity: 'low',
  attack: 'T1648',
  description: 'The persistence steps of T1648 (AddPermission, PutResourcePolicy, CreateFunctionUrlConfig, UpdateFunctionUrlConfig, UpdateFunctionCode, CreateEventSourceMapping) should raise an alarm: a CloudWatch Logs metric filter on the CloudTrail log group and an alarm on its metric.',
  fixable: false,
};

/** PutResourcePolicy replaces a function's resource policy: a filter watching AddPermission alone misses it. */
export const PERSISTENCE_EVENTS = ['AddPermission', 'PutResourcePolicy', 'CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig', 'UpdateFunctionCode', 'CreateEventSourceMapping'];

function check(context: RuleContext) {
  const posture = context.model.posture;
  const filters = posture?.metricFilters ?? [];
  const alarms = posture?.metricAlarms ?? [];
  const suggestion = 'Add an aws_cloudwatch_log_metric_filter on the trail log group matching these eventName values (wildcards keep the API-version suffixes: AddPermission*, PutResourcePolicy*) and an aws_cloudwatch_metric_alarm on its metric (`invokeguard guardrails --emit terraform` prints both).';
  let best: { filter: (typeof filters)[number]; missing: string[] } | undefined;
  for (const filter of filters) {
    const pattern = displayString(filter.pattern);
    // A pattern we cannot read might be the right one.
    if (pattern === undefined) return [];
    const missing = PERSISTENCE_EVENTS.filter((e) => !pattern.includes(e));
    if (missing.length === 0) {
      const names = filter.metricNames.map(knownString);
      const alarmed = alarms.some((a) => {
        const name = knownString(a.metricName);
        return name === undefined || names.includes(undefined) || names.includes(name);
      });
      if (alarmed) return [];
      return detectiveFinding(context, meta, filter, `Metric filter ${filter.address} catches Lambda persistence changes but no alarm watches its metric.`, suggestion);
    }
    if (pattern.includes('lambda') && (!best || missing.length < best.missing.length)) best = { filter, missing };
  }
  if (best) return detectiveFinding(context, meta, best.filter, `Metric filter ${best.filter.address} misses Lambda persistence events: ${best.missing.join(', ')}.`, suggestion);
  return detectiveFinding(context, meta, undefined, `No CloudWatch metric filter and alarm on Lambda permission and code changes (${PERSISTENCE_EVENTS.join(', ')}).`, suggestion);
}

export const IG504: Rule = { meta, check };
