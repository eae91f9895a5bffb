import { classifyPrincipal } from '../iam/principal.js';
import { accountPinning } from './support/account-pinning.js';
import { sourceArnCandidates, targetFunction } from './support/suggest.js';
import type { Finding, Rule } from './types.js';

export const IG102: Rule = {
  meta: {
    id: 'IG102',
    title: 'Service principal can invoke without being pinned to an account',
    severity: 'high',
    attack: 'T1648',
    remediation:
      "Add `source_account` (`SourceAccount`) with the account that owns the trigger, and `source_arn` (`SourceArn`) with the trigger's ARN (bucket, topic, rule, API). An S3 bucket ARN carries no account, so S3 triggers always need `source_account`.",
    description:
      'A grant to a service principal (*.amazonaws.com) without a source account, or a source ARN that carries one, lets that service invoke the function on behalf of a resource in any account (the confused deputy). S3 bucket ARNs carry no account, so a bucket source ARN alone does not pin one.',
    fixable: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const permission of model.permissions) {
      const principal = classifyPrincipal(permission.principal?.value);
      if (principal.kind !== 'service' || !permission.principal) continue;
      const pinning = accountPinning(permission, false);
      if (pinning.pinned !== false) continue;
      const target = targetFunction(model, permission);
      const sources = sourceArnCandidates(model, principal.service, permission.range.file);
      const sourceHint = sources.length > 0 ? ` and a source ARN such as ${sources.join(' or ')}` : '';
      findings.push({
        ruleId: 'IG102',
        severity: 'high',
        message: `${permission.address} lets ${principal.service} invoke ${target} for a resource in any account: ${pinning.why}.`,
        range: permission.principal.range,
        resource: permission.address,
        evidence: `principal = "${principal.service}"`,
        suggestion: `Add a source account condition (the account that owns the calling resource)${sourceHint}.`,
      });
    }
    return findings;
  },
};
