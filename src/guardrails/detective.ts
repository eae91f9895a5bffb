import type { ResourceBase } from '../model/types.js';
import type { Finding, RuleContext, RuleMeta } from '../rules/types.js';
import { guardrailsActive, organisationAnchor } from './activation.js';

/**
 * A detective-guardrail finding: on the resource that should carry the control when there is
 * one (a trail without Lambda data events), else on the organisation's anchor resource.
 */
export function detectiveFinding(context: RuleContext, meta: RuleMeta, at: ResourceBase | undefined, message: string, suggestion: string): Finding[] {
  if (!guardrailsActive(context, 'detective')) return [];
  const anchor = at ?? organisationAnchor(context);
  if (!anchor) return [];
  return [{ ruleId: meta.id, severity: meta.severity, message, range: anchor.range, resource: anchor.address, suggestion }];
}
