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

/** The property name as the resource's own language spells it. */
export function propertyName(resource: ResourceBase, terraform: string, cloudformation: string): string {
  return isCloudFormation(resource) ? cloudformation : terraform;
}
