import { functionNamed, functionReach, globCompiler, sharedFunction, type FunctionReach, type GlobCompiler, type ScopedGrant, type SharedFunction } from '../iam/shared-function.js';
import { coversAction, effectOf, everyFunction, FUNCTION_PROBES, grantsOnAllFunctions, type Grant } from '../iam/statement.js';
import { boundaryChoices, identityGraph, type IdentityNode } from '../model/identity-graph.js';
import type { IamIdentity, IdentityPolicy, LambdaFunction, Model, PolicyDocument, Statement } from '../model/types.js';
import { displayString, knownString } from '../model/value.js';
import { parseOperator } from '../iam/condition-operators.js';
import { anyLayer, ownLayerGrants } from './support/layer-grants.js';
import { deployedFunctionNames, deployedNameOf } from './support/deployed-functions.js';
import { identityLabel, policyLabel } from './support/identity.js';
import { passRoleToLambda } from './support/pass-role.js';
import { isAdministrator, POWER_LABELS, powersBeyond, powersOf, ROLE_PROBES, type Power } from './support/powers.js';
import { rootsOf } from './support/roots.js';
import { stableEvidence } from './support/stable-evidence.js';
import { taggedDeployment } from './support/tagged-deployment.js';
import type { Finding, Rule } from './types.js';

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
      // Replaces the function's resource policy: a statement letting the caller invoke it, as AddPermission adds one.
      ['lambda:PutResourcePolicy', FUNCTION_PROBES],
    ],
  },
];

interface Escalation {
  actions: string[];
  /** What the actions reach, for the message: "… on every resource", or the functions two steps share. */
  clauses: string[];
  policies: IdentityPolicy[];
  /**
   * A function this scan deploys, when every way found creates a function and runs it by the name of
   * one the scan deploys, in a region and account the ARN fixes, and the caller cannot delete it:
   * CreateFunction fails on a name while its function exists (ResourceConflictException), so the path
   * is open only while one is absent (before its first deploy, after someone else deletes it).
   * Reported a step lower, saying so.
   */
  deployedOnly?: string;
  /** Found on the path without iam:PassRole (see takeover). */
  takeover?: Takeover;
}

/**
 * The caller's code put in an existing function runs as the role that function already has: no iam:PassRole, and an
 * escalation when that role holds a power the caller lacks (see powers.ts). `target`: the function of the scan and its
 * role; absent when the grant reaches every function and the scan holds the role of none (any role a function runs with).
 */
interface Takeover {
  target?: { fn: LambdaFunction; role: IdentityNode; beyond: Power[] };
}

/** An execution role of the scan holding some power, and the functions that run as it. */
interface Target {
  role: IdentityNode;
  powers: ReadonlySet<Power>;
}

/** The scan's execution roles holding some power, the most powerful first; under any of its boundaries (a power any branch allows counts). */
function takeoverTargets(nodes: readonly IdentityNode[]): Target[] {
  const targets = nodes.flatMap((role) => {
    if (role.functions.length === 0) return [];
    const documents = role.policies.flatMap(({ policy }) => (policy.document ? [policy.document] : []));
    const powers = new Set(boundaryChoices(role).flatMap((boundary) => [...powersOf(documents, boundary)]));
    return powers.size > 0 ? [{ role, powers }] : [];
  });
  return targets.sort((a, b) => b.powers.size - a.powers.size);
}

/**
 * Whether the node's policies, taken together (Denies included), allow each step: every step on every resource, or PassRole
 * so and the function steps on one function they share. Under a boundary that may be one of several documents, under any one
 * (a branch that gives the critical finding wins over one that gives the deployed-only one).
 */
function escalation(node: IdentityNode, deployed: ReadonlySet<string>, scope: LazyScope): Escalation | undefined {
  let found: Escalation | undefined;
  for (const boundary of boundaryChoices(node)) {
    const result = escalationUnder(node, boundary, deployed, scope);
    if (result && !result.deployedOnly) return result;
    found ??= result;
  }
  return found;
}

