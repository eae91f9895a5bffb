import { coversAllFunctions, deniedOnAllFunctions, effectOf, FUNCTION_PROBES, hasScopingCondition, policiesReaching, resourceEntriesCoveringAllFunctions } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import { displayString, knownString } from '../model/value.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG202: Rule = {
  meta: {
    id: 'IG202',
    title: 'Identity policy grants full Lambda control on every function',
    severity: 'high',
    attack: 'T1648',
    tactics: ['TA0002', 'TA0003', 'TA0004'],
    remediation:
      'List the Lambda actions the identity needs on the ARNs of its functions; keep code, permission and URL changes for the deployment role.',
    description:
      'lambda:* (or *) on every resource lets the holder run any function, replace its code, open resource permissions and create public function URLs: execution and persistence in one grant.',
    fixable: false,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const lambdaActions = catalog.expand('lambda:*');
    if (lambdaActions.length === 0) return findings;
    for (const policy of policiesReaching(model.identityPolicies, FUNCTION_PROBES)) {
      for (const statement of policy.document!.statements) {
        if (effectOf(statement) !== 'Allow' || hasScopingCondition(statement) || !coversAllFunctions(statement)) continue;
        const entry = statement.action.find((a) => {
          const pattern = knownString(a);
          return pattern !== undefined && lambdaActions.every((action) => wildcardMatches(pattern, action));
        });
        if (!entry) continue;
        // A Deny in the same policy (lambda:*, or a NotAction naming no Lambda action) leaves nothing of the grant; one leaving any Lambda action keeps the finding.
        if (deniedOnAllFunctions(policy.document!, statement, lambdaActions)) continue;
        const resource = resourceEntriesCoveringAllFunctions(statement)[0];
        findings.push({
          ruleId: 'IG202',
          severity: 'high',
          message: `${policy.address} allows ${JSON.stringify(knownString(entry))} on ${JSON.stringify(displayString(resource) ?? 'every resource')}: every Lambda action (${lambdaActions.length}) on every function.`,
          range: entry.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `Action ${JSON.stringify(knownString(entry))}`,
          suggestion: 'List the Lambda actions this identity needs (e.g. lambda:InvokeFunction, lambda:GetFunction) on the ARNs of its functions; keep lambda:UpdateFunctionCode, lambda:AddPermission and lambda:CreateFunctionUrlConfig for the deployment role only.',
        });
      }
    }
    return findings;
  },
};
