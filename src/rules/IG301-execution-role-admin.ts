import { actionEntriesMatching, coversAction, effectOf, hasScopingCondition, isUnconditionalDeny } from '../iam/statement.js';
import { boundaryChoices, identityGraph } from '../model/identity-graph.js';
import type { Range } from '../model/range.js';
import type { IdentityPolicy, Model, Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import { actionWildcard, wildcardMatches } from '../iam/wildcard.js';
import { identityLabel, policyLabel, statementsOf } from './support/identity.js';
import { callName, moduleValueOrigin, placeIn } from './support/module-value.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

/** Whether the statement's resource part is everything: `*`, or a NotResource (everything but a list). */
function onEveryResource(statement: Statement): boolean {
  return statement.resource.some((r) => knownString(r) === '*') || statement.notResource.length > 0;
}

/**
 * A wildcard grant on every resource: an action pattern (`*`, `service:*`; `except`: the service's actions a
 * NotAction boundary takes out of it), or an Allow with NotAction (its entries as written, `?` when unknown).
 */
type Wildcard = { action: string; except?: string[] } | { notAction: string[] };

const label = (w: Wildcard): string => ('action' in w ? (w.except ? `${w.action} except ${w.except.join(', ')}` : w.action) : `NotAction ${w.notAction.join(', ')}`);

/** What a statement grants that a stolen token could use everywhere: `*`, `service:*` or an Allow with NotAction, on every resource. */
function wildcardGrants(statement: Statement): Wildcard[] {
  if (effectOf(statement) !== 'Allow' || hasScopingCondition(statement) || !onEveryResource(statement)) return [];
  const grants: Wildcard[] = statement.action.flatMap((a) => {
    const text = knownString(a);
    const action = text === undefined ? undefined : actionWildcard(text);
    return action !== undefined ? [{ action }] : [];
  });
  if (statement.notAction.length > 0) grants.push({ notAction: statement.notAction.map((a) => knownString(a) ?? '?') });
  return grants;
}

/**
 * What a NotAction list leaves of a wildcard `service:*`: nothing when an entry covers every action of the
 * service (`*`, `lambda:*`, `lam*`); else the wildcard less the entries that name some of its actions
 * (`lambda:InvokeFunction`, `*:Get*`), which leaves nearly all of the service. Unknown entries (`?`) are not read.
 */
function leftOfService(notAction: string[], grant: { action: string }): Wildcard[] {
  const service = grant.action.slice(0, -2);
  const entries = notAction.map((a) => a.trim()).filter((a) => a !== '?');
  // Matching one- and three-character names no action has, only wildcards reach every action.
  if (entries.some((a) => wildcardMatches(a, `${service}:\u0000`) && wildcardMatches(a, `${service}:\u0000\u0000\u0000`))) return [];
  const named = entries.filter((a) => a.includes(':') && wildcardMatches(a.slice(0, a.indexOf(':')), service));
  return [named.length === 0 ? grant : { ...grant, except: named }];
}

/**
 * What a wildcard grant keeps under a permissions boundary's wildcard (both on every resource): `*`
 * keeps the other side, `service:*` meets itself whole, and a NotAction list less what it names of the
 * service (see leftOfService), and two NotAction lists leave what neither lists.
 */
function intersect(grant: Wildcard, ceiling: Wildcard): Wildcard[] {
  if ('notAction' in grant && 'notAction' in ceiling) return [{ notAction: [...new Set([...grant.notAction, ...ceiling.notAction])] }];
  if ('notAction' in grant) return intersect(ceiling, grant);
  if (grant.action === '*') return [ceiling];
  if ('notAction' in ceiling) return leftOfService(ceiling.notAction, grant);
  if (ceiling.action === '*' || ceiling.action.toLowerCase() === grant.action.toLowerCase()) return [grant];
  return [];
}

/** The unconditional Denies on every resource: what they cover, no Allow of the role can give. */
function denialsOnEveryResource(statements: Statement[]): Statement[] {
  return statements.filter((s) => isUnconditionalDeny(s) && s.resource.some((r) => knownString(r) === '*'));
}

/**
 * What is left of a wildcard grant after the Denies, as wildcards: a Deny of `*`, of the same wildcard or
 * of a NotAction list without it takes `service:*` away (a NotAction Deny of [s3:GetObject] leaves s3:GetObject, no
 * wildcard). Of `*`, a NotAction Deny leaves only the wildcards it lists (`logs:*`), unless another Deny covers them.
 * An Allow with NotAction goes only with a Deny of `*`.
 */
function remainingAfter(denials: Statement[], grant: Wildcard): Wildcard[] {
  if (denials.length === 0) return [grant];
  if ('notAction' in grant) return denials.some((d) => actionEntriesMatching(d, '*').length > 0) ? [] : [grant];
  if (grant.action !== '*') return denials.some((d) => coversAction(d, grant.action)) ? [] : [grant];
  if (denials.some((d) => actionEntriesMatching(d, '*').length > 0)) return [];
  const notAction = denials.find((d) => d.notAction.length > 0 && d.notAction.every((a) => knownString(a) !== undefined));
  if (!notAction) return [grant];
  const left = notAction.notAction.flatMap((a) => actionWildcard(knownString(a)!) ?? []).filter((a) => !denials.some((d) => coversAction(d, a)));
  return left.includes('*') ? [{ action: '*' }] : [...new Set(left)].map((action) => ({ action }));
}

/** The entry a wildcard grant reads in its statement: the Action entry it names (else the first NotAction entry). */
function writtenAt(statement: Statement, grant: Wildcard): Range {
  const action = 'action' in grant ? statement.action.find((a) => actionWildcard(knownString(a) ?? '')?.toLowerCase() === grant.action.toLowerCase()) : undefined;
  return (action ?? statement.notAction[0] ?? statement).range;
}

/**
 * Where a module instance's grant is written when that is outside the module's code (a document its call passes):
 * the place to change, which the policy's own location does not show.
 */
function writtenElsewhere(model: Model, grant: { action: string; policy: IdentityPolicy; written: Range }): string[] {
  const origin = moduleValueOrigin(model, grant.policy, grant.policy.policy.range, grant.written);
  if (origin?.kind !== 'passed') return [];
  const how = origin.argument ? `in the module block of ${callName(origin.call)}` : `and passed to ${callName(origin.call)} (${placeIn(origin.call.range, grant.policy)})`;
  return [`${JSON.stringify(grant.action)} is written at ${placeIn(grant.written, grant.policy)}, ${how}`];
}

export const IG301: Rule = {
  meta: {
    id: 'IG301',
    title: 'Lambda execution role has admin or wildcard permissions',
    severity: 'high',
    attack: 'T1648',
    description:
      'Whoever runs code in a function (through an invoke grant, a code update or a vulnerable dependency) holds its execution-role credentials, and those credentials work from anywhere ("Remote usage of AWS Lambda\'s token"). An execution role allowed * (or *:*, which IAM reads alike) or service:* (a service pattern such as s3*:* too) on every resource, an Allow with NotAction on every resource, or AdministratorAccess / PowerUserAccess attached turns one compromised function into control of the account. Reported once per role, naming the policies that grant it. Under a known permissions boundary only what both allow counts (AdministratorAccess under a boundary allowing logs:* on * is logs:*; lambda:* under a NotAction boundary naming lambda:InvokeFunction is the rest of lambda:*, reported as such), and the boundary\'s Denies apply; a boundary the scan cannot read (a variable, a policy outside the scan) leaves the finding as without one. A CloudFormation Fn::If boundary is any of its branches: what any branch leaves counts.',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const node of identityGraph(model).nodes) {
      if (!node.executionRole) continue;
      const statements = statementsOf(node);
      // A known permissions boundary caps every grant to what it allows too, and its Denies apply alike. Of one
      // that may be any of several documents, what each leaves counts.
      const grants = boundaryChoices(node).flatMap((document) => {
        const boundary = document?.statements;
        const denials = denialsOnEveryResource([...statements.map((s) => s.statement), ...(boundary ?? [])]);
        const ceilings = boundary?.flatMap(wildcardGrants);
        const capped = (grant: Wildcard) => (ceilings ? ceilings.flatMap((ceiling) => intersect(grant, ceiling)) : [grant]);
        return statements.flatMap(({ statement, policy }) =>
          wildcardGrants(statement)
            .flatMap(capped)
            .flatMap((w) => remainingAfter(denials, w))
            .map((w) => ({ action: label(w), policy, written: writtenAt(statement, w) })),
        );
      });
      if (grants.length === 0) continue;
      const actions = [...new Set(grants.map((g) => g.action))];
      // One policy per label: a role's Fn::If variants each record the policies it writes.
      const policies = [...new Map(grants.map((g) => [policyLabel(g.policy), g.policy])).values()];
      const elsewhere = [...new Set(grants.flatMap((g) => writtenElsewhere(model, g)))];
      findings.push({
        ruleId: 'IG301',
        severity: 'high',
        message: `Execution role ${identityLabel(node)} is allowed ${actions.map((a) => JSON.stringify(a)).join(', ')} on every resource (${policies.map(policyLabel).join(', ')}${elsewhere.map((e) => `; ${e}`).join('')}): a stolen function token would be that powerful, from anywhere.`,
        range: node.identity.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: `${actions.join(', ')} on * via ${policies.map((p) => p.address).join(', ')}`,
        suggestion: 'Give the execution role only the actions its code calls, on the ARNs it uses (e.g. dynamodb:GetItem on the orders table); never AdministratorAccess, PowerUserAccess, * or service:* on *.',
      });
    }
    return findings;
  },
};
