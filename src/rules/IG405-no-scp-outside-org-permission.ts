import { scenarioFindings } from '../guardrails/scenario-rule.js';
import type { Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG405',
  title: 'No SCP keeps Lambda resource permissions inside the organisation',
  severity: 'medium',
  attack: 'T1648',
  tactics: ['TA0002', 'TA0003'],
  description: 'Without an SCP limiting lambda:Principal to your accounts (and service principals) on lambda:AddPermission and lambda:PutResourcePolicy (both carry the key; PutResourcePolicy replaces the whole resource policy), a compromised identity can grant an outside account invoke rights: a foothold that survives credential rotation. An SCP counts only if it denies the attack whatever region, source address (inside the network too) and organisation id the request carries, for an account none of the SCPs or the config names (an allow-listed partner is yours to trust; a wildcard account is not), on every function of every account it reaches: a region lock does not.',
  fixable: false,
};

export const IG405: Rule = {
  meta,
  check: (context) =>
    scenarioFindings(context, meta, 'Deny lambda:AddPermission and lambda:PutResourcePolicy unless lambda:Principal is one of your accounts or a service; list partner accounts you grant on purpose in the StringNotLike allow-list (<PARTNER_ACCOUNT_ID>).'),
};
