import type { OrgNode, Posture } from '../model/posture.js';
import type { Range } from '../model/range.js';
import type { Model, PolicyDocument } from '../model/types.js';
import { knownString, type Value } from '../model/value.js';
import { concreteRequests, type ConcreteRequest } from './choices.js';
import { concreteDocumentDenies, forEveryChoice, type DenyVerdict, type RequestContext } from './evaluate.js';

/** A service control policy in the scan: an SCP resource or an SCP JSON file. */
export interface Scp {
  address: string;
  range: Range;
  /** Absent when the content cannot be known (e.g. `file(...)`): its verdicts are unknown. */
  document?: PolicyDocument;
  /** SCP files carry no attachment: they are taken to apply to the whole organisation. */
  file: boolean;
}

/** A root, OU or account the SCPs must protect, with the SCPs that reach it (attached to it or inherited). */
export interface GuardrailTarget {
  label: string;
  /** Where a finding about the target stands. */
  address: string;
  range: Range;
  scps: Scp[];
  /** SCPs attached somewhere we cannot resolve (a variable): they might reach this target. */
  maybe: Scp[];
  /** Its place in the tree cannot be known, so SCPs may reach it from outside the scan. */
  unknownAncestry: boolean;
  /** An account with a known id: the attacks are on its functions only (a root or an OU reaches any account). */
  account?: string;
}

/** Every SCP of the scan: `aws_organizations_policy` / `AWS::Organizations::Policy` of the SCP type, and SCP files. */
export function scpsOf(model: Model): Scp[] {
  const files = (model.standalonePolicies ?? []).filter((p) => p.kind === 'scp').map((p) => ({ address: p.address, range: p.document.range, document: p.document, file: true }));
  const resources = (model.posture?.orgPolicies ?? [])
    .filter((p) => p.policyType === undefined || p.policyType === 'SERVICE_CONTROL_POLICY')
    // A policy of unknown type is judged as unknown, never as a guardrail.
    .map((p) => ({ address: p.address, range: p.range, ...(p.document && p.policyType ? { document: p.document } : {}), file: false }));
  return [...files, ...resources];
}

/** Resource addresses by the AWS ids plans and state record for them (`p-…`, `r-…`, `ou-…`, account numbers); an id two resources claim names neither. */
type IdIndex = ReadonlyMap<string, string | null>;

function idIndex(posture: Posture | undefined): IdIndex {
  const index = new Map<string, string | null>();
  const add = (id: string, address: string) => index.set(id, index.has(id) && index.get(id) !== address ? null : address);
  for (const policy of posture?.orgPolicies ?? []) if (policy.id !== undefined) add(policy.id, policy.address);
  for (const node of posture?.orgNodes ?? []) for (const id of node.ids ?? []) add(id, node.address);
  return index;
}

/** The key of an attachment target or parent: a resource in the scan (by reference, or by the id it is recorded with), a literal id, or unknown. */
function targetKey(value: Value | undefined, ids: IdIndex): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'unknown' && value.resource) return `resource:${value.resource}`;
  const text = knownString(value);
  if (text === undefined) return undefined;
  const address = ids.get(text);
  return address ? `resource:${address}` : `id:${text}`;
}

function policyKey(value: Value | undefined, ids: IdIndex): string | undefined {
  if (value?.kind === 'unknown' && value.resource) return value.resource;
  const text = knownString(value);
  return text === undefined ? undefined : (ids.get(text) ?? undefined);
}

/** The id of the AWS managed SCP FullAWSAccess, the same in every organisation. */
const FULL_AWS_ACCESS = 'p-FullAWSAccess';

