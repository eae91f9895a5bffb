import { mayInvoke } from '../iam/permission-actions.js';
import { classifyPrincipal } from '../iam/principal.js';
import { displayString, knownString } from '../model/value.js';
import { accountPinning, onlyAwsServices, unscopingNote } from './support/account-pinning.js';
import { invokeGrant } from './support/grant.js';
import { namedFunction, unnamedFunction } from './support/suggest.js';
import { rootsOf } from './support/roots.js';
import { valueOrigin } from './support/value-origin.js';
import type { Finding, Rule } from './types.js';

export const IG101: Rule = {
  meta: {
    id: 'IG101',
    title: 'Lambda permission grants invoke to any AWS principal',
    severity: 'critical',
    attack: 'T1648',
    tactics: ['TA0002', 'TA0003'],
    remediation:
      'Name the one caller: an account id or a service principal, plus `source_account`/`SourceAccount` and, for services, `source_arn`/`SourceArn` of the calling resource. If many accounts of your organisation call it, keep `*` only with `principal_org_id`/`PrincipalOrgID`.',
    description:
      'A resource permission with principal "*" and no source account, organisation id or account-bearing source ARN lets any AWS identity in any account invoke the function (or call its URL). A whole resource policy (a policy file, `aws lambda get-policy` output, or one put on a function with `aws_lambda_resource_policy` / `AWS::Lambda::ResourcePolicy`) is read statement by statement: each Allow is a grant, an Allow with `NotPrincipal` grants to every principal but those listed, and one with `NotAction` grants invoke unless it lists both lambda:InvokeFunction and lambda:InvokeFunctionUrl. An unconditional Deny of the same policy whose Principal is "*" (or the grantee), whose Resource is "*" (or the function) and whose action covers every invoke action the Allow gives removes the grant; a Deny whose one condition refuses callers outside an organisation or account (`StringNotEquals aws:PrincipalOrgID`, aws:PrincipalAccount, aws:SourceAccount) scopes it as that condition on the Allow would; other conditional Denies (several conditions, aws:SourceIp, one the scan cannot read) and Denies with NotPrincipal or NotResource remove nothing. In a policy file, a statement counts only if its Resource can be a Lambda function (Lambda writes the function ARN; `"Resource": "*"` is an endpoint or control policy; in a policy put on a function, `*` is that function), and fixed aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgPaths, aws:SourceVpc(e) conditions scope it too; aws:SourceIp does not, nor does a `StringLike` aws:SourceAccount or aws:PrincipalOrgID with a wildcard (`*1*`, `o-a*` name many accounts or organisations). A permission whose action covers no invoke action (lambda:GetFunction alone) invokes nothing and is left to IG105.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const permission of model.permissions) {
      if (!permission.principal || classifyPrincipal(permission.principal.value).kind !== 'public') continue;
      // A grant of other actions only (lambda:GetFunction) lets nothing invoke; IG105 reports it.
      if (!mayInvoke(permission)) continue;
      // "*" limited to AWS service principals is IG102's confused deputy, not a grant to any AWS identity.
      if (onlyAwsServices(permission)) continue;
      const pinning = accountPinning(permission, true);
      if (pinning.pinned !== false) continue;
      const name = namedFunction(model, permission);
      const target = name ?? unnamedFunction(permission);
      const origin = valueOrigin(permission.principal);
      findings.push({
        ruleId: 'IG101',
        severity: 'critical',
        message: `${permission.address} lets any AWS principal ("*"${origin ? ` ${origin}` : ''}) invoke ${target}: ${pinning.why} and no organisation id${unscopingNote(permission.unscopingConditions)}.`,
        range: permission.principal.range,
        resource: permission.address,
        ...rootsOf(permission),
        ...invokeGrant({ kind: 'any-principal' }, name),
        evidence: `principal = ${JSON.stringify(displayString(permission.principal.value))}`,
        suggestion: `Grant ${target} to the one account or service that calls it (its account id or service principal) and add a source account or organisation id condition; never "*".`,
      });
    }
    return findings;
  },
};
