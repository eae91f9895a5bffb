import { FUNCTION_PROBES, grantsByStatement } from '../iam/statement.js';
import { displayString } from '../model/value.js';
import { nearbyFunctions } from './support/suggest.js';
import type { Finding, Rule } from './types.js';

/** The actions that run a function's code. */
export const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

export const IG201: Rule = {
  meta: {
    id: 'IG201',
    title: 'Identity policy allows invoking every Lambda function',
    severity: 'high',
    attack: 'T1648',
    remediation:
      'List the ARNs of the functions this identity calls (a qualifier pattern such as `function:orders-*` is fine), or their Terraform/CloudFormation references.',
    description:
      'An identity policy that allows lambda:InvokeFunction (directly or through lambda:Invoke*, lambda:*, * or another matching wildcard) on every function lets whoever holds it run any function in the account: T1648 needs nothing more. An unconditional Deny in the same policy removes the grant; conditions on the resource (tags, function ARN) scope it.',
    fixable: true,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const invokeActions = INVOKE_ACTIONS.filter((a) => catalog.exists(a) !== false);
    for (const policy of model.identityPolicies) {
      if (!policy.document) continue;
      // NotAction / NotResource grants are IG203's.
      const grants = grantsByStatement(policy.document, invokeActions.map((a) => [a, FUNCTION_PROBES] as const), (g) => g.via === 'action');
      if (grants.length === 0) continue;
      const functions = nearbyFunctions(model, policy.range.file).flatMap((f) => (f.arnExpression ? [f.arnExpression] : []));
      for (const { actions, grant } of grants) {
        const action = displayString(grant.evidence);
        const resource = displayString(grant.resource);
        const where = grant.statement.sid ? `statement "${grant.statement.sid}"` : 'a statement';
        findings.push({
          ruleId: 'IG201',
          severity: 'high',
          message: `${policy.address} allows ${actions.join(' and ')} on every function (${where}: Action ${JSON.stringify(action)}, Resource ${JSON.stringify(resource)}).`,
          range: grant.evidence.range,
          resource: policy.address,
          evidence: `Action ${JSON.stringify(action)} on Resource ${JSON.stringify(resource)}`,
          suggestion:
            functions.length > 0
              ? `Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. Resource = [${functions.join(', ')}].`
              : 'Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls (arn:aws:lambda:REGION:ACCOUNT:function:NAME); no function is defined in this scan to name.',
        });
      }
    }
    return findings;
  },
};