/** Where each SCP is attached (by target key), and the SCPs whose target cannot be known. */
function attachments(posture: Posture, scps: Scp[], ids: IdIndex) {
  const byAddress = new Map(scps.map((s) => [s.address, s]));
  const attached = new Map<string, Scp[]>();
  const maybe: Scp[] = [];
  const attachedPolicies = new Set<string>();
  let unresolvedPolicy = false;
  const attach = (scp: Scp, target: Value | undefined, at: { address: string; range: Range }, sites: Map<string, { address: string; range: Range }>) => {
    attachedPolicies.add(scp.address);
    const key = targetKey(target, ids);
    if (!key) return maybe.push(scp);
    attached.set(key, [...(attached.get(key) ?? []), scp]);
    if (!sites.has(key)) sites.set(key, at);
  };
  const sites = new Map<string, { address: string; range: Range }>();
  for (const attachment of posture.attachments) {
    // AWS's own SCP, attached everywhere by default: Allow * on *, which denies nothing (Allows are not modelled).
    if (knownString(attachment.policyId) === FULL_AWS_ACCESS) continue;
    const policy = policyKey(attachment.policyId, ids);
    const scp = policy ? byAddress.get(policy) : undefined;
    if (!scp) {
      // A policy id we cannot resolve (a variable, a literal p-… id): it may be any SCP, with content unknown.
      if (!policy) {
        unresolvedPolicy = true;
        const unknownScp: Scp = { address: attachment.address, range: attachment.range, file: false };
        attach(unknownScp, attachment.targetId, attachment, sites);
      }
      continue;
    }
    attach(scp, attachment.targetId, attachment, sites);
  }
  for (const policy of posture.orgPolicies) {
    const scp = byAddress.get(policy.address);
    if (scp) for (const target of policy.targetIds) attach(scp, target, policy, sites);
  }
  return { attached, maybe, attachedPolicies, unresolvedPolicy, sites };
}

/** Whether an SCP resource is attached to nothing in the scan (when that can be known). */
export function unattachedScps(model: Model): Scp[] {
  const posture = model.posture;
  if (!posture) return [];
  const scps = scpsOf(model);
  const { attachedPolicies, unresolvedPolicy } = attachments(posture, scps, idIndex(posture));
  if (unresolvedPolicy) return [];
  return scps.filter((s) => !s.file && !attachedPolicies.has(s.address));
}

const KIND_ORDER: Record<OrgNode['kind'], number> = { root: 0, ou: 1, account: 2 };

/**
 * The targets the guardrails must protect: the roots, OUs and accounts declared in the scan, and
 * the literal ids SCPs are attached to. With none (only SCP files, or SCPs attached nowhere), the
 * organisation as a whole is the one target, reached by the SCP files only.
 */
export function guardrailTargets(model: Model): GuardrailTarget[] {
  const posture = model.posture;
  const scps = scpsOf(model);
  const files = scps.filter((s) => s.file);
  const ids = idIndex(posture);
  const { attached, maybe, sites } = posture ? attachments(posture, scps, ids) : { attached: new Map<string, Scp[]>(), maybe: [], sites: new Map() };
  const nodes = [...(posture?.orgNodes ?? [])].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const nodeByKey = new Map(nodes.map((n) => [`resource:${n.address}`, n]));
  const rootKeys = new Set([...nodes.filter((n) => n.kind === 'root').map((n) => `resource:${n.address}`), ...[...attached.keys()].filter((k) => k.startsWith('id:r-'))]);
  const fromRoots = [...rootKeys].flatMap((k) => attached.get(k) ?? []);

  const reaching = (key: string): { scps: Scp[]; unknownAncestry: boolean } => {
    const found: Scp[] = [...files, ...fromRoots];
    let unknownAncestry = false;
    const seen = new Set<string>();
    const queue = [key];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current) || seen.size > 64) continue;
      seen.add(current);
      if (!rootKeys.has(current)) found.push(...(attached.get(current) ?? []));
      const node = nodeByKey.get(current);
      if (!node || node.kind === 'root') continue;
      for (const parent of node.parents) {
        const parentKey = targetKey(parent, ids);
        if (parentKey === undefined) unknownAncestry = true;
        else if (!rootKeys.has(parentKey)) queue.push(parentKey);
      }
    }
    return { scps: [...new Set(found)], unknownAncestry };
  };

  const accountId = (ids: string[]) => ids.find((id) => /^\d{12}$/.test(id));
  const targets: GuardrailTarget[] = nodes.map((node) => {
    const account = node.kind === 'account' ? accountId(node.ids ?? []) : undefined;
    return {
      label: `${node.address} (${node.kind === 'ou' ? 'OU' : node.kind})`,
      address: node.address,
      range: node.range,
      maybe,
      ...reaching(`resource:${node.address}`),
      ...(account ? { account } : {}),
    };
  });
  for (const key of attached.keys()) {
    if (nodeByKey.has(key) || key.startsWith('resource:')) continue;
    const id = key.slice('id:'.length);
    const site = sites.get(key)!;
    const account = accountId([id]);
    targets.push({ label: `${id} (${id.startsWith('r-') ? 'root' : id.startsWith('ou-') ? 'OU' : account ? 'account' : 'target'})`, address: site.address, range: site.range, maybe, ...reaching(key), ...(account ? { account } : {}) });
  }
  if (targets.length === 0) {
    // With --guardrails and no organisation code at all: the scan's first resource carries the finding.
    const anchor = scps[0] ?? firstOrgResource(model) ?? [...model.resources].sort(byPlace)[0];
    if (!anchor) return [];
    targets.push({ label: 'the organisation', address: anchor.address, range: anchor.range, scps: files, maybe, unknownAncestry: false });
  }
  return targets;
}

