import { everyFunction, FUNCTION_PROBES, grantsByStatement, grantsOnAllFunctions, LAYER_PROBES, policiesReaching } from '../iam/statement.js';
import type { PolicyDocument } from '../model/types.js';
import { displayString } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

/** The API calls that open a function (or layer) to others: T1648's persistence steps. */
const TAMPERING_ACTIONS: Array<[string, readonly string[]]> = [
  ['lambda:AddPermission', FUNCTION_PROBES],
  ['lambda:CreateFunctionUrlConfig', FUNCTION_PROBES],
  ['lambda:UpdateFunctionUrlConfig', FUNCTION_PROBES],
  ['lambda:AddLayerVersionPermission', LAYER_PROBES],
];

export const IG205: Rule = {
  meta: {
    id: 'IG205',
    title: 'Identity policy can open any function to others (permission tampering)',
    severity: 'high',
    attack: 'T1648',
    tactics: ['TA0003'],
    remediation:
      'Keep these actions for the deployment role, on the ARNs of the functions it deploys; add an SCP that denies `lambda:AddPermission` with `lambda:Principal` `*` and function URLs with `lambda:FunctionUrlAuthType` `NONE`.',
    description:
      'lambda:AddPermission, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig or lambda:AddLayerVersionPermission on every resource lets the holder add a resource permission or a public function URL to any function: a persistent invoke path that survives the loss of their credentials. A policy used only as a permissions boundary (named by one, attached nowhere in the scan) grants nothing and is not reported; nor is an inline policy, or an AWS managed policy where an attachment names it, whose holders all have a known boundary that does not allow the grant. A customer managed policy attached anywhere is reported whatever its holders\' boundaries (it may be attached to unbounded identities outside the scan); a boundary the scan cannot read leaves the finding as without one.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    // Only a policy reaching every function or every layer can grant these on every resource.
    const reaching = new Set([...policiesReaching(model.identityPolicies, FUNCTION_PROBES), ...policiesReaching(model.identityPolicies, LAYER_PROBES)]);
    for (const policy of model.identityPolicies) {
      if (!reaching.has(policy)) continue;
      for (const { actions, grant, qualifiedOnly } of grantsByStatement(policy.document!, TAMPERING_ACTIONS)) {
        const allows = (boundary: PolicyDocument) => TAMPERING_ACTIONS.some(([action, probes]) => actions.includes(action) && grantsOnAllFunctions([boundary], action, probes).length > 0);
        if (!mayTakeEffect(model, policy, allows)) continue;
        const evidence = grant.evidence;
        findings.push({
          ruleId: 'IG205',
          severity: 'high',
          message: `${policy.address} allows ${actions.join(', ')} on ${everyFunction({ qualifiedOnly }, 'every resource')} (via ${JSON.stringify(displayString(evidence))}): it can open any function to any principal.`,
          range: evidence.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `${JSON.stringify(displayString(evidence))} → ${actions.join(', ')}`,
          suggestion: 'Keep these actions for the deployment role only, on the ARNs of the functions it deploys, and deny them elsewhere (an SCP denying lambda:AddPermission with lambda:Principal "*" and function URLs with AuthType NONE).',
        });
      }
    }
    return findings;
  },
};
