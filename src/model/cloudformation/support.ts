import { policyData } from '../../policy-data.js';
import { parseJsonValue } from '../json-value.js';
import { policyDocumentFromValue } from '../policy-document.js';
import type { Range } from '../range.js';
import type { Attribute, IdentityPolicyKind, Model, ResourceBase } from '../types.js';
import { displayString, getEntry, type ObjectEntry, type UnknownValue, type Value } from '../value.js';

/** From a key to the end of its value: where an attribute or resource "stands". */
export function entrySpan(entry: ObjectEntry): Range {
  return { ...entry.keyRange, endLine: entry.value.range.endLine, endColumn: entry.value.range.endColumn };
}

/** A property as an Attribute; absent when missing or `AWS::NoValue`. */
export function attribute(properties: Value | undefined, name: string): Attribute | undefined {
  const entry = getEntry(properties, name);
  if (!entry || entry.value.kind === 'null') return undefined;
  return { value: entry.value, range: entrySpan(entry) };
}

/** An identity policy from a `PolicyDocument`-like attribute (object, or JSON text). */
export function addDocument(model: Model, base: ResourceBase, kind: IdentityPolicyKind, policy: Attribute | undefined): void {
  if (!policy) return;
  const document = policyDocumentFromValue(policy.value, model.errors);
  model.identityPolicies.push({ ...base, kind, policy, ...(document ? { document } : {}) });
}

/**
 * An AWS managed policy attached by name or ARN (`AWSLambdaRole`,
 * `arn:aws:iam::aws:policy/service-role/AWSLambdaRole`): its document comes from
 * `policies/aws-managed/`, located at the name. Names we do not hold are unknown: skipped.
 */
export function addAwsManagedPolicy(model: Model, base: ResourceBase, nameOrArn: Value): void {
  const text = displayString(nameOrArn);
  if (text === undefined) return;
  const arn = text.startsWith('arn:') ? /:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/.exec(text) : null;
  const name = arn ? arn[1] : text;
  const document = awsManagedDocument(name, nameOrArn.range);
  if (!document) return;
  const policy: Attribute = { value: document, range: nameOrArn.range };
  const parsed = policyDocumentFromValue(document, model.errors);
  model.identityPolicies.push({ ...base, range: nameOrArn.range, kind: 'managed', policy, ...(parsed ? { document: parsed } : {}) });
}

function awsManagedDocument(name: string, at: Range): Value | undefined {
  // Only plain policy names: never let a template's text choose a path.
  if (!/^[A-Za-z0-9_+=,.@-]+$/.test(name) || name.startsWith('.')) return undefined;
  let data: unknown;
  try {
    data = policyData<unknown>(`aws-managed/${name}.json`);
  } catch {
    return undefined;
  }
  return dataValue(data, at);
}

/** Data from `policies/` as a Value whose every node is located at `at` (where the template names it). */
export function dataValue(data: unknown, at: Range): Value | undefined {
  return parseJsonValue(JSON.stringify(data), { range: () => at }).value;
}

/** `${AWS::AccountId}`-style pieces for ARNs SAM builds. */
export function pseudo(name: string, range: Range): UnknownValue {
  return { kind: 'unknown', ref: name, range };
}
