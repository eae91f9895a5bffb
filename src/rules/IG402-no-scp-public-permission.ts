import { scenarioFindings } from '../guardrails/scenario-rule.js';
import type { Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG402',
  title: 'No SCP stops public Lambda resource permissions',
  severity: 'high',
  attack: 'T1648',
  tactics: ['TA0002', 'TA0003'],
  description: 'Without an SCP denying lambda:AddPermission and lambda:PutResourcePolicy for lambda:Principal "*" (and lambda:AddLayerVersionPermission, which has no principal condition key), a compromised identity can open a function or layer to every AWS account. PutResourcePolicy replaces the function\'s whole resource policy with any document and carries lambda:Principal too, so an SCP denying AddPermission alone leaves it open. An SCP counts only if it denies the attack whatever region, source address (inside the network too) and organisation id the request carries, on every function and layer of every account it reaches (a Resource limited to one region\'s or one account\'s functions leaves the rest open): a region lock does not.',
  fixable: false,
};

export const IG402: Rule = {
  meta,
  check: (context) => scenarioFindings(context, meta, 'Deny lambda:AddPermission and lambda:PutResourcePolicy for Principal "*" and keep layer sharing to a layer-admin role.'),
};