/**
 * Whether the SCPs reaching a target deny a request for every choice the attacker has: each
 * choice is judged against all of them together (one SCP may deny some regions, another the rest).
 */
export function targetVerdict(target: GuardrailTarget, request: RequestContext): DenyVerdict {
  const documents = [...target.scps, ...target.maybe].flatMap((s) => (s.document ? [s.document] : []));
  const onTarget = target.account ? { ...request, targetAccount: target.account } : request;
  return forEveryChoice(onTarget, documents, (concrete) => concreteTargetVerdict(target, concrete));
}

/**
 * The choices tried for a request on a target, as targetVerdict tries them, and the first that
 * definitely gets through (undefined when none does): the example a finding names.
 */
export function targetChoicesTried(target: GuardrailTarget, request: RequestContext): { tried: ConcreteRequest[]; through?: ConcreteRequest } {
  const documents = [...target.scps, ...target.maybe].flatMap((s) => (s.document ? [s.document] : []));
  const onTarget = target.account ? { ...request, targetAccount: target.account } : request;
  const tried = [...(concreteRequests(onTarget, documents) ?? [])];
  const through = tried.find((concrete) => concreteTargetVerdict(target, concrete) === 'not-denied');
  return { tried, ...(through ? { through } : {}) };
}

/** One decided request: unknown when an SCP that might reach the target cannot be ruled out. */
function concreteTargetVerdict(target: GuardrailTarget, request: ConcreteRequest): DenyVerdict {
  const verdicts = target.scps.map((s) => concreteDocumentDenies(s.document, request));
  if (verdicts.includes('denied')) return 'denied';
  if (target.unknownAncestry || verdicts.includes('unknown')) return 'unknown';
  if (target.maybe.some((s) => concreteDocumentDenies(s.document, request) !== 'not-denied')) return 'unknown';
  return 'not-denied';
}

/** The organisation resource a finding about the whole organisation stands on: its root, else the first org resource. */
export function firstOrgResource(model: Model): { address: string; range: Range } | undefined {
  const posture = model.posture;
  const candidates = [
    ...(posture?.orgNodes.filter((n) => n.kind === 'root') ?? []),
    ...[...(posture?.orgPolicies ?? []), ...(posture?.attachments ?? []), ...(posture?.orgNodes ?? [])].sort(byPlace),
    ...(model.standalonePolicies ?? []).filter((p) => p.kind === 'scp').map((p) => ({ address: p.address, range: p.document.range })),
  ];
  return candidates[0];
}

export function byPlace(a: { range: Range }, b: { range: Range }): number {
  return a.range.file < b.range.file ? -1 : a.range.file > b.range.file ? 1 : a.range.line - b.range.line;
}
