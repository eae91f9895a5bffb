import { functionReach, globCompiler, sharedFunction } from '../iam/shared-function.js';
import { effectOf, everyFunction, FUNCTION_PROBES, grantsOnAllFunctions, type Grant } from '../iam/statement.js';
import { identityGraph, type IdentityNode } from '../model/identity-graph.js';
import type { IamIdentity, IdentityPolicy, PolicyDocument, Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import { identityLabel, policyLabel } from './support/identity.js';
import { rootsOf } from './support/roots.js';
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
  /** What the actions reach, for the message: "… on every resource", or the functions two steps share. */
  clauses: string[];
  policies: IdentityPolicy[];
}

/** `*` on `*` with no Deny anywhere in the set: an administrator has nothing to escalate to (IG202/IG301 report it). */
function isAdministrator(documents: PolicyDocument[]): boolean {
  const statements = documents.flatMap((d) => d.statements);
  if (statements.some((s) => effectOf(s) !== 'Allow')) return false;
  return statements.some((s) => s.condition.length === 0 && s.action.some((a) => knownString(a) === '*') && s.resource.some((r) => knownString(r) === '*'));
}

/** Whether the node's policies, taken together (Denies included), allow each step: every step on every resource, or PassRole so and the function steps on one function they share. */
function escalation(node: IdentityNode): Escalation | undefined {
  const withDocument = node.policies.flatMap(({ policy }) => (policy.document ? [{ policy, document: policy.document }] : []));
  // Most identities hold no policy in the scan: nothing to grant the first step.
  if (withDocument.length === 0) return undefined;
  const documents: PolicyDocument[] = withDocument.map((p) => p.document);
  // A known permissions boundary: a step counts only if it allows it too (its own Denies included); an administrator under a narrower one is not one.
  const boundary = node.boundary?.document;
  if (isAdministrator(documents) && (!boundary || isAdministrator([boundary]))) return undefined;
  const statements = new Set<Statement>();
  const granted = ({ actions: candidates }: (typeof STEPS)[number]) =>
    candidates.flatMap(([action, probes]) => {
      if (boundary && grantsOnAllFunctions([boundary], action, probes).length === 0) return [];
      const grants = grantsOnAllFunctions(documents, action, probes);
      if (grants.length === 0) return [];
      // Granted only on versions and aliases (`function:*:*`): say so, "on every resource" would overstate it.
      return [{ action, grants, named: grants.every((g) => g.qualifiedOnly) ? `${action} (on ${everyFunction(grants[0])})` : action }];
    });
  const passRole = granted(STEPS[0]);
  if (passRole.length === 0) return undefined;
  const [code, run] = [granted(STEPS[1]), granted(STEPS[2])];
  const policiesOf = () => withDocument.filter((p, i, all) => p.document.statements.some((s) => statements.has(s)) && all.findIndex((q) => q.policy === p.policy) === i).map((p) => p.policy);
  if (code.length > 0 && run.length > 0) {
    const steps = [...passRole, ...code, ...run];
    for (const { grants } of steps) for (const grant of grants) statements.add(grant.statement);
    const actions = steps.map((s) => s.named);
    return { actions, clauses: [`${actions.join(', ')} on every resource`], policies: policiesOf() };
  }
  const shared = sharedDeployment(documents, run, boundary);
  if (!shared) return undefined;
  for (const { grants } of passRole) for (const grant of grants) statements.add(grant.statement);
  for (const statement of shared.statements) statements.add(statement);
  const passing = passRole.map((s) => s.named);
  return { actions: [...passing, ...shared.actions], clauses: [`${passing.join(', ')} on every resource`, shared.clause], policies: policiesOf() };
}

