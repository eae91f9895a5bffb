import { coversAction, coversAllFunctions, deniedOnAllFunctions, effectOf, FUNCTION_PROBES, hasScopingCondition, policiesReaching, resourceEntriesCoveringAllFunctions } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString, type Value } from '../model/value.js';
import { mayTakeEffect } from './support/boundary.js';
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
      'lambda:* (or *) on every resource lets the holder run any function, replace its code, open resource permissions (AddPermission, or PutResourcePolicy replacing the whole resource policy) and create public function URLs: execution and persistence in one grant. A policy used only as a permissions boundary (named by one, attached nowhere in the scan) grants nothing and is not reported; nor is an inline policy, or an AWS managed policy where an attachment names it, whose holders all have a known boundary that does not allow the grant. A customer managed policy attached anywhere is reported whatever its holders\' boundaries (it may be attached to unbounded identities outside the scan); a boundary the scan cannot read leaves the finding as without one.',
    fixable: false,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const lambdaActions = catalog.expand('lambda:*');
    if (lambdaActions.length === 0) return findings;
    for (const policy of policiesReaching(model.identityPolicies, FUNCTION_PROBES)) {
      for (const statement of policy.document!.statements) {
        const entry = fullControl(policy.document!, statement, lambdaActions);
        if (!entry) continue;
        // Under a known permissions boundary, only if the boundary gives full control too.
        if (!mayTakeEffect(model, policy, (boundary) => boundary.statements.some((s) => boundaryFullControl(boundary, s, lambdaActions)))) continue;
        const resource = resourceEntriesCoveringAllFunctions(statement)[0];
        findings.push({
          ruleId: 'IG202',
          severity: 'high',
          message: `${policy.address} allows ${JSON.stringify(knownString(entry))} on ${JSON.stringify(displayString(resource) ?? 'every resource')}: every Lambda action (${lambdaActions.length}) on every function.`,
          range: entry.range,
          resource: policy.address,
          ...rootsOf(policy),
          evidence: `Action ${JSON.stringify(knownString(entry))}`,
          suggestion: 'List the Lambda actions this identity needs (e.g. lambda:InvokeFunction, lambda:GetFunction) on the ARNs of its functions; keep lambda:UpdateFunctionCode, lambda:AddPermission, lambda:PutResourcePolicy and lambda:CreateFunctionUrlConfig for the deployment role only.',
        });
      }
    }
    return findings;
  },
};

/** The Action entry by which a statement of a document allows every Lambda action on every function, unscoped and not denied. */
function fullControl(document: PolicyDocument, statement: Statement, lambdaActions: readonly string[]): Value | undefined {
  if (!unscopedOnAllFunctions(statement)) return undefined;
  const entry = statement.action.find((a) => {
    const pattern = knownString(a);
    return pattern !== undefined && lambdaActions.every((action) => wildcardMatches(pattern, action));
  });
  // A Deny in the same policy (lambda:*, or a NotAction naming no Lambda action) leaves nothing of the grant; one leaving any Lambda action keeps the finding.
  return entry && !deniedOnAllFunctions(document, statement, lambdaActions) ? entry : undefined;
}

/**
 * Whether a boundary statement lets full control through. Any action part covering every Lambda action does,
 * a NotAction one included (AWS managed PowerUserAccess: NotAction iam:*, organizations:*, account:*): a boundary
 * only caps, so what the grant is reported by (its Action entry) does not matter here.
 */
function boundaryFullControl(boundary: PolicyDocument, statement: Statement, lambdaActions: readonly string[]): boolean {
  return unscopedOnAllFunctions(statement) && lambdaActions.every((action) => coversAction(statement, action)) && !deniedOnAllFunctions(boundary, statement, lambdaActions);
}

/** An Allow with no scoping condition on every function: the only statement that can give full control. */
function unscopedOnAllFunctions(statement: Statement): boolean {
  return effectOf(statement) === 'Allow' && !hasScopingCondition(statement) && coversAllFunctions(statement);
}
