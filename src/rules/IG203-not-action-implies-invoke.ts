import { everyFunction, FUNCTION_PROBES, grantsOnAllFunctions, policiesReaching } from '../iam/statement.js';
import { displayString } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG203: Rule = {
  meta: {
    id: 'IG203',
    title: 'NotAction or NotResource allow implies invoking every function',
    severity: 'high',
    attack: 'T1648',
    remediation:
      'Replace `NotAction`/`NotResource` with explicit lists, or add `lambda:*` to `NotAction`, or add an explicit `Deny` of `lambda:InvokeFunction`.',
    description:
      'An Allow with NotAction grants every action not listed, and an Allow with NotResource every resource not listed: unless lambda:InvokeFunction is excluded, the holder can invoke every function. A policy used only as a permissions boundary (named by one, attached nowhere in the scan) grants nothing and is not reported; nor is an inline policy, or an AWS managed policy where an attachment names it, whose holders all have a known boundary that does not allow the grant. A customer managed policy attached anywhere is reported whatever its holders\' boundaries (it may be attached to unbounded identities outside the scan); a boundary the scan cannot read leaves the finding as without one.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const policy of policiesReaching(model.identityPolicies, FUNCTION_PROBES)) {
      for (const grant of grantsOnAllFunctions([policy.document!], 'lambda:InvokeFunction')) {
        if (grant.via === 'action') continue;
        if (!mayTakeEffect(model, policy, (boundary) => grantsOnAllFunctions([boundary], 'lambda:InvokeFunction').length > 0)) continue;
        const element = grant.via === 'not-action' ? 'NotAction' : 'NotResource';
        findings.push({
          ruleId: 'IG203',
          severity: 'high',
          message: `${policy.address} allows lambda:InvokeFunction on ${everyFunction(grant)} through ${element} ${JSON.stringify(displayString(grant.evidence))}: everything not listed is allowed.`,
          range: grant.evidence.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `${element} ${JSON.stringify(displayString(grant.evidence))}`,
          suggestion: `Replace ${element} with an explicit Action/Resource list; if ${element} must stay, add "lambda:*" to NotAction or an explicit Deny of lambda:InvokeFunction.`,
        });
      }
    }
    return findings;
  },
};
