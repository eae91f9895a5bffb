import { lambdaFunctionName } from '../iam/arn.js';
import { mayInvoke } from '../iam/permission-actions.js';
import { classifyPrincipal } from '../iam/principal.js';
import { coversAction, coversAllFunctions, effectOf, hasScopingCondition, isUnconditionalDeny, resourcePattern } from '../iam/statement.js';
import { wildcardMatches } from '../iam/wildcard.js';
import { addressedInStack, allInStack, identityGraph, sameStack, type IdentityNode, type Referrer } from '../model/identity-graph.js';
import type { Range } from '../model/range.js';
import type { IdentityKind, IdentityPolicy, LambdaFunction, LambdaPermission, Model, PolicyDocument, ResourceBase, Statement } from '../model/types.js';
import { displayString, knownString, resourcesOf, type Value } from '../model/value.js';
import { accountPinning, servicePinning } from '../rules/support/account-pinning.js';

export interface Location {
  file: string;
  line: number;
}

/** A grant on the function itself: a Lambda permission (or SAM event, resource policy file) or a function URL. */
export interface ResourceInvoker {
  kind: 'resource-permission' | 'function-url';
  /** The principal as written (`*`, `s3.amazonaws.com`, an account, a role ARN); `*` for an AuthType NONE URL. */
  principal: string;
  principalClass: 'public' | 'service' | 'account' | 'arn' | 'unknown';
  via: string;
  location: Location;
  sourceArn?: string;
  sourceAccount?: string;
  principalOrgId?: string;
  /** The Alexa skill id that may invoke (`event_source_token`). */
  eventSourceToken?: string;
  /** Anyone in any account can use it (`*` unpinned, or a URL with AuthType NONE). */
  public: boolean;
  /** Not pinned to one caller: a public grant, a service principal usable for any account's resources, an Alexa principal usable by any skill. */
  unscoped: boolean;
}

/** An identity policy in the scan allowing invoke on the function, and who holds it. */
export interface IdentityInvoker {
  kind: 'identity-policy';
  /** The role, user or group holding the policy (its address, or its name as written when it is not in the scan); null when attached to nothing. */
  principal: string | null;
  principalType: IdentityKind | null;
  /** Where the principal is declared, when it is in the scan. */
  principalLocation?: Location;
  /** A module's role, user or group: the Terraform root whose call made this instance; a nested stack's: its root template. */
  principalRoot?: string;
  /** A user who holds it through a group: the group. */
  viaGroup?: string;
  policy: string;
  location: Location;
  /** The grant covers every function (`*`, `function:*`, NotResource…), not this one by name. */
  allFunctions: boolean;
  /** Condition keys on the granting statement (they may narrow it). */
  conditions?: string[];
  /** Every function, with no condition that scopes it to some. */
  unscoped: boolean;
}

export type Invoker = ResourceInvoker | IdentityInvoker;

export interface FunctionInvokers {
  function: string;
  location: Location;
  /**
   * A module's function: the Terraform root whose call made this instance; a nested stack's: the root
   * template whose tree made it (two roots' instances share address and place).
   */
  root?: string;
  invokers: Invoker[];
}

const INVOKE = 'lambda:InvokeFunction';

/**
 * Per Lambda function in the model, every principal that can invoke it, in model order. Pure.
 * Inverted so it stays linear in the scan: each permission, URL and policy statement finds its
 * functions once and files its invoker under each, rather than every function asking every grant.
 */
