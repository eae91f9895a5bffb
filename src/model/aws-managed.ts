import { policyData } from '../policy-data.js';
import { parseJsonValue } from './json-value.js';
import { policyDocumentFromValue } from './policy-document.js';
import type { Range } from './range.js';
import { copyBase, type IdentityPolicy, type IdentityRef, type Model, type PolicyAttachment, type ResourceBase } from './types.js';
import { displayString, type UnknownValue, type Value } from './value.js';

/**
 * Attaches a managed policy named by ARN (or, where SAM allows it, by bare name) to identities.
 * An AWS managed policy kept in `policies/aws-managed/` becomes an IdentityPolicy located where it
 * is named; anything else is recorded as an attachment for the identity graph to resolve.
 * Returns whether the policy was an AWS managed policy we hold. `partOfHolder`: written in the holder's own definition
 * (PolicyAttachment.partOfHolder).
 */
export function attachManagedPolicy(model: Model, base: ResourceBase, policy: Value, holders: IdentityRef[], { bareNames = false, partOfHolder = false } = {}): boolean {
  const name = awsManagedName(policy, bareNames);
  const document = name === undefined ? undefined : awsManagedDocument(policy, bareNames);
  if (name !== undefined && document) {
    const parsed = policyDocumentFromValue(document, model.errors);
    const managed = copyBase(base, policy.range) as IdentityPolicy; // kind and policy are assigned next (see copyBase)
    managed.kind = 'managed';
    managed.policy = { value: document, range: policy.range };
    managed.holders = holders;
    managed.awsManaged = name;
    if (partOfHolder) managed.partOfHolder = true;
    if (parsed) managed.document = parsed;
    model.identityPolicies.push(managed);
    return true;
  }
  if (holders.length === 0) return false;
  const attachment: PolicyAttachment = { address: base.address, range: policy.range, policy, holders };
  if (base.root !== undefined) attachment.root = base.root;
  if (base.rootTemplate !== undefined) attachment.rootTemplate = base.rootTemplate;
  if (partOfHolder) attachment.partOfHolder = true;
  (model.attachments ??= []).push(attachment);
  return false;
}

/** The name of the AWS managed policy an ARN (or, `bareNames`, a bare name) names; undefined for anything else. */
function awsManagedName(nameOrArn: Value, bareNames: boolean): string | undefined {
  const text = displayString(nameOrArn);
  if (text === undefined) return undefined;
  const isArn = text.startsWith('arn:');
  const arn = isArn ? /:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/.exec(text) : null;
  const name = arn ? arn[1] : bareNames && !isArn ? text : undefined;
  // Only plain policy names: never let a template's text choose a path.
  return name === undefined || !/^[A-Za-z0-9_+=,.@-]+$/.test(name) || name.startsWith('.') ? undefined : name;
}

/** The document of an AWS managed policy we keep as data, located at the value that names it. Names we do not hold are unknown. */
export function awsManagedDocument(nameOrArn: Value, bareNames: boolean): Value | undefined {
  const name = awsManagedName(nameOrArn, bareNames);
  if (name === undefined) return undefined;
  const data = managedPolicyData(name);
  return data === undefined ? undefined : dataValue(data, nameOrArn.range);
}

/**
 * The data of an AWS managed policy we keep, by name; undefined for one we do not. Kept per name, the
 * misses too: real templates name AWSLambdaBasicExecutionRole and the like over and over, and a failed
 * read each time cost a system call and an exception.
 */
const managedData = new Map<string, unknown>();

export function managedPolicyData(name: string): unknown {
  if (managedData.has(name)) return managedData.get(name);
  let data: unknown;
  try {
    data = policyData<unknown>(`aws-managed/${name}.json`);
  } catch {
    data = undefined;
  }
  managedData.set(name, data);
  return data;
}

/** Data from `policies/` as a Value whose every node is located at `at` (where the template names it). */
export function dataValue(data: unknown, at: Range): Value | undefined {
  return parseJsonValue(JSON.stringify(data), { range: () => at }).value;
}

/** A symbolic reference to a resource itself (an inline policy's owner, a user's own group list). */
export function selfRef(base: ResourceBase): UnknownValue {
  return { kind: 'unknown', ref: base.address, resource: base.address, resourceType: base.sourceType, range: base.range };
}