/** escalation() under one boundary document (undefined: none known). */
function escalationUnder(node: IdentityNode, boundary: PolicyDocument | undefined, deployed: ReadonlySet<string>, scope: LazyScope): Escalation | undefined {
  const withDocument = node.policies.flatMap(({ policy }) => (policy.document ? [{ policy, document: policy.document }] : []));
  // Most identities hold no policy in the scan: nothing to grant the first step.
  if (withDocument.length === 0) return undefined;
  const documents: PolicyDocument[] = withDocument.map((p) => p.document);
  // A known permissions boundary: a step counts only if it allows it too (its own Denies included); an administrator under a narrower one is not one.
  if (isAdministrator(documents) && (!boundary || isAdministrator([boundary]))) return undefined;
  const statements = new Set<Statement>();
  // PassRole is judged as IAM judges a pass to Lambda (iam:PassedToService decided): see passRoleToLambda.
  const toLambda = passRoleToLambda(documents);
  const boundaryToLambda = boundary && passRoleToLambda([boundary]).documents[0];
  const granted = ({ actions: candidates }: (typeof STEPS)[number], set = documents, cap = boundary, original = (s: Statement) => s) =>
    candidates.flatMap(([action, probes]) => {
      if (cap && grantsOnAllFunctions([cap], action, probes).length === 0) return [];
      const grants = grantsOnAllFunctions(set, action, probes).map((g) => ({ ...g, statement: original(g.statement) }));
      if (grants.length === 0) return [];
      // Granted only on versions and aliases (`function:*:*`): say so, "on every resource" would overstate it.
      return [{ action, grants, named: grants.every((g) => g.qualifiedOnly) ? `${action} (on ${everyFunction(grants[0])})` : action }];
    });
  const policiesOf = () => withDocument.filter((p, i, all) => p.document.statements.some((s) => statements.has(s)) && all.findIndex((q) => q.policy === p.policy) === i).map((p) => p.policy);
  const withoutPassRole = (): Escalation | undefined => {
    const found = takeover(node, documents, boundary, scope, granted);
    if (!found) return undefined;
    for (const statement of found.statements) statements.add(statement);
    return { actions: found.actions, clauses: found.clauses, policies: policiesOf(), takeover: found.takeover };
  };
  const passRole = granted(STEPS[0], toLambda.documents, boundaryToLambda, toLambda.original);
  if (passRole.length === 0) return withoutPassRole();
  const [code, run] = [granted(STEPS[1]), granted(STEPS[2])];
  if (code.length > 0 && run.length > 0) {
    const steps = [...passRole, ...code, ...run];
    for (const { grants } of steps) for (const grant of grants) statements.add(grant.statement);
    const actions = steps.map((s) => s.named);
    return { actions, clauses: [`${actions.join(', ')} on every resource`], policies: policiesOf() };
  }
  const search = (compiler: GlobCompiler, keep: (grant: ScopedGrant) => boolean): Shared | undefined =>
    firstOf(SHARED_PATHS, (path) => sharedDeployment(documents, path, run, boundary, compiler, keep)) ?? layeredDeployment(documents, run, boundary, compiler) ?? taggedDeployment(documents, boundary, compiler, keep);
  const shared = search(globCompiler(), () => true);
  if (!shared) return withoutPassRole();
  // Found by running a deployed function: is there a way that does not? A search of its own, with its own budget;
  // one that ran out of budget has not shown there is none, so the finding stays critical.
  const deployedName = shared.run && deployedNameOf(shared.run, deployed);
  const elsewhere = deployedName === undefined ? undefined : globCompiler();
  const deployedOnly =
    elsewhere !== undefined &&
    !search(elsewhere, (grant) => deployedNameOf(grant, deployed) === undefined) &&
    elsewhere.budget.left > 0 &&
    shared.run !== undefined &&
    !deletesFirst(documents, shared.run, boundary, elsewhere);
  for (const { grants } of passRole) for (const grant of grants) statements.add(grant.statement);
  for (const statement of shared.statements) statements.add(statement);
  const passing = passRole.map((s) => s.named);
  return {
    actions: [...passing, ...shared.actions],
    clauses: [`${passing.join(', ')} on every resource`, ...(shared.before ? [shared.before] : []), shared.clause],
    policies: policiesOf(),
    ...(deployedOnly && deployedName ? { deployedOnly: deployedName } : {}),
  };
}