export function invokerGraph(model: Model): FunctionInvokers[] {
  const index = functionIndex(model);
  const resource = new Map<LambdaFunction, ResourceInvoker[]>();
  const identity = new Map<LambdaFunction, IdentityInvoker[]>();
  const file = <T>(lists: Map<LambdaFunction, T[]>, fn: LambdaFunction, invoker: T) => {
    const list = lists.get(fn);
    if (list) list.push(invoker);
    else lists.set(fn, [invoker]);
  };
  for (const permission of model.permissions) {
    // A grant of other actions only (lambda:GetFunction, a resource policy's UpdateFunctionCode) makes no invoker.
    if (!permission.functionName || !mayInvoke(permission)) continue;
    const fns = targets(index, permission.functionName.value, permission);
    if (fns.length === 0) continue;
    const invoker = permissionInvoker(permission);
    for (const fn of fns) file(resource, fn, invoker);
  }
  for (const url of model.functionUrls) {
    // An AWS_IAM URL is reached through the invoke grants listed beside it; only NONE adds a caller.
    if (!url.functionName || knownString(url.authorizationType?.value)?.toUpperCase() !== 'NONE') continue;
    const invoker: ResourceInvoker = { kind: 'function-url', principal: '*', principalClass: 'public', via: url.address, location: at(url.authorizationType?.range ?? url.range), public: true, unscoped: true };
    for (const fn of targets(index, url.functionName.value, url)) file(resource, fn, invoker);
  }
  for (const { fn, invoker } of identityInvokers(model, index)) file(identity, fn, invoker);
  const seen = new Map<string, Set<string>>();
  return model.functions
    .filter((fn) => {
      // The same function listed twice from one file and root or tree (one per variant, say): the first entry stands.
      const places = seen.get(fn.address) ?? new Set<string>();
      seen.set(fn.address, places);
      const place = `${fn.range.file}\u0000${fn.root ?? ''}\u0000${fn.rootTemplate ?? ''}`;
      if (places.has(place)) return false;
      places.add(place);
      return true;
    })
    .map((fn) => {
      const root = instanceRoot(fn);
      return { function: fn.address, location: at(fn.range), ...(root !== undefined ? { root } : {}), invokers: dedupe([...(resource.get(fn) ?? []), ...(identity.get(fn) ?? [])]) };
    });
}

/** What tells one instance of shared code from another: a module's Terraform root, a nested stack's root template. */
function instanceRoot(resource: ResourceBase): string | undefined {
  return resource.rootTemplate ?? (resource.address.startsWith('module.') ? resource.root : undefined);
}

function at(range: Range): Location {
  return { file: range.file, line: range.line };
}

function permissionInvoker(permission: LambdaPermission): ResourceInvoker {
  const principal = classifyPrincipal(permission.principal?.value);
  const unpinned = (principal.kind === 'service' ? servicePinning(permission, principal.service) : accountPinning(permission, principal.kind === 'public')).pinned === false;
  const text = (v: Value | undefined) => (v === undefined ? undefined : displayString(v));
  const sourceArn = text(permission.sourceArn?.value);
  const sourceAccount = text(permission.sourceAccount?.value);
  const principalOrgId = text(permission.principalOrgId?.value);
  const eventSourceToken = text(permission.eventSourceToken?.value);
  return {
    kind: 'resource-permission',
    principal: displayString(permission.principal?.value) ?? '(unknown)',
    principalClass: principal.kind,
    via: permission.address,
    location: at(permission.principal?.range ?? permission.range),
    ...(sourceArn !== undefined ? { sourceArn } : {}),
    ...(sourceAccount !== undefined ? { sourceAccount } : {}),
    ...(principalOrgId !== undefined ? { principalOrgId } : {}),
    ...(eventSourceToken !== undefined ? { eventSourceToken } : {}),
    public: principal.kind === 'public' && unpinned,
    unscoped: (principal.kind === 'public' || principal.kind === 'service') && unpinned,
  };
}

interface PolicySet {
  /** The identity in the scan holding the policies, when there is one. */
  holder?: IdentityNode;
  /** Every policy of the holder with a document (its Denies count), or the one policy when the holder is not in the scan. */
  policies: IdentityPolicy[];
  principal: string | null;
  principalType: IdentityInvoker['principalType'];
  principalLocation?: Location;
  principalRoot?: string;
  viaGroup?: string;
}

