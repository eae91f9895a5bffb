import { dirname } from 'node:path';
import { trustStatements, trustsLambda } from '../iam/trust.js';
import { awsManagedDocument } from './aws-managed.js';
import { itemKey } from './choices.js';
import { policyDocumentFromValue } from './policy-document.js';
import type { Range } from './range.js';
import type { Attribute, IamIdentity, IdentityKind, IdentityPolicy, IdentityRef, LambdaFunction, Model, PolicyAttachment, PolicyDocument, Statement } from './types.js';
import { groupedBy } from './grouped-by.js';
import { displayString, type Value } from './value.js';

/** One policy reaching an identity, and how: its own/attached (`via` absent) or through a group it is in. */
export interface PolicyEdge {
  policy: IdentityPolicy;
  via?: IamIdentity;
}

export interface IdentityNode {
  identity: IamIdentity;
  /** Every policy that reaches it, in model order: its own, attached, and (users) its groups'. */
  policies: PolicyEdge[];
  /** Users: the groups they are in. */
  groups: IamIdentity[];
  /** Attachments to it whose policy is not in the scan (or cannot be known): never guessed. */
  unresolved: PolicyAttachment[];
  /** Roles: the functions that run with it. */
  functions: LambdaFunction[];
  /** Roles: trusted by lambda.amazonaws.com or used as a function's role. */
  executionRole: boolean;
  /**
   * Roles with a trust policy: its Allow statements that let someone assume the role, in any of its variants (IamIdentity.trustVariants;
   * computed once here; IG302 and IG303 read them).
   */
  trust: Statement[];
  /** Roles and users with a permissions boundary: the policy it names. */
  boundary?: Boundary;
  /** The policies written in its own definition, inline or as an attachment it makes (`partOfHolder`): its resource depends on each. */
  ownPolicies: IdentityPolicy[];
}

/**
 * A permissions boundary: the most an identity's own policies can give it. Effective permissions are
 * the intersection of both, and an explicit Deny in either applies ("Permissions boundaries for IAM
 * entities", IAM User Guide).
 */
export interface Boundary {
  attribute: Attribute;
  /**
   * The documents the boundary may be, when the scan knows every one: an AWS managed policy we hold, or a
   * customer managed policy in the scan. Several when CloudFormation `Fn::If` decides at deploy time which
   * boundary the identity gets (IamIdentity.boundaryVariants), or which document the policy it names holds:
   * any one of them may be deployed, so rules judge each alone and report a grant when any one lets it
   * through, and only then (no branch hides a grant, none invents one). Absent (an ARN outside the scan, a
   * variable, a variant with no boundary, a document we cannot read): unknown, and rules judge the
   * identity as if it had none.
   */
  documents?: BoundaryDocument[];
}

/** One document a boundary may be; `policy`: the customer managed policy of the scan it is, when one. */
export interface BoundaryDocument {
  document: PolicyDocument;
  policy?: IdentityPolicy;
}

/** The boundaries an identity may run under, each to be judged alone; `[undefined]` when it may run under none known. */
export function boundaryChoices(node: IdentityNode): ReadonlyArray<PolicyDocument | undefined> {
  return node.boundary?.documents?.map((d) => d.document) ?? [undefined];
}

export interface IdentityGraph {
  nodes: IdentityNode[];
  /** The identities a policy reaches (directly or through a group). */
  holdersOf(policy: IdentityPolicy): IdentityNode[];
  roleOf(fn: LambdaFunction): IdentityNode | undefined;
  /** The roles whose own definition holds the policy (IdentityNode.ownPolicies): each depends on what the policy refers to. */
  rolesDependingOn(policy: IdentityPolicy): IdentityNode[];
  /** A managed policy some identity's permissions boundary names and nothing in the scan attaches: it grants nothing. */
  boundaryOnly(policy: IdentityPolicy): boolean;
  /**
   * An inline policy (of roles or users), or an AWS managed policy as one attachment names it, whose every
   * holder is in the scan with a known boundary: those boundaries, which cap what it grants. Undefined
   * when any holder is unbounded, unknown or a group.
   */
  boundariesCapping(policy: IdentityPolicy): PolicyDocument[] | undefined;
}

