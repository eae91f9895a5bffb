import { identityGraph } from '../model/identity-graph.js';
import type { Model } from '../model/types.js';
import { passagesOf } from '../model/value-passages.js';
import type { Value } from '../model/value.js';

/**
 * The files each resource address rests on: where each of its modelled parts stands; where every value
 * in them was written (an evaluated value keeps its literal's range: a variable default, a tfvars entry,
 * a policy document in another file) and passed through (locals, module call arguments: see
 * value-passages); and the module calls that instantiate it (`module.a.module.b.x` rests on the calls
 * of `module.a.` and `module.a.module.b.`). An IAM identity also rests on the policies that reach it and
 * its permissions boundary: what an execution role may do (IG301) is written there. Built on first use.
 */
export function filesAddressesRestOn(model: Model): (address: string) => ReadonlySet<string> | undefined {
  let index: Map<string, Set<string>> | undefined;
  return (address) => (index ??= originIndex(model)).get(address);
}

function originIndex(model: Model): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  const parts = [
    ...model.resources,
    ...model.functions,
    ...model.permissions,
    ...model.functionUrls,
    ...model.identityPolicies,
    ...(model.identities ?? []),
    ...(model.attachments ?? []),
    ...(model.memberships ?? []),
    ...(model.standalonePolicies ?? []),
  ];
  for (const part of parts) {
    let files = index.get(part.address);
    if (!files) index.set(part.address, (files = new Set()));
    collectFiles(part, files, new Set());
  }
  for (const node of model.identities?.length ? identityGraph(model).nodes : []) {
    const files = index.get(node.identity.address)!;
    for (const edge of node.policies) collectFiles(edge.policy, files, new Set());
    if (node.boundary) collectFiles(node.boundary, files, new Set());
  }
  const calls = model.moduleCalls ?? [];
  if (calls.length > 0) {
    for (const [address, files] of index) {
      // By the recorded prefixes, not by splitting the address: instance keys (`module.m["a.b"].`) may hold dots.
      for (const call of calls) if (address.startsWith(call.prefix)) files.add(call.range.file);
    }
  }
  return index;
}

/** Adds the file of every range inside `node` (a range is any object with a `file` and a `line`), and of the places its values passed through. */
function collectFiles(node: unknown, files: Set<string>, seen: Set<object>): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) collectFiles(item, files, seen);
    return;
  }
  for (const range of passagesOf(node as Value) ?? []) files.add(range.file);
  const record = node as Record<string, unknown>;
  if (typeof record.file === 'string' && typeof record.line === 'number') {
    files.add(record.file);
    return;
  }
  for (const key in record) collectFiles(record[key], files, seen);
}