/** What the path without iam:PassRole weighs: the scan's execution roles, and whether it holds the role of any function at all. */
interface TakeoverScope {
  targets: Target[];
  rolesKnown: boolean;
  /** Each function's ARN pattern by address (see GlobCompiler.functionArns); an address two functions of different names share is left out. */
  functionArns: ReadonlyMap<string, string>;
}

/** The scope, computed on first use (it weighs every execution role of the scan; few principals may update a function). */
type LazyScope = () => TakeoverScope;

function lazyScope(model: Model, nodes: readonly IdentityNode[]): () => TakeoverScope {
  let scope: TakeoverScope | undefined;
  return () => (scope ??= takeoverScope(model, nodes));
}

function takeoverScope(model: Model, nodes: readonly IdentityNode[]): TakeoverScope {
  const targets = takeoverTargets(nodes);
  const withRole = new Set(nodes.flatMap((n) => n.functions));
  const functionArns = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const fn of model.functions) {
    const arn = functionArn(fn);
    if ((functionArns.get(fn.address) ?? arn) !== arn) ambiguous.add(fn.address);
    functionArns.set(fn.address, arn);
  }
  for (const address of ambiguous) functionArns.delete(address);
  return { targets, rolesKnown: model.functions.some((fn) => withRole.has(fn)), functionArns };
}

type Granted = (step: (typeof STEPS)[number]) => Array<{ action: string; grants: Grant[]; named: string }>;

/**
 * Replacing the code of an existing function, or adding a layer of one's own to it (see layeredDeployment), runs the
 * caller's code as the role the function already has: no iam:PassRole (Rhino Security Labs' lambda:UpdateFunctionCode
 * path). An escalation when that role holds a power the caller lacks (see powers.ts): a function of the scan whose role
 * does, which the update grants and a way to run it reach together (as on the PassRole paths, Denies and the boundary
 * included). When the scan holds the role of no function, a grant on every function reaches any role a function of the
 * account runs with, and needs no way to run it: some function of the account runs on its own triggers.
 */
function takeover(node: IdentityNode, documents: PolicyDocument[], boundary: PolicyDocument | undefined, scope: LazyScope, granted: Granted) {
  const updates = ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'];
  // Most identities may update no function: nothing to search, and the scope is never computed.
  const allows = (action: string) => documents.some((d) => d.statements.some((st) => effectOf(st) === 'Allow' && coversAction(st, action)));
  if (!updates.some(allows) || updates.every((action) => deniedUnlessTagged(documents, action))) return undefined;
  const { targets, rolesKnown, functionArns } = scope();
  if (!rolesKnown) return anyFunctionsRole(documents, boundary, granted);
  const run = granted(STEPS[2]);
  const compiler: GlobCompiler = { ...globCompiler(), functionArns };
  const caller = powersOf(documents, boundary);
  for (const { role, powers } of targets) {
    const beyond = powersBeyond(powers, caller);
    if (role === node || beyond.length === 0) continue;
    for (const fn of role.functions) {
      const pin = functionNamed(functionArn(fn), functionNameOf(fn), fn.range, compiler);
      const shared = sharedDeployment(documents, ['lambda:UpdateFunctionCode'], run, boundary, compiler, undefined, pin) ?? layeredDeployment(documents, run, boundary, compiler, pin);
      if (shared) return { actions: shared.actions, clauses: [...(shared.before ? [shared.before] : []), shared.clause], statements: shared.statements, takeover: { target: { fn, role, beyond } } };
    }
  }
  return undefined;
}

