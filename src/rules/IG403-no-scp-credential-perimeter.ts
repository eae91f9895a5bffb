import { scenarioFindings } from '../guardrails/scenario-rule.js';
import type { Rule, RuleMeta } from './types.js';

const meta: RuleMeta = {
  id: 'IG403',
  title: 'No SCP keeps Lambda execution-role credentials inside the network perimeter',
  severity: 'high',
  attack: 'T1648',
  tactics: ['TA0002', 'TA0006'],
  description: 'A Lambda execution-role token stolen from a function (SSRF, code injection) works from any internet address. An SCP denying requests that carry lambda:SourceFunctionArn from outside your CIDRs / VPCs (aws:SourceIp, aws:SourceVpc, aws:VpceOrgID, aws:ViaAWSService) makes it useless outside. An SCP counts only if it denies the attack in every region and for every organisation id, with the token used from an address outside every range the SCPs allow-list (allow-listing every IPv4 or IPv6 address is no perimeter), for the token of any function of any account it reaches: a lambda:SourceFunctionArn pattern limited to one region, one account or some function names (anyone who creates a function names it) leaves the others\' tokens usable. A region lock does not count.',
  fixable: false,
};

export const IG403: Rule = {
  meta,
  check: (context) =>
    scenarioFindings(context, meta, 'Deny calls carrying lambda:SourceFunctionArn from outside your CIDRs, VPCs and VPC endpoints (functions outside a VPC need their egress range listed).'),
};