const graphs = new WeakMap<Model, IdentityGraph>();

/** Which roles, users and groups get which policies: built once per model from the references the IaC writes. */
export function identityGraph(model: Model): IdentityGraph {
  const cached = graphs.get(model);
  if (cached) return cached;
  const identities = model.identities ?? [];
  const nodes = new Map<IamIdentity, IdentityNode>(identities.map((identity) => [identity, { identity, policies: [], groups: [], unresolved: [], functions: [], executionRole: false, trust: [], ownPolicies: [] }]));
  // `referrer`: the resource (attachment, membership) the reference is written on: its Terraform root or CloudFormation stack tree.
  const resolve = (ref: IdentityRef, from: Range, referrer: Referrer) => {
    const found = resolveIdentity(identities, ref.kind, ref.value, from, referrer);
    return found ? nodes.get(found) : undefined;
  };
  const own = new Map<IdentityNode, IdentityPolicy[]>();
  // Customer managed policies some boundary names.
  const boundaries = new Set<IdentityPolicy>();
  const dependents = new Map<IdentityPolicy, IdentityNode[]>();
  const give = (node: IdentityNode, policy: IdentityPolicy, partOfHolder: boolean | undefined) => {
    const list = own.get(node) ?? [];
    if (!list.includes(policy)) list.push(policy);
    own.set(node, list);
    if (!partOfHolder || node.identity.kind !== 'role' || node.ownPolicies.includes(policy)) return;
    node.ownPolicies.push(policy);
    const roles = dependents.get(policy);
    if (roles) roles.push(node);
    else dependents.set(policy, [node]);
  };
  // Policies attached to something (in the scan or not), and inline policies with a holder the scan cannot find.
  const attached = new Set<IdentityPolicy>();
  const heldOutside = new Set<IdentityPolicy>();
  for (const policy of model.identityPolicies) for (const holder of policy.holders ?? []) {
    attached.add(policy);
    const node = resolve(holder, policy.range, policy);
    if (node) give(node, policy, policy.partOfHolder);
    else heldOutside.add(policy);
  }
  for (const attachment of model.attachments ?? []) {
    const policies = resolvePolicy(model.identityPolicies, attachment.policy, attachment.range, attachment);
    for (const policy of policies) attached.add(policy);
    for (const holder of attachment.holders) {
      const node = resolve(holder, attachment.range, attachment);
      if (!node) continue;
      if (policies.length === 0) node.unresolved.push(attachment);
      for (const policy of policies) give(node, policy, attachment.partOfHolder);
    }
  }
  for (const membership of model.memberships ?? [])
    for (const user of membership.users.map((value) => resolve({ kind: 'user', value }, membership.range, membership)))
      for (const group of membership.groups.map((value) => resolve({ kind: 'group', value }, membership.range, membership)))
        if (user && group && !user.groups.includes(group.identity)) user.groups.push(group.identity);
  for (const node of nodes.values()) {
    node.policies = (own.get(node) ?? []).map((policy) => ({ policy }));
    for (const group of node.groups) {
      const groupNode = nodes.get(group)!;
      for (const policy of own.get(groupNode) ?? []) if (!node.policies.some((e) => e.policy === policy)) node.policies.push({ policy, via: group });
    }
    if (node.identity.kind === 'role') node.trust = trustOfVariants(node.identity);
    if (node.identity.kind === 'role' && (node.identity.implicit || node.trust.some(trustsLambda))) node.executionRole = true;
    if (node.identity.boundary) node.boundary = resolveBoundary(model, node.identity, node.identity.boundary, boundaries);
  }
  const roles = new Map<LambdaFunction, IdentityNode>();
  for (const fn of model.functions) {
    const node = fn.role ? resolve({ kind: 'role', value: fn.role.value }, fn.range, fn) : undefined;
    if (!node) continue;
    roles.set(fn, node);
    node.functions.push(fn);
    node.executionRole = true;
  }
  const list = [...nodes.values()];
  const holders = new Map<IdentityPolicy, IdentityNode[]>();
  for (const node of list)
    for (const { policy } of node.policies) {
      const reached = holders.get(policy);
      if (!reached) holders.set(policy, [node]);
      else if (reached[reached.length - 1] !== node) reached.push(node);
    }
  const graph: IdentityGraph = {
    nodes: list,
    holdersOf: (policy) => holders.get(policy) ?? [],
    roleOf: (fn) => roles.get(fn),
    rolesDependingOn: (policy) => dependents.get(policy) ?? [],
    boundaryOnly: (policy) => boundaries.has(policy) && !attached.has(policy),
    boundariesCapping: (policy) => {
      if ((policy.kind !== 'role-inline' && policy.kind !== 'user-inline' && !policy.awsManaged) || heldOutside.has(policy)) return undefined;
      const reached = holders.get(policy);
      if (!reached || reached.some((node) => node.identity.kind === 'group' || !node.boundary?.documents)) return undefined;
      return reached.flatMap((node) => node.boundary!.documents!.map((d) => d.document));
    },
  };
  graphs.set(model, graph);
  return graph;
}