/**
 * Whether a Deny keeps the action to functions carrying a tag: on every function, its one condition a negated string
 * match of aws:ResourceTag/… ("Deny lambda:* unless aws:ResourceTag/app = orders"). That is the Allow with the positive
 * tag condition, which a grant on every function does not count as (hasScopingCondition): the scan holds no function's
 * tags, so which functions it leaves open is not known, and the takeover is not reported on either form.
 */
function deniedUnlessTagged(documents: readonly PolicyDocument[], action: string): boolean {
  return documents.some((d) =>
    d.statements.some((st) => {
      if (effectOf(st) !== 'Deny' || st.unknownCondition !== undefined || st.condition.length !== 1 || !coversAction(st, action)) return false;
      const [condition] = st.condition;
      const operator = parseOperator(condition.operator);
      const negated = operator !== undefined && !operator.qualifier && /^String(Not)(Equals|Like)(IgnoreCase)?$/.test(operator.base);
      return negated && /^aws:ResourceTag\/./i.test(condition.key) && st.resource.some((r) => knownString(r) === '*');
    }),
  );
}

/** The ARNs a function may have: its name (see functionNameOf) in any region and account. */
function functionArn(fn: LambdaFunction): string {
  return `arn:*:lambda:*:*:function:${functionNameOf(fn)}`;
}

/** The function's name as written (`${...}` pieces kept, each one fixed string), or one fixed string standing for a name the scan cannot read. */
function functionNameOf(fn: LambdaFunction): string {
  return (fn.functionName && displayString(fn.functionName.value)) ?? `\${${fn.address}.function_name}`;
}

/** takeover() when the scan holds no function's role: UpdateFunctionCode on every function, or UpdateFunctionConfiguration there and a layer of one's own. */
function anyFunctionsRole(documents: PolicyDocument[], boundary: PolicyDocument | undefined, granted: Granted) {
  const found = (steps: ReturnType<Granted>, layer?: { actions: string[]; clause: string; grants: Grant[][] }) => {
    const actions = steps.map((s) => s.named);
    const layerStatements = layer?.grants.flat().map((g) => g.statement) ?? [];
    return { actions: [...(layer?.actions ?? []), ...actions], clauses: [...(layer ? [layer.clause] : []), `${actions.join(', ')} on every function`], statements: [...layerStatements, ...steps.flatMap((s) => s.grants.map((g) => g.statement))], takeover: {} };
  };
  const code = granted({ step: 'replace function code', actions: [['lambda:UpdateFunctionCode', FUNCTION_PROBES]] });
  if (code.length > 0) return found(code);
  const layers = ownLayerGrants(documents, boundary);
  if (!layers) return undefined;
  const capped = boundary && anyLayer([boundary])[0];
  const configuration = grantsOnAllFunctions(anyLayer(documents), 'lambda:UpdateFunctionConfiguration');
  if (configuration.length === 0 || (capped && grantsOnAllFunctions([capped], 'lambda:UpdateFunctionConfiguration').length === 0)) return undefined;
  // anyLayer copies the documents: the statements themselves are the originals.
  const step = [{ action: 'lambda:UpdateFunctionConfiguration', grants: configuration, named: 'lambda:UpdateFunctionConfiguration' }];
  return found(step, layers);
}

/**
 * Whether the caller may delete the deployed function its run grant names (lambda:DeleteFunction on it, past the Denies
 * and the boundary): it then frees the name itself and the path is open now. A search that ran out of budget says yes.
 */