/**
 * CreateFunction and a way to run it on one function name they share: the caller creates that
 * function with any role it can pass, then runs it. One name is enough, even a single exact one:
 * CreateFunction succeeds whenever the name is free (never deployed, deleted, or in a region or
 * account the ARN allows but the function does not live in), and the grant stands for as long as the
 * policy does. UpdateFunctionCode stays on the every-function path: it changes an existing function,
 * which keeps the role its owner gave it, so only "every function" (some function runs as the most
 * powerful role) makes it an escalation. An event source mapping on every mapping may name any
 * function (lambda:FunctionArn is a condition, and a scoping one removes the grant), so it runs
 * whatever CreateFunction makes. Computed only when PassRole is already granted on every role.
 */
function sharedDeployment(documents: PolicyDocument[], run: ReadonlyArray<{ action: string; grants: Grant[] }>, boundary: PolicyDocument | undefined): { actions: string[]; clause: string; statements: Statement[] } | undefined {
  const compiler = globCompiler();
  const create = functionReach(documents, 'lambda:CreateFunction', compiler);
  if (create.grants.length === 0) return undefined;
  // A boundary must reach the shared function for each action too.
  const cap = (action: string) => (boundary ? [functionReach([boundary], action, compiler)] : []);
  const createCap = cap(create.action);
  for (const [action] of STEPS[2].actions) {
    if (action === 'lambda:CreateEventSourceMapping') {
      const mapping = run.find((r) => r.action === action);
      const shared = mapping && sharedFunction(create, 'any-function', compiler, createCap);
      if (mapping && shared)
        return {
          actions: [create.action, action],
          clause: `${create.action} on ${shared.scope} and ${action} on every event source mapping`,
          statements: [shared.first.statement, ...mapping.grants.map((g) => g.statement)],
        };
      continue;
    }
    const reach = functionReach(documents, action, compiler);
    if (reach.grants.length === 0) continue;
    const shared = sharedFunction(create, reach, compiler, [...createCap, ...cap(action)]);
    if (shared) return { actions: [create.action, action], clause: `${create.action} and ${action} on ${shared.scope}`, statements: [shared.first.statement, shared.second!.statement] };
  }
  return undefined;
}

export const IG204: Rule = {
  meta: {
    id: 'IG204',
    title: 'Principal can escalate privileges through Lambda (PassRole + create/update code + invoke)',
    severity: 'critical',
    attack: 'T1648',
    description:
      'A role, user or group whose policies together allow iam:PassRole on every role, and a way to put code in a function and run it, can create a function that runs as any role in the account and then run it: its own permissions become those of the most powerful role it can pass. Putting code in and running it means lambda:CreateFunction together with lambda:InvokeFunction or lambda:AddPermission on one function name they share (`function:app-*` for both is enough: the caller creates app-evil and invokes it; so is one exact name, which CreateFunction takes whenever it is free), or with lambda:CreateEventSourceMapping on every mapping; or lambda:UpdateFunctionCode with one of the three on every function (an existing function keeps the role its owner gave it, so only every function makes that an escalation). `${aws:username}` and unknown Terraform or CloudFormation values in a name are one fixed string the caller cannot choose: shared with themselves and with `*`, not with another prefix. The grants may sit in different policies (inline, attached, inherited from a group); an unconditional Deny in the set removes what it covers, and one covering every function both steps share removes the escalation. Reported once per principal, naming every policy that contributes; administrators (* on *) have nothing to escalate to and are left to IG202/IG301. A known permissions boundary of the principal must allow each step too, on the shared function where that is the path (its Denies apply), and an administrator under a narrower boundary is not one; a boundary the scan cannot read leaves the finding as without one.',
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
        message: `${who} can escalate privileges through Lambda: ${result.clauses.join(', ')}, granted together by ${result.policies.map(policyLabel).join(', ')}.`,
        range: node.identity.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: `${result.actions.join(' + ')} via ${result.policies.map((p) => p.address).join(', ')}`,
        suggestion: 'Scope iam:PassRole to the execution roles this principal deploys (Resource = their ARNs, Condition iam:PassedToService = lambda.amazonaws.com) and lambda:CreateFunction / UpdateFunctionCode / InvokeFunction to its own function ARNs; keep deployment and invocation in different principals.',
      });
    }
    return findings;
  },
};