/**
 * The boundary an identity writes, with every document it may be (see Boundary.documents): each `Fn::If`
 * variant's, all known or none.
 */
function resolveBoundary(model: Model, identity: IamIdentity, attribute: Attribute, named: Set<IdentityPolicy>): Boundary {
  // Every variant is resolved, so that each policy one names is known as a boundary (see boundaryOnly).
  const choices = (identity.boundaryVariants ?? [attribute]).map((variant) => (variant ? boundaryDocuments(model, identity, variant, named) : undefined));
  return choices.every((c) => c !== undefined) ? { attribute, documents: choices.flat() } : { attribute };
}

/**
 * The policy a permissions boundary names, resolved as attachments are: an AWS managed policy we hold,
 * or a customer managed policy of the scan (recorded in `named`, which then grants nothing by itself
 * unless attached somewhere too), whose `Fn::If` variants are one document each. Undefined when any is
 * unknown. Boundaries are rare, so the AWS managed document is parsed per use.
 */
function boundaryDocuments(model: Model, identity: IamIdentity, attribute: Attribute, named: Set<IdentityPolicy>): BoundaryDocument[] | undefined {
  const managed = awsManagedDocument(attribute.value, false);
  if (managed) {
    const document = policyDocumentFromValue(managed, []);
    return document ? [{ document }] : undefined;
  }
  const policies = resolvePolicy(model.identityPolicies, attribute.value, attribute.range, identity);
  for (const policy of policies) named.add(policy);
  if (policies.length === 0 || policies.some((p) => !p.document)) return undefined;
  return policies.map((policy) => ({ policy, document: policy.document! }));
}

/** What holds a reference: the resource (attachment, membership) it is written on, with where that was instantiated. */
export interface Referrer {
  range: Range;
  /** Terraform: its root module (ResourceBase.root). */
  root?: string;
  /** CloudFormation, in a nested stack: its root template (ResourceBase.rootTemplate). */
  rootTemplate?: string;
}

/**
 * Whether a resource declared at `resource` is the one a symbolic reference written at `from`, on
 * `referrer`, can mean: the same CloudFormation stack tree (a root template and the templates it
 * nests, as instantiated: they name each other's resources through parameters and outputs, and a
 * nested resource's address says which instance it is) or the same Terraform folder. A module
 * instance's resources stand in the module's folder but are referred to from its caller's (through
 * module outputs, `module.fn.aws_iam_role.this`), so any Terraform file may name them; when both
 * sides know their root, only the same root's instance is meant: `envs/a` and `envs/b` calling one
 * module under one name share the address, never the resources. Separate stacks scanned together
 * are never assumed to share resources: two roots nesting one child template get one instance each.
 */
export function sameStack(resource: { address: string; sourceType: string; range: Range; root?: string; rootTemplate?: string }, from: Range, referrer: Referrer): boolean {
  if (isCloudFormation(resource)) return stackTree(resource) === stackTree(referrer);
  if (!sameRoot(resource.root, referrer.root)) return false;
  if (resource.address.startsWith('module.')) return namesModuleInstances(from);
  return dirname(resource.range.file) === dirname(from.file);
}