function deletesFirst(documents: PolicyDocument[], run: ScopedGrant, boundary: PolicyDocument | undefined, compiler: GlobCompiler): boolean {
  const deletes = functionReach(documents, 'lambda:DeleteFunction', compiler);
  if (deletes.grants.length === 0) return false;
  const caps = boundary ? [functionReach([boundary], 'lambda:DeleteFunction', compiler)] : [];
  const named: FunctionReach = { action: 'lambda:InvokeFunction', grants: [run], denied: [], deniedUnless: [] };
  return sharedFunction(named, deletes, compiler, caps) !== undefined || compiler.budget.left <= 0;
}

/**
 * UpdateFunctionConfiguration without UpdateFunctionCode: the caller points an existing function at a
 * role it passes and adds a layer it published; the layer's extension (`/opt/extensions`) runs in the
 * function's execution environment with the function's credentials, before the handler, in every runtime
 * (Lambda Developer Guide, "Augment Lambda functions using Lambda extensions"; Stratus Red Team
 * aws.persistence.lambda-layer-extension, tactic Privilege Escalation). Adding a layer needs
 * lambda:GetLayerVersion on it ("Granting users access to a Lambda layer"), so this path asks for
 * lambda:GetLayerVersion on every layer: a layer of the caller's own account, or one its account elsewhere shares
 * with everyone (a narrower grant is left out), and leaves out any UpdateFunctionConfiguration grant with a lambda:Layer
 * condition (it may admit only particular layers; the whole statement goes, which only takes findings away).
 */
function layeredDeployment(
  documents: PolicyDocument[],
  run: ReadonlyArray<{ action: string; grants: Grant[] }>,
  boundary: PolicyDocument | undefined,
  compiler: GlobCompiler,
  pin?: FunctionReach,
): Shared | undefined {
  const layerGrants = ownLayerGrants(documents, boundary);
  if (!layerGrants) return undefined;
  const shared = sharedDeployment(anyLayer(documents), ['lambda:UpdateFunctionConfiguration'], run, boundary && anyLayer([boundary])[0], compiler, undefined, pin);
  if (!shared) return undefined;
  return {
    actions: [...layerGrants.actions, ...shared.actions],
    before: layerGrants.clause,
    clause: shared.clause,
    statements: [...layerGrants.grants.flat().map((g) => g.statement), ...shared.statements],
  };
}

interface Shared {
  actions: string[];
  /** A clause naming what comes before the shared function (the layer the caller supplies). */
  before?: string;
  clause: string;
  statements: Statement[];
  /** The grant running a function the caller creates (the CreateFunction paths): the name it may be created under. */
  run?: ScopedGrant;
}

function firstOf<T, R>(items: readonly T[], find: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const found = find(item);
    if (found) return found;
  }
  return undefined;
}

/**
 * The ways to put one's own code in a function and have it run as a role one passes, each a set of
 * actions that must all reach one function, which a way to run it reaches too:
 * - CreateFunction: a new function, created with any role the caller can pass. One name is enough, even
 *   a single exact one: CreateFunction succeeds whenever the name is free (never deployed, deleted, or in
 *   a region or account the ARN allows but the function does not live in), and the grant stands for as
 *   long as the policy does.
 * - UpdateFunctionConfiguration and UpdateFunctionCode: an existing function, pointed at any role the
 *   caller can pass (UpdateFunctionConfiguration's Role needs iam:PassRole, to lambda.amazonaws.com) and
 *   given the caller's code. Any function the names match may exist, so a shared name is enough here too.
 * UpdateFunctionCode alone stays on the every-function path: an existing function keeps the role its
 * owner gave it, so only "every function" (some function runs as the most powerful role) makes it an
 * escalation. Without PassRole, that role is what takeover() weighs.
 */
const SHARED_PATHS: ReadonlyArray<readonly string[]> = [['lambda:CreateFunction'], ['lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionCode']];

/**
 * A shared path's actions and a way to run it on one function name they all share (see SHARED_PATHS).
 * An event source mapping on every mapping may name any function (lambda:FunctionArn is a condition, and a
 * scoping one removes the grant), so it runs whatever the path's actions reach. Computed only when PassRole
 * is already granted on every role.
 */
