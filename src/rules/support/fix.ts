import type { Change, Fix } from '../../fix/types.js';
import type { ResourceBase } from '../../model/types.js';

/** A fix as a rule states it: what to do, and the changes that do it (none: fix by hand, the description says why). */
export function fix(description: string, changes: Change[] = []): Fix {
  return { description, edits: [], changes };
}

/** CloudFormation/SAM resources name properties in PascalCase and refer with intrinsics. */
export function isCloudFormation(resource: ResourceBase): boolean {
  return resource.sourceType.startsWith('AWS::');
}

/**
 * Whether an intrinsic can name the resource: a Fn::ForEach loop over a collection the scan cannot
 * know leaves its resource under the key as written (`Bucket${Name}`), which is no logical id.
 */
export function nameable(resource: ResourceBase): boolean {
  return !isCloudFormation(resource) || /^[A-Za-z0-9]+$/.test(resource.address);
}

/** The property name as the resource's own language spells it. */
export function propertyName(resource: ResourceBase, terraform: string, cloudformation: string): string {
  return isCloudFormation(resource) ? cloudformation : terraform;
}
