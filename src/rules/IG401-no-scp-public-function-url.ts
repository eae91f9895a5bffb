import { scenarioFindings } from '../guardrails/scenario-rule.js';
import type { Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG401',
  title: 'No SCP stops public function URLs',
  severity: 'high',
  attack: 'T1648',
  tactics: ['TA0002', 'TA0003'],
  description: 'Without an SCP denying lambda:CreateFunctionUrlConfig / UpdateFunctionUrlConfig when lambda:FunctionUrlAuthType is NONE, anyone who can change a function can give it an unauthenticated URL: a persistent, internet-reachable trigger. An SCP counts only if it denies the attack whatever region, source address (inside the network too) and organisation id the request carries, on every function of every account it reaches (a Resource or condition limited to one region\'s, one account\'s or some names\' functions leaves the rest open; the function is in the requested region): a region lock does not.',
  fixable: false,
};

export const IG401: Rule = {
  meta,
  check: (context) => scenarioFindings(context, meta, 'Deny function URL configs with AuthType NONE organisation-wide.'),
};