function sharedDeployment(
  documents: PolicyDocument[],
  path: readonly string[],
  run: ReadonlyArray<{ action: string; grants: Grant[] }>,
  boundary: PolicyDocument | undefined,
  compiler: GlobCompiler,
  keep: (grant: ScopedGrant) => boolean = () => true,
  pin?: FunctionReach,
): Shared | undefined {
  const [first, ...also] = path.map((action) => functionReach(documents, action, compiler));
  if (first.grants.length === 0 || also.some((r) => r.grants.length === 0)) return undefined;
  // A boundary must reach the shared function for each action too.
  const cap = (action: string) => (boundary ? [functionReach([boundary], action, compiler)] : []);
  // `pin`: the one function the search is about (a cap that is no grant).
  const pathCaps = [...path.flatMap(cap), ...(pin ? [pin] : [])];
  const named = (actions: readonly string[]) => (actions.length === 1 ? actions[0] : `${actions.slice(0, -1).join(', ')} and ${actions.at(-1)}`);
  const used = (shared: SharedFunction) => [shared.first.statement, ...(shared.second ? [shared.second.statement] : []), ...shared.also.map((g) => g.statement)];
  for (const [action] of STEPS[2].actions) {
    if (action === 'lambda:CreateEventSourceMapping') {
      const mapping = run.find((r) => r.action === action);
      const shared = mapping && sharedFunction(first, 'any-function', compiler, pathCaps, also);
      if (mapping && shared)
        return {
          actions: [...path, action],
          clause: `${named(path)} on ${shared.scope} and ${action} on every event source mapping`,
          statements: [...used(shared), ...mapping.grants.map((g) => g.statement)],
        };
      continue;
    }
    const reach = functionReach(documents, action, compiler);
    // `keep` chooses among the functions a CreateFunction path runs; an existing function reconfigured is another matter.
    const creates = path[0] === 'lambda:CreateFunction';
    if (creates) reach.grants = reach.grants.filter(keep);
    if (reach.grants.length === 0) continue;
    const shared = sharedFunction(first, reach, compiler, [...pathCaps, ...cap(action)], also);
    if (shared) return { actions: [...path, action], clause: `${named([...path, action])} on ${shared.scope}`, statements: used(shared), ...(creates && shared.second ? { run: shared.second } : {}) };
  }
  return undefined;
}

/** What a takeover's code runs as, for the message. */
function takeoverNote({ target }: Takeover): string {
  if (!target) {
    return ' The code runs as any role a function of the account runs with, when that function next runs on its own triggers; no function in this scan has an execution role the scan holds, so which roles those are is not known (high, not critical). No iam:PassRole is needed.';
  }
  const { fn, role, beyond } = target;
  const holds = beyond.includes('administrator') ? POWER_LABELS.administrator : beyond.map((p) => POWER_LABELS[p]).join(', ');
  const written = fn.functionName && displayString(fn.functionName.value);
  const named = written ? `function \`${written}\` (${fn.address})` : `function ${fn.address}`;
  return ` The code runs in ${named} as its execution role ${identityLabel(role)}, which holds ${holds} that this principal lacks. No iam:PassRole is needed.`;
}

