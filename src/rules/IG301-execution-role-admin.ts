import { effectOf, hasScopingCondition } from '../iam/statement.js';
import { identityGraph } from '../model/identity-graph.js';
import type { Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import { identityLabel, policyLabel, statementsOf } from './support/identity.js';
import type { Finding, Rule } from './types.js';

/** `*` or `service:*`: every action, or every action of one service. */
const WILDCARD_ACTION = /^(\*|[a-z0-9-]+:\*)$/i;

/** Whether the statement's resource part is everything: `*`, or a NotResource (everything but a list). */
function onEveryResource(statement: Statement): boolean {
  return statement.resource.some((r) => knownString(r) === '*') || statement.notResource.length > 0;
}

/** What a statement grants that a stolen token could use everywhere: `*`, `service:*` or an Allow with NotAction, on every resource. */
function wildcardGrants(statement: Statement): string[] {
  if (effectOf(statement) !== 'Allow' || hasScopingCondition(statement) || !onEveryResource(statement)) return [];
  const actions = statement.action.flatMap((a) => {
    const text = knownString(a);
    return text !== undefined && WILDCARD_ACTION.test(text.trim()) ? [text.trim()] : [];
  });
  if (statement.notAction.length > 0) actions.push(`NotAction ${statement.notAction.map((a) => knownString(a) ?? '?').join(', ')}`);
  return actions;
}

/** An unconditional Deny of the same wildcard (or of everything) on every resource takes the grant away. */
function deniedIn(statements: Statement[], action: string): boolean {
  return statements.some(
    (s) =>
      effectOf(s) === 'Deny' &&
      s.condition.length === 0 &&
      s.resource.some((r) => knownString(r) === '*') &&
      s.action.some((a) => {
        const text = knownString(a)?.trim().toLowerCase();
        return text === '*' || text === action.toLowerCase();
      }),
  );
}

export const IG301: Rule = {
  meta: {
    id: 'IG301',
    title: 'Lambda execution role has admin or wildcard permissions',
    severity: 'high',
    attack: 'T1648',
    description:
      'Whoever runs code in a function (through an invoke grant, a code update or a vulnerable dependency) holds its execution-role credentials, and those credentials work from anywhere ("Remote usage of AWS Lambda\'s token"). An execution role allowed * or service:* on every resource, an Allow with NotAction on every resource, or AdministratorAccess / PowerUserAccess attached turns one compromised function into control of the account. Reported once per role, naming the policies that grant it.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const node of identityGraph(model).nodes) {
      if (!node.executionRole) continue;
      const statements = statementsOf(node);
      const all = statements.map((s) => s.statement);
      const grants = statements.flatMap(({ statement, policy }) => wildcardGrants(statement).filter((a) => !deniedIn(all, a)).map((action) => ({ action, policy })));
      if (grants.length === 0) continue;
      const actions = [...new Set(grants.map((g) => g.action))];
      const policies = [...new Set(grants.map((g) => g.policy))];
      findings.push({
        ruleId: 'IG301',
        severity: 'high',
        message: `Execution role ${identityLabel(node)} is allowed ${actions.map((a) => JSON.stringify(a)).join(', ')} on every resource (${policies.map(policyLabel).join(', ')}): a stolen function token would be that powerful, from anywhere.`,
        range: node.identity.range,
        resource: node.identity.address,
        evidence: `${actions.join(', ')} on * via ${policies.map((p) => p.address).join(', ')}`,
        suggestion: 'Give the execution role only the actions its code calls, on the ARNs it uses (e.g. dynamodb:GetItem on the orders table); never AdministratorAccess, PowerUserAccess, * or service:* on *.',
      });
    }
    return findings;
  },
};