/** Every (function, identity invoker) pair, in policy order, then holder-set order, then model order of the functions. */
function identityInvokers(model: Model, index: FunctionIndex): Array<{ fn: LambdaFunction; invoker: IdentityInvoker }> {
  const graph = identityGraph(model);
  const pairs: Array<{ fn: LambdaFunction; invoker: IdentityInvoker }> = [];
  // A holder's set is the same for every policy it holds: its Denies (and its boundary) are read once.
  const deniedFor = new Map<IdentityNode, ReadonlySet<LambdaFunction> | 'all'>();
  const boundedFor = new Map<IdentityNode, ReadonlySet<LambdaFunction> | undefined>();
  for (const policy of model.identityPolicies) {
    // A policy used only as a permissions boundary grants nothing.
    if (!policy.document || graph.boundaryOnly(policy)) continue;
    const grants = invokeGrants(index, policy.document, policy);
    if (grants.size === 0) continue;
    const holders = graph.holdersOf(policy);
    const sets: PolicySet[] =
      holders.length > 0
        ? holders.map((node) => {
            const via = node.policies.find((e) => e.policy === policy)?.via;
            const principalRoot = instanceRoot(node.identity);
            return {
              holder: node,
              policies: node.policies.flatMap((e) => (e.policy.document ? [e.policy] : [])),
              principal: node.identity.address,
              principalType: node.identity.kind,
              principalLocation: at(node.identity.range),
              ...(principalRoot !== undefined ? { principalRoot } : {}),
              ...(via ? { viaGroup: via.address } : {}),
            };
          })
        : unresolvedHolders(policy);
    for (const set of sets) {
      let denied = set.holder && deniedFor.get(set.holder);
      // Each Deny is read where its own policy stands, so a holder's set is the same whichever policy asks.
      if (!denied) denied = deniedFunctions(index, set.policies.map((p) => ({ document: p.document!, referrer: p })));
      if (set.holder) deniedFor.set(set.holder, denied);
      if (denied === 'all') continue;
      let bounded = set.holder && boundedFor.get(set.holder);
      if (set.holder && !boundedFor.has(set.holder)) boundedFor.set(set.holder, (bounded = boundaryReach(index, set.holder)));
      // One invoker per granting statement, shared by the functions it reaches.
      const invokers = new Map<Statement, IdentityInvoker>();
      for (const [fn, grant] of grants) {
        if (denied.has(fn) || (bounded && !bounded.has(fn))) continue;
        let invoker = invokers.get(grant.statement);
        if (!invoker) invokers.set(grant.statement, (invoker = identityInvoker(policy, set, grant)));
        pairs.push({ fn, invoker });
      }
    }
  }
  return pairs;
}

function identityInvoker(policy: IdentityPolicy, set: PolicySet, grant: Grant): IdentityInvoker {
  const conditions = [...new Set(grant.statement.condition.map((c) => c.key))];
  return {
    kind: 'identity-policy',
    principal: set.principal,
    principalType: set.principalType,
    ...(set.principalLocation ? { principalLocation: set.principalLocation } : {}),
    ...(set.principalRoot !== undefined ? { principalRoot: set.principalRoot } : {}),
    ...(set.viaGroup ? { viaGroup: set.viaGroup } : {}),
    policy: policy.address,
    location: at(grant.statement.range),
    allFunctions: grant.allFunctions,
    ...(conditions.length > 0 ? { conditions } : {}),
    unscoped: grant.allFunctions && !hasScopingCondition(grant.statement),
  };
}

/** A policy whose holders are not in the scan: named as written (`role "ci-deployer"`), or null when attached to nothing. */
function unresolvedHolders(policy: IdentityPolicy): PolicySet[] {
  const written = (policy.holders ?? []).flatMap((h) => {
    const text = displayString(h.value);
    return text === undefined ? [] : [{ policies: [policy], principal: text, principalType: h.kind }];
  });
  return written.length > 0 ? written : [{ policies: [policy], principal: null, principalType: null }];
}

interface Grant {
  statement: Statement;
  allFunctions: boolean;
}

/**
 * Per function a policy lets its holder invoke, the first Allow statement that does (in model order of the
 * functions): one covering every function reaches those in its stack; one naming functions, those it names.
 */
function invokeGrants(index: FunctionIndex, document: PolicyDocument, policy: Referrer): Map<LambdaFunction, Grant> {
  const grants = new Map<LambdaFunction, Grant>();
  for (const statement of document.statements) {
    if (effectOf(statement) !== 'Allow' || !coversAction(statement, INVOKE)) continue;
    const allFunctions = coversAllFunctions(statement);
    const reached = allFunctions ? allInStack(index.all, statement.range, policy) : namedFunctions(index, statement, policy);
    for (const fn of reached) if (!grants.has(fn)) grants.set(fn, { statement, allFunctions });
  }
  return grants;
}

/** The functions an unconditional Deny in the holder's policies takes away: 'all' when one covers every function. Each document is read from where it stands (`referrer`). */
function deniedFunctions(index: FunctionIndex, documents: Array<{ document: PolicyDocument; referrer: Referrer }>): ReadonlySet<LambdaFunction> | 'all' {
  const denied = new Set<LambdaFunction>();
  for (const { document, referrer } of documents)
    for (const s of document.statements) {
      if (!isUnconditionalDeny(s) || !coversAction(s, INVOKE)) continue;
      if (coversAllFunctions(s)) return 'all';
      for (const fn of namedFunctions(index, s, referrer)) denied.add(fn);
    }
  return denied;
}

