import { rangeWithin } from '../../model/range.js';
import type { Attribute } from '../../model/types.js';

/**
 * Where an attribute's value was written when that is not the attribute itself (a variable default, a
 * local, a tfvars entry, a module call's argument, a CloudFormation parameter's default): `from
 * variables.tf:3`, else undefined. A finding stays at the attribute (baselines and fingerprints hold);
 * this names the place a reader has to change.
 */
export function valueOrigin(attribute: Attribute): string | undefined {
  const { range } = attribute.value;
  return rangeWithin(range, attribute.range) ? undefined : `from ${range.file}:${range.line}`;
}