export const IG204: Rule = {
  meta: {
    id: 'IG204',
    title: 'Principal can escalate privileges through Lambda (PassRole + create/update code + invoke, or code in a more powerful function)',
    severity: 'critical',
    attack: 'T1648',
    description:
      'A role, user, group or IAM Identity Center permission set (whoever is assigned it) whose policies together allow iam:PassRole on every role, and a way to put code in a function and run it, can create a function that runs as any role in the account and then run it: its own permissions become those of the most powerful role it can pass. Putting code in and running it means lambda:CreateFunction together with lambda:InvokeFunction, lambda:AddPermission or lambda:PutResourcePolicy (it replaces the function\'s resource policy with one letting the caller invoke it, as AddPermission adds a statement that does) on one function name they share (`function:app-*` for both is enough: the caller creates app-evil and invokes it; so is one exact name, which CreateFunction takes whenever it is free), or with lambda:CreateEventSourceMapping on every mapping; or lambda:UpdateFunctionConfiguration and lambda:UpdateFunctionCode with one of the four on one function they all share (the caller points an existing function at any role it can pass, puts its code in and runs it), or without UpdateFunctionCode when lambda:GetLayerVersion is granted on every layer and the UpdateFunctionConfiguration grant has no lambda:Layer condition (the caller adds a layer it publishes, here with lambda:PublishLayerVersion or in an account of its own that shares it with everyone, whose extension runs with the credentials of the function); or lambda:UpdateFunctionCode with one of the four on every function (without UpdateFunctionConfiguration an existing function keeps the role its owner gave it, so only every function makes that an escalation). iam:PassRole counts as CreateFunction and UpdateFunctionConfiguration ask for it, with iam:PassedToService = lambda.amazonaws.com: a grant whose PassedToService condition admits only other services (ec2.amazonaws.com, StringNotEquals lambda.amazonaws.com) or a value the scan cannot read gives nothing, and a Deny whose only condition is a PassedToService one admitting Lambda removes the step (the key is always present, so IfExists operators decide as their base); `lambda.${AWS::URLSuffix}` and other partition-aware spellings read as Lambda, and a list is decided by the values the scan can read (one Lambda value makes StringEquals hold). `${aws:username}` and unknown Terraform or CloudFormation values in a name are one fixed string the caller cannot choose: shared with themselves and with `*`, not with another prefix. The grants may sit in different policies (inline, attached, inherited from a group); an unconditional Deny in the set removes what it covers, and one covering every function both steps share removes the escalation. Reported once per principal, naming every policy that contributes; administrators (* on *) have nothing to escalate to and are left to IG202/IG301. A known permissions boundary of the principal must allow each step too, on the shared function where that is the path (its Denies apply), and an administrator under a narrower boundary is not one; a boundary the scan cannot read leaves the finding as without one. An InvokeFunction, AddPermission or PutResourcePolicy grant gated by aws:ResourceTag counts on a function the caller creates when it may tag it to match on create: lambda:CreateFunction and lambda:TagResource (tagging on create needs both, as the Lambda Developer Guide says under "Using tags on Lambda functions") on one name the gated grant shares, their aws:RequestTag and aws:TagKeys (ForAllValues / ForAnyValue) conditions admitting one value the aws:ResourceTag conditions of the gated grant admit too (StringEquals and StringLike and their negations; a policy variable such as `${aws:PrincipalTag/team}` or an unknown value is one fixed value, met by itself and by a pattern that matches anything); an operator or value the scan cannot decide (`…IgnoreCase`, a set qualifier on a single-valued key) gives nothing, and the message names the tag key and the statements. When every way found creates a function and runs it by the name of one this scan deploys (`arn:aws:lambda:us-east-1:123456789012:function:orders`, with aws_lambda_function `orders` in the scan), the finding is high, not critical, and says so: CreateFunction fails on a name while its function exists, so the path opens only while it is absent (before its first deploy, after someone else deletes it). A name is unique only within one region and account, so the ARN must fix both, literally or as the deployment\'s own (`${AWS::Region}`, `${AWS::AccountId}`, data.aws_region and data.aws_caller_identity references): `arn:aws:lambda:*:*:function:orders` stays critical, as does a principal that may also lambda:DeleteFunction the deployed function (it frees the name itself). A CloudFormation Fn::If boundary is any of its branches: an escalation any branch allows is reported. Without iam:PassRole, a principal that can put its code in an existing function runs it as the role that function already has (Rhino Security Labs\' lambda:UpdateFunctionCode path): an escalation when that execution role holds a power the principal lacks: administrator access (`*` on `*`), IAM write access (iam:PutRolePolicy, AttachRolePolicy, UpdateAssumeRolePolicy, PutUserPolicy, AttachUserPolicy, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile or CreatePolicyVersion on every role, user or policy), iam:PassRole to Lambda on every role, or sts:AssumeRole on every role (each judged under the role\'s known boundaries; one any of them allows counts). Putting code in means lambda:UpdateFunctionCode, or lambda:UpdateFunctionConfiguration with lambda:GetLayerVersion on every layer (as above, no lambda:Layer condition); with one of the four ways to run it, on a function of the scan that runs as such a role (named as written, in any region and account, or by a reference to its ARN such as aws_lambda_function.x.arn or !GetAtt X.Arn; Denies and the principal\'s boundary as on the other paths): critical, naming the function, its role and the powers. When the scan deploys no function whose role it holds, the grant on every function reaches any role a function of the account runs with, and needs no way to run it (a function runs on its own triggers): high, as which roles those are is not known. A function whose role is no more powerful than the principal is no escalation. A Deny of both update actions on every function unless the function carries a tag (a negated aws:ResourceTag condition) keeps the principal to tagged functions, as the Allow with that tag condition does: the scan holds no function tags, so neither form is reported on this path.',
    fixable: false,
  },
  check({ model }) {
    const graph = identityGraph(model);
    const deployed = deployedFunctionNames(model);
    const scope = lazyScope(model, graph.nodes);
    const findings: Finding[] = [];
    const reported = new Set<IamIdentity>();
    const found = graph.nodes.flatMap((node) => {
      const result = escalation(node, deployed, scope);
      return result ? [{ node, result }] : [];
    });
    for (const { node } of found) if (node.identity.kind === 'group') reported.add(node.identity);
    for (const { node, result } of found) {
      // A user who has it only through one group already reported adds nothing new.
      const vias = new Set(result.policies.map((p) => node.policies.find((e) => e.policy === p)?.via));
      const [only] = vias;
      if (node.identity.kind === 'user' && vias.size === 1 && only !== undefined && reported.has(only)) continue;
      const who = node.identity.kind === 'group' ? `every member of group ${identityLabel(node)}` : node.identity.kind === 'permission-set' ? `whoever is assigned permission set ${identityLabel(node)}` : identityLabel(node);
      const deployedOnly = result.deployedOnly
        ? ` Every way found runs the function it creates under the name of one this scan deploys (\`${result.deployedOnly}\`), which CreateFunction cannot take while that function exists: high, not critical, as the path opens only while it is absent (before its first deploy, after someone else deletes it, or if the ARN's region and account are not the ones it deploys to).`
        : '';
      const { takeover } = result;
      findings.push({
        ruleId: 'IG204',
        severity: result.deployedOnly || (takeover && !takeover.target) ? 'high' : 'critical',
        message: `${who} can escalate privileges through Lambda: ${result.clauses.join(', ')}, ${result.policies.length > 1 ? 'granted together by' : 'granted by'} ${result.policies.map(policyLabel).join(', ')}.${deployedOnly}${takeover ? takeoverNote(takeover) : ''}`,
        range: node.identity.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        // A takeover names its function: the same grants reaching another one is another finding.
        evidence: `${stableEvidence(result.actions, (a) => a).join(' + ')} via ${result.policies.map((p) => p.address).join(', ')}${takeover ? ` on ${takeover.target?.fn.address ?? 'every function'}` : ''}`,
        suggestion: takeover
          ? 'Scope lambda:UpdateFunctionCode / UpdateFunctionConfiguration to the functions this principal deploys, whose execution roles hold no more than it does; keep the deployment of a powerful function to a principal as trusted as its role.'
          : 'Scope iam:PassRole to the execution roles this principal deploys (Resource = their ARNs, Condition iam:PassedToService = lambda.amazonaws.com) and lambda:CreateFunction / UpdateFunctionCode / InvokeFunction to its own function ARNs; keep deployment and invocation in different principals.',
      });
    }
    return findings;
  },
};
