import { actionEntriesMatching, effectOf, hasConditions, resourceEntriesCoveringAllFunctions } from '../iam/statement.js';
import { displayString } from '../model/value.js';
import { nearbyFunctions } from './support/suggest.js';
import type { Finding, Rule } from './types.js';

const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

export const IG201: Rule = {
  meta: {
    id: 'IG201',
    title: 'Identity policy allows invoking every Lambda function',
    severity: 'high',
    attack: 'T1648',
    description:
      'An identity policy that allows lambda:InvokeFunction (directly or through lambda:Invoke*, lambda:*, * or another matching wildcard) on every function lets whoever holds it run any function in the account: T1648 needs nothing more.',
    fixable: true,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const invokeActions = INVOKE_ACTIONS.filter((a) => catalog.exists(a) !== false);
    for (const policy of model.identityPolicies) {
      const statements = policy.document?.statements ?? [];
      // An unconditional Deny of invoke on every function in the same policy removes the grant.
      const denied = statements.some(
        (s) => effectOf(s) === 'Deny' && !hasConditions(s) && invokeActions.some((a) => actionEntriesMatching(s, a).length > 0) && resourceEntriesCoveringAllFunctions(s).length > 0,
      );
      if (denied) continue;
      for (const statement of statements) {
        if (effectOf(statement) !== 'Allow') continue;
        const matched = invokeActions.flatMap((a) => actionEntriesMatching(statement, a));
        const resources = resourceEntriesCoveringAllFunctions(statement);
        if (matched.length === 0 || resources.length === 0) continue;
        const action = matched[0];
        const granted = invokeActions.filter((a) => actionEntriesMatching(statement, a).length > 0);
        const functions = nearbyFunctions(model, policy.range.file).flatMap((f) => (f.arnExpression ? [f.arnExpression] : []));
        const where = statement.sid ? `statement "${statement.sid}"` : 'a statement';
        findings.push({
          ruleId: 'IG201',
          severity: 'high',
          message: `${policy.address} allows ${granted.join(' and ')} on every function (${where}: Action ${JSON.stringify(displayString(action))}, Resource ${JSON.stringify(displayString(resources[0]))}).`,
          range: action.range,
          resource: policy.address,
          evidence: `Action ${JSON.stringify(displayString(action))} on Resource ${JSON.stringify(displayString(resources[0]))}`,
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
