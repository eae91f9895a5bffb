import { dirname } from 'node:path';
import { groupedBy } from './grouped-by.js';
import type { Range } from './range.js';
import type { Model, ResourceBase } from './types.js';

/** Where each resource address stands; one address can stand in several places (inline policies, same logical id in two templates). */
export function resourceSpans(model: Model): Map<string, Range[]> {
  const spans = new Map<string, Range[]>();
  // Places seen, so that thousands of roots sharing `aws_lambda_permission.this` are not each compared with all the others.
  const seen = new Set<string>();
  const add = (address: string, range: Range) => {
    const place = `${address}\u0000${range.file}\u0000${range.line}`;
    if (seen.has(place)) return;
    seen.add(place);
    const list = spans.get(address);
    if (!list) spans.set(address, [range]);
    else list.push(range);
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
  // Indexed (once per model) rather than searched: every root of a monorepo may share the address.
  return (
    groupedBy(model.resources, fileAndAddress).get(`${file}\u0000${address}`)?.[0] ??
    groupedBy(model.resources, folderAndAddress).get(`${dirname(file)}\u0000${address}`)?.[0] ??
    candidates[0]
  );
}

const resourceAddress = (resource: ResourceBase) => resource.address;
const fileAndAddress = (resource: ResourceBase) => `${resource.range.file}\u0000${resource.address}`;
const folderAndAddress = (resource: ResourceBase) => `${dirname(resource.range.file)}\u0000${resource.address}`;
