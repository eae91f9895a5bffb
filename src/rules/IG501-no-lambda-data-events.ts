import { detectiveFinding } from '../guardrails/detective.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG501',
  title: 'No CloudTrail trail logs Lambda data events',
  severity: 'medium',
  attack: 'T1648',
  description: 'lambda:Invoke is a data event: without a trail or event data store selecting AWS::Lambda::Function data events, invokes appear nowhere (not even in CloudTrail Event history), so an attacker running code through Lambda goes unseen.',
  fixable: false,
};

function check(context: RuleContext) {
  const trails = context.model.posture?.trails ?? [];
  // Logged, or cannot be known (a variable selector): nothing to report.
  if (trails.some((t) => t.lambdaDataEvents !== false)) return [];
  const suggestion = 'Add an advanced_event_selector with eventCategory = Data and resources.type = AWS::Lambda::Function (or event_selector { data_resource { type = "AWS::Lambda::Function", values = ["arn:aws:lambda"] } }).';
  return trails.length > 0
    ? detectiveFinding(context, meta, trails[0], `CloudTrail ${trails[0].address} does not log Lambda data events: function invokes go unrecorded.`, suggestion)
    : detectiveFinding(context, meta, undefined, 'No CloudTrail trail or event data store in the scan logs Lambda data events: function invokes go unrecorded.', suggestion);
}

export const IG501: Rule = { meta, check };
