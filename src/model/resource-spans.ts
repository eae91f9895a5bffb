import type { Range } from './range.js';
import type { Model } from './types.js';

/** Where each resource address stands; one address can stand in several places (inline policies, same logical id in two templates). */
export function resourceSpans(model: Model): Map<string, Range[]> {
  const spans = new Map<string, Range[]>();
  const add = (address: string, range: Range) => {
    const list = spans.get(address);
    if (!list) spans.set(address, [range]);
    else if (!list.some((r) => r.file === range.file && r.line === range.line)) list.push(range);
  };
  for (const r of [...model.resources.values(), ...model.functions, ...model.permissions, ...model.functionUrls, ...model.identityPolicies]) add(r.address, r.range);
  return spans;
}
