import { effectOf, everyFunction, FUNCTION_PROBES, grantsOnAllFunctions } from '../iam/statement.js';
import { identityGraph, type IdentityNode } from '../model/identity-graph.js';
import type { IamIdentity, IdentityPolicy, PolicyDocument } from '../model/types.js';
import { knownString } from '../model/value.js';
import { identityLabel, policyLabel } from './support/identity.js';
import type { Finding, Rule } from './types.js';

// Role names sharing no character (see FUNCTION_PROBES), one under a path.
const ROLE_PROBES = ['arn:aws:iam::111111111111:role/q', 'arn:aws:iam::222222222222:role/service-role/7-x_9'];
// Mapping ids are UUIDs: two sharing nothing but the dashes, so `event-source-mapping:0*` is not every mapping.
const MAPPING_PROBES = [
  'arn:aws:lambda:us-east-1:111111111111:event-source-mapping:01234abc-0123-4abc-a012-34abc01234ab',
  'arn:aws:lambda:eu-west-3:222222222222:event-source-mapping:56789def-5678-9def-d567-89def56789de',
];

/** The three steps of the escalation: pass a role, put code in a function, get the code run. */
const STEPS: ReadonlyArray<{ step: string; actions: ReadonlyArray<readonly [string, readonly string[]]> }> = [
  { step: 'pass a role', actions: [['iam:PassRole', ROLE_PROBES]] },
  {
    step: 'create or replace function code',
    actions: [
      ['lambda:CreateFunction', FUNCTION_PROBES],
      ['lambda:UpdateFunctionCode', FUNCTION_PROBES],
    ],
  },
  {
    step: 'run it',
    actions: [
      ['lambda:InvokeFunction', FUNCTION_PROBES],
      ['lambda:CreateEventSourceMapping', MAPPING_PROBES],
      ['lambda:AddPermission', FUNCTION_PROBES],
    ],
  },
];

interface Escalation {
  actions: string[];
  policies: IdentityPolicy[];
}

/** `*` on `*` with no Deny anywhere in the set: an administrator has nothing to escalate to (IG202/IG301 report it). */
function isAdministrator(documents: PolicyDocument[]): boolean {
  const statements = documents.flatMap((d) => d.statements);
  if (statements.some((s) => effectOf(s) !== 'Allow')) return false;
  return statements.some((s) => s.condition.length === 0 && s.action.some((a) => knownString(a) === '*') && s.resource.some((r) => knownString(r) === '*'));
}

/** Whether the node's policies, taken together (Denies included), allow each step on every resource. */
function escalation(node: IdentityNode): Escalation | undefined {
  const withDocument = node.policies.flatMap(({ policy }) => (policy.document ? [{ policy, document: policy.document }] : []));
  // Most identities hold no policy in the scan: nothing to grant the first step.
  if (withDocument.length === 0) return undefined;
  const documents: PolicyDocument[] = withDocument.map((p) => p.document);
  // A known permissions boundary: a step counts only if it allows it too (its own Denies included); an administrator under a narrower one is not one.
  const boundary = node.boundary?.document;
  if (isAdministrator(documents) && (!boundary || isAdministrator([boundary]))) return undefined;
  const actions: string[] = [];
  const policies = new Set<IdentityPolicy>();
  for (const { actions: candidates } of STEPS) {
    const granted = candidates.flatMap(([action, probes]) => {
      if (boundary && grantsOnAllFunctions([boundary], action, probes).length === 0) return [];
      const grants = grantsOnAllFunctions(documents, action, probes);
      for (const grant of grants) for (const p of withDocument) if (p.document.statements.includes(grant.statement)) policies.add(p.policy);
      if (grants.length === 0) return [];
      // Granted only on versions and aliases (`function:*:*`): say so, "on every resource" would overstate it.
      return [grants.every((g) => g.qualifiedOnly) ? `${action} (on ${everyFunction(grants[0])})` : action];
    });
    if (granted.length === 0) return undefined;
    actions.push(...granted);
  }
  return { actions, policies: withDocument.map((p) => p.policy).filter((p, i, all) => policies.has(p) && all.indexOf(p) === i) };
}

export const IG204: Rule = {
  meta: {
    id: 'IG204',
    title: 'Principal can escalate privileges through Lambda (PassRole + create/update code + invoke)',
    severity: 'critical',
    attack: 'T1648',
    description:
      'A role, user or group whose policies together allow iam:PassRole, lambda:CreateFunction or lambda:UpdateFunctionCode, and lambda:InvokeFunction, lambda:CreateEventSourceMapping or lambda:AddPermission, each on every resource, can create a function that runs as any role in the account and then run it: its own permissions become those of the most powerful role it can pass. The grants may sit in different policies (inline, attached, inherited from a group); an unconditional Deny in the set removes a grant. Reported once per principal, naming every policy that contributes; administrators (* on *) have nothing to escalate to and are left to IG202/IG301. A known permissions boundary of the principal must allow each step too (its Denies apply), and an administrator under a narrower boundary is not one; a boundary the scan cannot read leaves the finding as without one.',
    fixable: false,
  },
  check({ model }) {
    const graph = identityGraph(model);
    const findings: Finding[] = [];
    const reported = new Set<IamIdentity>();
    const found = graph.nodes.flatMap((node) => {
      const result = escalation(node);
      return result ? [{ node, result }] : [];
    });
    for (const { node } of found) if (node.identity.kind === 'group') reported.add(node.identity);
    for (const { node, result } of found) {
      // A user who has it only through one group already reported adds nothing new.
      const vias = new Set(result.policies.map((p) => node.policies.find((e) => e.policy === p)?.via));
      const [only] = vias;
      if (node.identity.kind === 'user' && vias.size === 1 && only !== undefined && reported.has(only)) continue;
      const who = node.identity.kind === 'group' ? `every member of group ${identityLabel(node)}` : identityLabel(node);
      findings.push({
        ruleId: 'IG204',
        severity: 'critical',
        message: `${who} can escalate privileges through Lambda: ${result.actions.join(', ')} on every resource, granted together by ${result.policies.map(policyLabel).join(', ')}.`,
        range: node.identity.range,
        resource: node.identity.address,
        evidence: `${result.actions.join(' + ')} via ${result.policies.map((p) => p.address).join(', ')}`,
        suggestion: 'Scope iam:PassRole to the execution roles this principal deploys (Resource = their ARNs, Condition iam:PassedToService = lambda.amazonaws.com) and lambda:CreateFunction / UpdateFunctionCode / InvokeFunction to its own function ARNs; keep deployment and invocation in different principals.',
      });
    }
    return findings;
  },
};
