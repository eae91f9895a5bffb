import { dirname } from 'node:path';
import { groupedBy } from './grouped-by.js';
import type { Range } from './range.js';
import type { Model, ResourceBase } from './types.js';

/** Where each resource address stands; one address can stand in several places (inline policies, same logical id in two templates). */
export function resourceSpans(model: Model): Map<string, Range[]> {
  const spans = new Map<string, Range[]>();
  const add = (address: string, range: Range) => {
    const list = spans.get(address);
    if (!list) spans.set(address, [range]);
    else if (!list.some((r) => r.file === range.file && r.line === range.line)) list.push(range);
  };
  for (const r of [...model.resources, ...model.functions, ...model.permissions, ...model.functionUrls, ...model.identityPolicies]) add(r.address, r.range);
  return spans;
}

/**
 * The resource an address found in `file` (a finding's place) means. An address is unique only in
 * its template or Terraform root, so among several: the one standing in that file, else in its
 * folder; else the first (one block many roots' module calls share: any of them stands for it).
 */
export function resourceAt(model: Model, address: string, file: string): ResourceBase | undefined {
  const candidates = groupedBy(model.resources, resourceAddress).get(address);
  if (!candidates || candidates.length === 1) return candidates?.[0];
  return candidates.find((r) => r.range.file === file) ?? candidates.find((r) => dirname(r.range.file) === dirname(file)) ?? candidates[0];
}

const resourceAddress = (resource: ResourceBase) => resource.address;
