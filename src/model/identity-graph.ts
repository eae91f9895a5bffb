import { dirname } from 'node:path';
import { trustStatements, trustsLambda } from '../iam/trust.js';
import type { Range } from './range.js';
import type { IamIdentity, IdentityKind, IdentityPolicy, IdentityRef, LambdaFunction, Model, PolicyAttachment, Statement } from './types.js';
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
  /** Roles with a trust policy: its Allow statements that let someone assume the role (computed once here; IG302 and IG303 read them). */
  trust: Statement[];
}

export interface IdentityGraph {
  nodes: IdentityNode[];
  /** The identities a policy reaches (directly or through a group). */
  holdersOf(policy: IdentityPolicy): IdentityNode[];
  roleOf(fn: LambdaFunction): IdentityNode | undefined;
}

const graphs = new WeakMap<Model, IdentityGraph>();

/** Which roles, users and groups get which policies: built once per model from the references the IaC writes. */
export function identityGraph(model: Model): IdentityGraph {
  const cached = graphs.get(model);
  if (cached) return cached;
  const identities = model.identities ?? [];
  const nodes = new Map<IamIdentity, IdentityNode>(identities.map((identity) => [identity, { identity, policies: [], groups: [], unresolved: [], functions: [], executionRole: false, trust: [] }]));
  const resolve = (ref: IdentityRef, from: Range) => {
    const found = resolveIdentity(identities, ref.kind, ref.value, from);
    return found ? nodes.get(found) : undefined;
  };
  const own = new Map<IdentityNode, IdentityPolicy[]>();
  const give = (node: IdentityNode, policy: IdentityPolicy) => {
    const list = own.get(node) ?? [];
    if (!list.includes(policy)) list.push(policy);
    own.set(node, list);
  };
  for (const policy of model.identityPolicies) for (const holder of policy.holders ?? []) {
    const node = resolve(holder, policy.range);
    if (node) give(node, policy);
  }
  for (const attachment of model.attachments ?? []) {
    const policies = resolvePolicy(model.identityPolicies, attachment.policy, attachment.range);
    for (const holder of attachment.holders) {
      const node = resolve(holder, attachment.range);
      if (!node) continue;
      if (policies.length === 0) node.unresolved.push(attachment);
      for (const policy of policies) give(node, policy);
    }
  }
  for (const membership of model.memberships ?? [])
    for (const user of membership.users.map((value) => resolve({ kind: 'user', value }, membership.range)))
      for (const group of membership.groups.map((value) => resolve({ kind: 'group', value }, membership.range)))
        if (user && group && !user.groups.includes(group.identity)) user.groups.push(group.identity);
  for (const node of nodes.values()) {
    node.policies = (own.get(node) ?? []).map((policy) => ({ policy }));
    for (const group of node.groups) {
      const groupNode = nodes.get(group)!;
      for (const policy of own.get(groupNode) ?? []) if (!node.policies.some((e) => e.policy === policy)) node.policies.push({ policy, via: group });
    }
    const trust = node.identity.trustDocument;
    if (node.identity.kind === 'role' && trust) node.trust = trustStatements(trust);
    if (node.identity.kind === 'role' && (node.identity.implicit || node.trust.some(trustsLambda))) node.executionRole = true;
  }
  const roles = new Map<LambdaFunction, IdentityNode>();
  for (const fn of model.functions) {
    const node = fn.role ? resolve({ kind: 'role', value: fn.role.value }, fn.range) : undefined;
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
  };
  graphs.set(model, graph);
  return graph;
}

/**
 * Whether a resource declared at `resource` is the one a symbolic reference written at `from`
 * can mean: the same template (CloudFormation logical ids are per template) or the same Terraform
 * folder (module instances carry their prefix in the address). Separate stacks scanned together
 * are never assumed to share resources.
 */
export function sameStack(resource: { address: string; sourceType: string; range: Range }, from: Range): boolean {
  if (resource.sourceType.startsWith('AWS::')) return resource.range.file === from.file;
  if (resource.address.startsWith('module.')) return !/\.(ya?ml|template)$/i.test(from.file);
  return dirname(resource.range.file) === dirname(from.file);
}

/** A reference as written → the symbolic resource it names, when it is one (`aws_iam_role.x.name`, `"${…}"`, `!Ref X`). */
function referencedResource(value: Value): string | undefined {
  if (value.kind === 'unknown') return value.resource;
  if (value.kind === 'template' && value.parts.length === 1 && typeof value.parts[0] !== 'string') return value.parts[0].resource;
  return undefined;
}

/**
 * The one candidate a name matches: unique in the scan, else unique in the referring folder.
 * Two same-named candidates elsewhere stay unknown rather than guessed.
 */
function unique<T extends { range: Range }>(candidates: T[], from: Range): T[] {
  if (candidates.length <= 1) return candidates;
  const near = candidates.filter((c) => dirname(c.range.file) === dirname(from.file));
  return near.length === 1 ? near : [];
}

/** A role/user/group reference (symbolic, name or ARN) → the identity in the scan, if exactly one. */
export function resolveIdentity(identities: readonly IamIdentity[], kind: IdentityKind, value: Value, from: Range): IamIdentity | undefined {
  const resource = referencedResource(value);
  if (resource !== undefined) return groupedBy(identities, identityAddress).get(resource)?.find((i) => i.kind === kind && sameStack(i, from));
  const text = displayString(value);
  if (text === undefined) return undefined;
  const arn = ARN_NAME[kind].exec(text);
  const name = text.startsWith('arn:') ? arn?.[1] : text;
  if (name === undefined || name.includes('${')) return undefined;
  return unique(groupedBy(identities, identityName).get(`${kind}:${name}`) ?? [], from)[0];
}

// Lookup keys, module-level so groupedBy's cache holds (see there).
const identityAddress = (i: IamIdentity) => i.address;
const identityName = (i: IamIdentity) => (i.name === undefined ? undefined : `${i.kind}:${i.name}`);
const managedAddress = (p: IdentityPolicy) => (p.kind === 'managed' ? p.address : undefined);
const managedName = (p: IdentityPolicy) => (p.kind === 'managed' ? p.name : undefined);

const ARN_NAME: Record<IdentityKind, RegExp> = {
  role: /:role\/(?:[^{}]*\/)?([^/]+)$/,
  user: /:user\/(?:[^{}]*\/)?([^/]+)$/,
  group: /:group\/(?:[^{}]*\/)?([^/]+)$/,
};

/** A managed policy reference (symbolic, or an ARN naming it) → its IdentityPolicy entries (one per `Fn::If` variant). */
function resolvePolicy(policies: readonly IdentityPolicy[], value: Value, from: Range): IdentityPolicy[] {
  const resource = referencedResource(value);
  if (resource !== undefined) return (groupedBy(policies, managedAddress).get(resource) ?? []).filter((p) => sameStack(p, from));
  const text = displayString(value);
  const name = text?.startsWith('arn:') ? /:policy\/(?:[^{}]*\/)?([^/]+)$/.exec(text)?.[1] : undefined;
  if (name === undefined || name.includes('${') || /:iam::aws:policy\//.test(text!)) return [];
  const candidates = groupedBy(policies, managedName).get(name) ?? [];
  const addresses = unique([...new Map(candidates.map((p) => [p.address, p])).values()], from).map((p) => p.address);
  return candidates.filter((p) => addresses.includes(p.address));
}
