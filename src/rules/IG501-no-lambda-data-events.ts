import { detectiveFinding } from '../guardrails/detective.js';
import type { Trail } from '../model/posture.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG501',
  title: 'No CloudTrail trail logs Lambda data events',
  severity: 'medium',
  attack: 'T1648',
  description:
    'lambda:Invoke is a data event: without a trail or event data store selecting AWS::Lambda::Function data events, invokes appear nowhere (not even in CloudTrail Event history), so an attacker running code through Lambda goes unseen. A stopped trail (enable_logging = false, IsLogging: false) records nothing, nor does an event data store whose ingestion is stopped (suspend = true, IngestionEnabled: false), and a selector that leaves Invoke out (another field selector of the same advanced selector with eventName not_equals Invoke or readOnly = true, or a basic selector with read_write_type = ReadOnly: CloudTrail records Invoke as a write event, or eventSource other than lambda.amazonaws.com) logs no invokes. A selector keeping only some functions or callers (resources.ARN or userIdentity.arn with equals, starts_with or ends_with, a basic selector whose Values name functions) does not count: the attacker invokes another function; a resources.ARN prefix every function has (arn:aws:lambda) and exclusions (not_equals, not_starts_with) still count.',
  fixable: false,
};

/** Whether a trail can record invokes: logging, and selecting them (or either cannot be known). */
function recordsInvokes(trail: Trail): boolean {
  return trail.logging !== false && trail.lambdaDataEvents !== false;
}

function check(context: RuleContext) {
  const trails = context.model.posture?.trails ?? [];
  // Logged, or cannot be known (a variable selector): nothing to report.
  if (trails.some(recordsInvokes)) return [];
  const suggestion = 'Add an advanced_event_selector with eventCategory = Data and resources.type = AWS::Lambda::Function and nothing that leaves out eventName Invoke (or event_selector { read_write_type = "All", data_resource { type = "AWS::Lambda::Function", values = ["arn:aws:lambda"] } }), on a trail that is logging.';
  if (trails.length === 0) return detectiveFinding(context, meta, undefined, 'No CloudTrail trail or event data store in the scan logs Lambda data events: function invokes go unrecorded.', suggestion);
  // Prefer a stopped trail that would otherwise log invokes: turning it on is the whole fix.
  const trail = trails.find((t) => t.logging === false && t.lambdaDataEvents !== false) ?? trails[0];
  const gap = trail.logging === false ? undefined : trail.invokeGap;
  if (gap) {
    // The selector is there and logs some invokes: say which filter keeps the rest out. Its text is the evidence,
    // so rewording the message later keeps the fingerprint.
    const message = `CloudTrail ${trail.address} selects Lambda data events but ${gap.reason}: ${gap.unrecorded}.`;
    const fix = `${gap.fix[0].toUpperCase()}${gap.fix.slice(1)}.`;
    return detectiveFinding(context, meta, trail, message, fix).map((f) => ({ ...f, evidence: gap.filter }));
  }
  const message = trail.logging === false
    ? trail.kind === 'event-data-store'
      ? `CloudTrail event data store ${trail.address} does not ingest events (suspend = true / IngestionEnabled: false): function invokes go unrecorded.`
      : `CloudTrail ${trail.address} is not logging (enable_logging = false / IsLogging: false): function invokes go unrecorded.`
    : `CloudTrail ${trail.address} does not log Lambda Invoke data events: function invokes go unrecorded.`;
  return detectiveFinding(context, meta, trail, message, suggestion);
}

export const IG501: Rule = { meta, check };
