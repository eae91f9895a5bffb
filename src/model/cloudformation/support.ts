import { policyDocumentFromValue } from '../policy-document.js';
import type { Range } from '../range.js';
import type { Attribute, IdentityPolicyKind, IdentityRef, Model, ResourceBase } from '../types.js';
import { getEntry, type ObjectEntry, type UnknownValue, type Value } from '../value.js';

/** From a key to the end of its value: where an attribute or resource "stands". */
export function entrySpan(entry: ObjectEntry): Range {
  return { ...entry.keyRange, endLine: entry.value.range.endLine, endColumn: entry.value.range.endColumn };
}

/** A property as an Attribute; absent when missing or `AWS::NoValue`. */
export function attribute(properties: Value | undefined, name: string): Attribute | undefined {
  const entry = getEntry(properties, name);
  if (!entry || entry.value.kind === 'null') return undefined;
  return { value: entry.value, range: attributeSpan(entry) };
}

/**
 * Where an evaluated property stands: its key through its value, or, when the value is written in
 * another file (a parameter a parent stack passes to this nested one), where that file writes it.
 */
export function attributeSpan(entry: ObjectEntry): Range {
  return entry.value.range.file !== entry.keyRange.file ? entry.value.range : entrySpan(entry);
}

/** An identity policy from a `PolicyDocument`-like attribute (object, or JSON text). */
export function addDocument(model: Model, base: ResourceBase, kind: IdentityPolicyKind, policy: Attribute | undefined, holders?: IdentityRef[], name?: string, partOfHolder = false): void {
  if (!policy) return;
  const document = policyDocumentFromValue(policy.value, model.errors);
  model.identityPolicies.push({ ...base, kind, policy, ...(document ? { document } : {}), ...(holders ? { holders } : {}), ...(name !== undefined ? { name } : {}), ...(partOfHolder ? { partOfHolder: true as const } : {}) });
}

/** `${AWS::AccountId}`-style pieces for ARNs SAM builds. */
export function pseudo(name: string, range: Range): UnknownValue {
  return { kind: 'unknown', ref: name, range };
}

export { boundaryOf, trustOf } from '../choices.js';