/**
 * A holder with a known permissions boundary: the functions the boundary lets it invoke (less those the
 * boundary denies); no other grant of its policies takes effect. Of a boundary that may be one of several
 * documents (Boundary.documents), what any one lets it invoke. Undefined: no boundary, or an unknown one.
 */
function boundaryReach(index: FunctionIndex, holder: IdentityNode): ReadonlySet<LambdaFunction> | undefined {
  const documents = holder.boundary?.documents;
  if (!documents) return undefined;
  const reach = new Set<LambdaFunction>();
  for (const { document, policy } of documents) {
    // An AWS managed boundary stands where the identity names it.
    const referrer: Referrer = policy ?? holder.identity;
    const denied = deniedFunctions(index, [{ document, referrer }]);
    if (denied === 'all') continue;
    for (const fn of invokeGrants(index, document, referrer).keys()) if (!denied.has(fn)) reach.add(fn);
  }
  return reach;
}

/** The functions a statement's Resource entries name (computed once per statement and graph: a statement is of one policy, `policy`, so of one root or stack tree). */
function namedFunctions(index: FunctionIndex, statement: Statement, policy: Referrer): ReadonlySet<LambdaFunction> {
  let named = index.named.get(statement);
  if (!named) {
    named = new Set(statement.resource.flatMap((entry) => targets(index, entry, policy, statement.range)));
    index.named.set(statement, named);
  }
  return named;
}

/** The model's functions, looked up by name (lower-cased), built once per graph; by address and stack, `addressedInStack`. */
interface FunctionIndex {
  all: readonly LambdaFunction[];
  /** Model position, to give lookups back in model order. */
  position: Map<LambdaFunction, number>;
  /** Functions with a known name: [function, name]. */
  withName: Array<[LambdaFunction, string]>;
  byLowerName: Map<string, LambdaFunction[]>;
  named: Map<Statement, ReadonlySet<LambdaFunction>>;
}

function functionIndex(model: Model): FunctionIndex {
  const index: FunctionIndex = { all: model.functions, position: new Map(), withName: [], byLowerName: new Map(), named: new Map() };
  const add = (map: Map<string, LambdaFunction[]>, key: string, fn: LambdaFunction) => {
    const list = map.get(key);
    if (list) list.push(fn);
    else map.set(key, [fn]);
  };
  model.functions.forEach((fn, i) => {
    index.position.set(fn, i);
    const own = knownString(fn.functionName?.value);
    if (own === undefined) return;
    index.withName.push([fn, own]);
    add(index.byLowerName, own.toLowerCase(), fn);
  });
  return index;
}

/**
 * The functions a permission's or URL's function value names, scoped to where that value is written
 * (`from`): a module's input is written in the caller's folder, whose resources it names.
 * A symbolic reference to the function resource (in the same stack tree or Terraform folder), its name, or an ARN
 * whose function name (wildcards allowed) matches. Unknown values denote nothing. In model order.
 * `referrer`: the resource holding the value; another Terraform root's or CloudFormation stack tree's instances are not named.
 */
function targets(index: FunctionIndex, value: Value, referrer: Referrer, from: Range = value.range): LambdaFunction[] {
  const resources = resourcesOf(value);
  if (resources.length > 0) {
    // By address and stack: a folder of templates that all say `Fn` reads the referrer's own.
    const found = new Set(resources.flatMap((address) => addressedInStack(index.all, address, from, referrer)));
    return inModelOrder(index, [...found]);
  }
  const pattern = resourcePattern(value);
  if (pattern === undefined) return [];
  const name = lambdaFunctionName(pattern);
  if (name === undefined || name.includes('${')) return [];
  // A plain ASCII name matches only names equal to it but for ASCII case: look those up; a wildcard or
  // other letters are matched against every named function. Either way wildcardMatches decides.
  const candidates = /^[\x20-\x29\x2b-\x3e\x40-\x7e]*$/.test(name) ? (index.byLowerName.get(name.toLowerCase()) ?? []).map((f) => [f, knownString(f.functionName?.value)!] as const) : index.withName;
  return candidates.flatMap(([f, own]) => (wildcardMatches(name, own) && sameStack(f, from, referrer) ? [f] : []));
}

function inModelOrder(index: FunctionIndex, fns: LambdaFunction[]): LambdaFunction[] {
  return fns.length > 1 ? fns.sort((a, b) => index.position.get(a)! - index.position.get(b)!) : fns;
}

function dedupe(invokers: Invoker[]): Invoker[] {
  const seen = new Set<string>();
  return invokers.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