/** Whether a reference written at `from` can name a Terraform module instance's resources: any file but a CloudFormation template's YAML. */
function namesModuleInstances(from: Range): boolean {
  return !/\.(ya?ml|template)$/i.test(from.file);
}

/**
 * Every entry of `list` sameStack accepts for a reference written at `from`, on `referrer`, in list
 * order: what a statement on every function reaches. Read from groups that split by what sameStack
 * compares (a CloudFormation stack tree; a Terraform folder; module instances, by root), built once
 * per list, then tested with sameStack itself: a folder of many templates reads each one's own
 * entries rather than testing every template's, once per policy.
 */
export function allInStack<T extends Stacked>(list: readonly T[], from: Range, referrer: Referrer): T[] {
  const groups = [groupedBy(list, cloudFormationTree).get(stackTree(referrer)), groupedBy(list, terraformFolder).get(dirname(from.file))];
  if (namesModuleInstances(from)) {
    const modules = groupedBy(list, moduleInstanceRoot);
    // A reference of no known root (a plan) may name every root's instance; one of a root, its own and those of none.
    if (referrer.root === undefined) groups.push(...modules.values());
    else groups.push(modules.get(`r${referrer.root}`), modules.get(''));
  }
  const found = groups.flatMap((group) => group ?? []).filter((t) => sameStack(t, from, referrer));
  // The groups are disjoint and each in list order: sorted only when several contribute.
  if (groups.filter((g) => g !== undefined && g.length > 0).length < 2) return found;
  const position = positions(list);
  return found.sort((a, b) => position.get(a)! - position.get(b)!);
}

// Group keys of allInStack, module-level so groupedBy's cache holds.
const cloudFormationTree = (t: Stacked) => (isCloudFormation(t) ? stackTree(t) : undefined);
const terraformFolder = (t: Stacked) => (isCloudFormation(t) || t.address.startsWith('module.') ? undefined : dirname(t.range.file));
/** A module instance's resource: `r` and its root, or '' when it has none. */
const moduleInstanceRoot = (t: Stacked) => (isCloudFormation(t) || !t.address.startsWith('module.') ? undefined : t.root === undefined ? '' : `r${t.root}`);

const positionsOf = new WeakMap<readonly unknown[], Map<unknown, number>>();
/** Each entry's place in its list, once per list. */
function positions<T>(list: readonly T[]): ReadonlyMap<T, number> {
  let map = positionsOf.get(list);
  if (!map) positionsOf.set(list, (map = new Map(list.map((t, i) => [t, i]))));
  return map as Map<T, number>;
}

/** The CloudFormation stack tree a resource was instantiated in, named by its root template's file. */
export function stackTree(resource: { range: Range; rootTemplate?: string }): string {
  return resource.rootTemplate ?? resource.range.file;
}

