import { arnAccount } from '../iam/arn.js';
import { mayGrantInvoke } from '../iam/invoke-actions.js';
import { classifyPrincipal } from '../iam/principal.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG103: Rule = {
  meta: {
    id: 'IG103',
    title: 'Invoke permission to an account outside your estate',
    severity: 'medium',
    attack: 'T1648',
    remediation:
      'List the partner accounts you trust under `accounts` in `.invokeguard.yml`, or constrain the grant to your organisation with `principal_org_id`/`PrincipalOrgID`; otherwise remove it.',
    description:
      'A resource permission to an AWS account (or a role/user in it) that is not one of your configured accounts, and not constrained to your organisation, lets that account run the function. Runs only when `accounts` or `orgId` is configured; partners granted on purpose go into `accounts`. A permission whose action covers no invoke action (lambda:GetFunction alone) invokes nothing and is left to IG105.',
    fixable: false,
  },
  check({ model, config }) {
    const findings: Finding[] = [];
    const accounts = new Set(config?.accounts ?? []);
    if (accounts.size === 0 && !config?.orgId) return findings;
    for (const permission of model.permissions) {
      if (!permission.principal) continue;
      // A grant of other actions only (lambda:GetFunction) lets the account invoke nothing; IG105 reports it.
      if (!mayGrantInvoke(knownString(permission.action?.value))) continue;
      const principal = classifyPrincipal(permission.principal.value);
      const account = principal.kind === 'account' ? principal.account : principal.kind === 'arn' ? literalAccountOf(permission.principal.value) : undefined;
      if (!account || accounts.has(account)) continue;
      const org = knownString(permission.principalOrgId?.value);
      if (org !== undefined && (config?.orgId === undefined || org === config.orgId)) continue;
      findings.push({
        ruleId: 'IG103',
        severity: 'medium',
        message: `${permission.address} lets account ${account} (${displayString(permission.principal.value)}) invoke the function; it is not one of your configured accounts${config?.orgId ? ` and the grant is not constrained to ${config.orgId}` : ''}.`,
        range: permission.principal.range,
        resource: permission.address,
        ...rootsOf(permission),
        ...invokeGrant({ kind: 'account', account }, namedFunction(model, permission)),
        evidence: `principal = ${JSON.stringify(displayString(permission.principal.value))}`,
        suggestion: `If ${account} is a partner you trust, add it to \`accounts\` in .invokeguard.yml; otherwise remove the grant or constrain it with principal_org_id / PrincipalOrgID = your organisation id.`,
      });
    }
    return findings;
  },
};

/** The literal account id of a role/user ARN; split by ARN fields so `!Sub "arn:${AWS::Partition}:iam::…"` keeps its account. */
function literalAccountOf(arn: Value): string | undefined {
  const account = arnAccount(arn);
  return account.kind === 'account' && /^\d{12}$/.test(account.text) ? account.text : undefined;
}
