import type { Range } from '../model/range.js';
import type { RuleContext } from '../rules/types.js';
import { byPlace, firstOrgResource } from './organization.js';

/**
 * Guardrail rules run only where they mean something: a scan holding organisation code or a user
 * asking with `--guardrails`. An application repository stays silent. SCP files count for the
 * preventive rules (IG4xx); detective rules (IG5xx) need Organizations resources, since a folder of
 * policy JSON cannot hold a trail or a detector and their absence there says nothing.
 */
export function guardrailsActive(context: RuleContext, kind: 'preventive' | 'detective' = 'preventive'): boolean {
  if (context.guardrails) return true;
  const posture = context.model.posture;
  const orgCode = (posture?.orgPolicies.length ?? 0) + (posture?.attachments.length ?? 0) + (posture?.orgNodes.length ?? 0) > 0;
  if (orgCode) return true;
  return kind === 'preventive' && (context.model.standalonePolicies ?? []).some((p) => p.kind === 'scp');
}

/** Where an organisation-wide finding stands: the root or first org resource, else (with --guardrails) the scan's first resource. */
export function organisationAnchor(context: RuleContext): { address: string; range: Range } | undefined {
  const org = firstOrgResource(context.model);
  if (org) return org;
  return [...context.model.resources].sort(byPlace)[0];
}