/** Whether two Terraform roots can be the same: equal, or one of them unknown (CloudFormation, a plan). */
export function sameRoot(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** A reference as written → the symbolic resource it names, when it is one (`aws_iam_role.x.name`, `"${…}"`, `!Ref X`). */
function referencedResource(value: Value): string | undefined {
  if (value.kind === 'unknown') return value.resource;
  if (value.kind === 'template' && value.parts.length === 1 && typeof value.parts[0] !== 'string') return value.parts[0].resource;
  return undefined;
}

/**
 * The one candidate a name matches: unique in the scan, else unique in the referring root (a fixed
 * name in a module every root calls), else unique in the referring folder. Two same-named
 * candidates elsewhere stay unknown rather than guessed. `own`: the candidates of the root.
 */
function unique<T extends { range: Range; root?: string }>(candidates: T[], own: T[] | undefined, from: Range, root: string | undefined): T[] {
  if (candidates.length <= 1) return candidates;
  if (own?.length === 1) return own;
  const near = (own ?? candidates).filter((c) => dirname(c.range.file) === dirname(from.file) && sameRoot(c.root, root));
  return near.length === 1 ? near : [];
}

/**
 * The entries filed under `key` that a reference from `root` can mean: those of that root and those
 * of none, read from an index (a monorepo's thousand roots may share one module's address); all of
 * them when the reference has no root.
 */
function inRoot<T extends { root?: string }>(list: readonly T[], all: (t: T) => string | undefined, rooted: (t: T) => string | undefined, key: string, root: string | undefined): T[] {
  if (root === undefined) return (groupedBy(list, all).get(key) as T[] | undefined) ?? [];
  const index = groupedBy(list, rooted);
  const own = index.get(`${key}\u0000${root}`);
  const rootless = index.get(`${key}\u0000`);
  return rootless === undefined ? (own ?? []) : own === undefined ? rootless : [...own, ...rootless];
}

/** An index's key functions: by address for every entry, and split by kind of source (see inStack). */
interface AddressKeys<T> {
  all: (t: T) => string | undefined;
  allInRoot: (t: T) => string | undefined;
  /** CloudFormation entries: address and stack tree. */
  inTree: (t: T) => string | undefined;
  /** The other entries (Terraform): address, and address and root. */
  other: (t: T) => string | undefined;
  otherInRoot: (t: T) => string | undefined;
}

type Stacked = Parameters<typeof sameStack>[0] & { root?: string };

/**
 * The entries filed under `address` that a reference written at `from`, on `referrer`, can mean
 * (sameStack), in the order `inRoot` gives. A CloudFormation entry is meant only from its own stack
 * tree, so those are looked up by address and tree: a folder of many templates sharing logical ids
 * (`Role`) reads the referrer's own rather than testing every template's. Terraform entries are
 * filtered as before. Both kinds under one address (not seen in practice: a logical id has no dot)
 * take the combined list, so the order stays the one a single lookup gives.
 */
function inStack<T extends Stacked>(list: readonly T[], keys: AddressKeys<T>, address: string, from: Range, referrer: Referrer): T[] {
  const inTree = groupedBy(list, keys.inTree).get(`${address}\u0000${stackTree(referrer)}`);
  const others = inRoot(list, keys.other, keys.otherInRoot, address, referrer.root).filter((t) => sameStack(t, from, referrer));
  if (!inTree) return others;
  if (others.length === 0) return inTree;
  return inRoot(list, keys.all, keys.allInRoot, address, referrer.root).filter((t) => sameStack(t, from, referrer));
}

/** The entries of `list` at `address` that a reference written at `from`, on `referrer`, can mean (sameStack), in no set order. */
export function addressedInStack<T extends Stacked>(list: readonly T[], address: string, from: Range, referrer: Referrer): T[] {
  return inStack(list, ADDRESS_KEYS, address, from, referrer);
}

/** A role/user/group reference (symbolic, name or ARN) → the identity in the scan, if exactly one. */
export function resolveIdentity(identities: readonly IamIdentity[], kind: IdentityKind, value: Value, from: Range, referrer: Referrer): IamIdentity | undefined {
  const root = referrer.root;
  const resource = referencedResource(value);
  if (resource !== undefined) return inStack(identities, IDENTITY_KEYS, resource, from, referrer).find((i) => i.kind === kind);
  const text = displayString(value);
  // A permission set's ARN holds its id, not its name: only a reference to it finds it.
  if (text === undefined || kind === 'permission-set') return undefined;
  const arn = ARN_NAME[kind].exec(text);
  const name = text.startsWith('arn:') ? arn?.[1] : text;
  if (name === undefined || name.includes('${')) return undefined;
  const key = `${kind}:${name}`;
  const own = root === undefined ? undefined : groupedBy(identities, identityNameInRoot).get(`${key}\u0000${root}`);
  return unique(groupedBy(identities, identityName).get(key) ?? [], own, from, root)[0];
}

// Lookup keys, module-level so groupedBy's cache holds (see there). `…InRoot`: the key and the Terraform root ('' for none).
const isCloudFormation = (r: { sourceType: string }) => r.sourceType.startsWith('AWS::');
/** Every entry by its address: roles, users and groups; functions. */
const ADDRESS_KEYS: AddressKeys<Stacked> = {
  all: (i) => i.address,
  allInRoot: (i) => `${i.address}\u0000${i.root ?? ''}`,
  inTree: (i) => (isCloudFormation(i) ? `${i.address}\u0000${stackTree(i)}` : undefined),
  other: (i) => (isCloudFormation(i) ? undefined : i.address),
  otherInRoot: (i) => (isCloudFormation(i) ? undefined : `${i.address}\u0000${i.root ?? ''}`),
};
const IDENTITY_KEYS: AddressKeys<IamIdentity> = ADDRESS_KEYS;
const identityName = (i: IamIdentity) => (i.name === undefined ? undefined : `${i.kind}:${i.name}`);
const identityNameInRoot = (i: IamIdentity) => (i.name === undefined || i.root === undefined ? undefined : `${i.kind}:${i.name}\u0000${i.root}`);
const MANAGED_KEYS: AddressKeys<IdentityPolicy> = {
  all: (p) => (p.kind === 'managed' ? p.address : undefined),
  allInRoot: (p) => (p.kind === 'managed' ? `${p.address}\u0000${p.root ?? ''}` : undefined),
  inTree: (p) => (p.kind === 'managed' && isCloudFormation(p) ? `${p.address}\u0000${stackTree(p)}` : undefined),
  other: (p) => (p.kind === 'managed' && !isCloudFormation(p) ? p.address : undefined),
  otherInRoot: (p) => (p.kind === 'managed' && !isCloudFormation(p) ? `${p.address}\u0000${p.root ?? ''}` : undefined),
};
const managedName = (p: IdentityPolicy) => (p.kind === 'managed' ? p.name : undefined);
const managedNameInRoot = (p: IdentityPolicy) => (p.kind === 'managed' && p.name !== undefined && p.root !== undefined ? `${p.name}\u0000${p.root}` : undefined);

const ARN_NAME: Record<Exclude<IdentityKind, 'permission-set'>, RegExp> = {
  role: /:role\/(?:[^{}]*\/)?([^/]+)$/,
  user: /:user\/(?:[^{}]*\/)?([^/]+)$/,
  group: /:group\/(?:[^{}]*\/)?([^/]+)$/,
};

/** A managed policy reference (symbolic, or an ARN naming it) → its IdentityPolicy entries (one per `Fn::If` variant). */
function resolvePolicy(policies: readonly IdentityPolicy[], value: Value, from: Range, referrer: Referrer): IdentityPolicy[] {
  const root = referrer.root;
  const resource = referencedResource(value);
  if (resource !== undefined) return inStack(policies, MANAGED_KEYS, resource, from, referrer);
  const text = displayString(value);
  const name = text?.startsWith('arn:') ? /:policy\/(?:[^{}]*\/)?([^/]+)$/.exec(text)?.[1] : undefined;
  if (name === undefined || name.includes('${') || /:iam::aws:policy\//.test(text!)) return [];
  const candidates = groupedBy(policies, managedName).get(name) ?? [];
  const own = root === undefined ? undefined : groupedBy(policies, managedNameInRoot).get(`${name}\u0000${root}`);
  // One policy can be several entries (CloudFormation `Fn::If` variants): unique by address.
  const distinct = (list: IdentityPolicy[]) => [...new Map(list.map((p) => [`${p.address}\u0000${p.root ?? ''}`, p])).values()];
  const chosen = unique(distinct(candidates), own && distinct(own), from, root);
  return candidates.filter((p) => chosen.some((c) => c.address === p.address && c.root === p.root));
}

/** The assuming statements of a role's trust in every variant, each once (a statement the same in two variants, at the same place, is one). */
function trustOfVariants(identity: IamIdentity): Statement[] {
  if (!identity.trustDocument) return [];
  const statements = trustStatements(identity.trustDocument);
  if (!identity.trustVariants) return statements;
  const seen = new Set(statements.map(itemKey));
  for (const document of identity.trustVariants)
    for (const statement of trustStatements(document)) {
      const key = itemKey(statement);
      if (seen.has(key)) continue;
      seen.add(key);
      statements.push(statement);
    }
  return statements;
}
