import { everyFunction, FUNCTION_PROBES, grantsByStatement, grantsOnAllFunctions, LAYER_PROBES, policiesReaching, type Grant } from '../iam/statement.js';
import type { PolicyDocument, Statement } from '../model/types.js';
import { displayString } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
import { rootsOf } from './support/roots.js';
import { stableEvidence } from './support/stable-evidence.js';
import { namedPrincipals, namesService, tamperingReach } from './support/tampering.js';
import type { Finding, Rule } from './types.js';

/** The API calls that open a function (or layer) to others: T1648's persistence steps. */
const TAMPERING_ACTIONS: Array<[string, readonly string[]]> = [
  ['lambda:AddPermission', FUNCTION_PROBES],
  // Replaces the function's whole resource policy with any document (Principal "*" included): AddPermission at once.
  ['lambda:PutResourcePolicy', FUNCTION_PROBES],
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
      'Keep these actions for the deployment role, on the ARNs of the functions it deploys; add an SCP that denies `lambda:AddPermission` and `lambda:PutResourcePolicy` with `lambda:Principal` `*` and function URLs with `lambda:FunctionUrlAuthType` `NONE`.',
    description:
      'lambda:AddPermission, lambda:PutResourcePolicy, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig or lambda:AddLayerVersionPermission on every resource lets the holder add a resource permission (or, with PutResourcePolicy, replace the function\'s whole resource policy) or a public function URL to any function: a persistent invoke path that survives the loss of their credentials. A policy used only as a permissions boundary (named by one, attached nowhere in the scan) grants nothing and is not reported; nor is an inline policy, or an AWS managed policy where an attachment names it, whose holders all have a known boundary that does not allow the grant. A customer managed policy attached anywhere is reported whatever its holders\' boundaries (it may be attached to unbounded identities outside the scan); a boundary the scan cannot read leaves the finding as without one. Conditions are read as Lambda sets their keys: a lambda:FunctionUrlAuthType condition that NONE fails (StringEquals `AWS_IAM`, StringNotEquals `NONE`) leaves the function URL actions out, since an IAM-authenticated URL opens the function to no one; a positive lambda:Principal match that `*` fails limits lambda:AddPermission to the principals it names (still reported, naming them: a service granted without a source account invokes for any account), but not lambda:PutResourcePolicy, whose one policy document may name many principals (how Lambda sets the single-valued key from them is not documented, so it stays reported as opening to any principal); and a condition requiring a key an action never carries (lambda:Principal on a URL or layer action) keeps that action out of the statement.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    // Only a policy reaching every function or every layer can grant these on every resource.
    const reaching = new Set([...policiesReaching(model.identityPolicies, FUNCTION_PROBES), ...policiesReaching(model.identityPolicies, LAYER_PROBES)]);
    for (const policy of model.identityPolicies) {
      if (!reaching.has(policy)) continue;
      // A grant whose conditions let it open no function to anyone (IAM-authenticated URLs only) is no tampering.
      const opens = (grant: Grant, action: string) => tamperingReach(grant.statement, action).kind !== 'none';
      for (const { actions, grant, qualifiedOnly } of grantsByStatement(policy.document!, TAMPERING_ACTIONS, opens)) {
        const allows = (boundary: PolicyDocument) =>
          TAMPERING_ACTIONS.some(([action, probes]) => actions.includes(action) && grantsOnAllFunctions([boundary], action, probes).some((g) => opens(g, action)));
        if (!mayTakeEffect(model, policy, allows)) continue;
        const evidence = grant.evidence;
        // A NotAction (NotResource) entry is what the statement leaves out, not what it grants: say so, as IG203 does.
        const element = grant.via === 'not-action' ? 'NotAction ' : grant.via === 'not-resource' ? 'NotResource ' : '';
        const written = `${element}${JSON.stringify(displayString(evidence))}`;
        const via = element ? `(through ${written}, which allows everything it does not list)` : `(via ${written})`;
        const scope = everyFunction({ qualifiedOnly }, 'every resource');
        findings.push({
          ruleId: 'IG205',
          severity: 'high',
          message: `${policy.address} allows ${actions.join(', ')} on ${scope} ${via}: ${whomItOpensTo(grant.statement, actions)}.`,
          range: evidence.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `${written} → ${stableEvidence(actions, (a) => a).join(', ')}`,
          suggestion: 'Keep these actions for the deployment role only, on the ARNs of the functions it deploys, and deny them elsewhere (an SCP denying lambda:AddPermission and lambda:PutResourcePolicy with lambda:Principal "*" and function URLs with AuthType NONE).',
        });
      }
    }
    return findings;
  },
};

/**
 * Whom the statement lets its holder open functions to: any principal, unless its only action reaching anyone is
 * lambda:AddPermission under a lambda:Principal condition naming particular principals.
 */
function whomItOpensTo(statement: Statement, actions: readonly string[]): string {
  const reaches = actions.map((action) => ({ action, reach: tamperingReach(statement, action) }));
  const named = reaches.find(({ reach }) => reach.kind === 'principals')?.reach;
  const principals = named?.kind === 'principals' ? namedPrincipals(named.condition) : [];
  const list = principals.map((p) => JSON.stringify(p)).join(', ');
  if (reaches.some(({ reach }) => reach.kind === 'any')) return `it can open any function to any principal${named ? ` (lambda:AddPermission only to ${list})` : ''}`;
  // A service granted without a source account invokes for a resource in any account (IG102's confused deputy).
  const services = principals.some(namesService) ? '; a grant to a service without a source account or source ARN lets it invoke for a resource in any account' : '';
  return `it can open any function to ${list} alone (its lambda:Principal condition)${services}`;
}
