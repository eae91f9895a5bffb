import { dirname } from 'node:path';
import type { LambdaPermission, Model, ResourceBase } from '../../model/types.js';
import { resourcesOf } from '../../model/value.js';
import { byFolder, namedFunction } from './suggest.js';
import type { Trigger } from './suggest.js';

/**
 * Of the triggers beside a permission, those the scan shows calling its function: the trigger names the function
 * itself (a bucket's notification, a rule's target, a target group's target, an API's OpenAPI body), or a resource
 * of one of its wiring types names both (a subscription of the topic to the function, an integration of the API).
 * A resource of the service's type that is merely beside the permission (an alarm topic, another queue) is no
 * evidence: pinning the grant to it would shut out the real caller.
 */
export function wiredTriggers(model: Model, permission: LambdaPermission, triggers: readonly Trigger[]): Trigger[] {
  const neighbours = byFolder(model.resources).get(dirname(permission.range.file)) ?? [];
  const targets = functionTargets(model, permission, neighbours);
  if (targets.size === 0) return [];
  const names = (r: ResourceBase, address: string) => (r.references ?? []).some((ref) => blockAddress(ref.address) === address);
  const namesFunction = (r: ResourceBase) => [...targets].some((t) => names(r, t));
  return triggers.filter((trigger) => {
    const own = blockAddress(trigger.resource.instanceOf ?? trigger.resource.address);
    if (namesFunction(trigger.resource)) return true;
    return neighbours.some((r) => trigger.wiring.includes(r.sourceType) && sameScope(r, trigger.resource) && names(r, own) && namesFunction(r));
  });
}

/** Resources a permission's function name can name: a function, an alias or version of one. */
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'aws_lambda_function', 'aws_lambda_alias']);

/**
 * The resources the permission's function name refers to (a function, an alias, a version), and the function it names; also
 * those its definition refers to as written (a `Fn::ForEach` body's `!Ref Fn\${Name}`, which evaluation leaves unknown).
 */
function functionTargets(model: Model, permission: LambdaPermission, neighbours: readonly ResourceBase[]): Set<string> {
  const targets = new Set<string>();
  const own = neighbours.find((r) => r.address === permission.address && sameScope(r, permission));
  const types = new Map(neighbours.filter((r) => sameScope(r, permission)).map((r) => [blockAddress(r.instanceOf !== undefined && !r.sourceType.startsWith('AWS::') ? r.instanceOf : r.address), r.sourceType]));
  for (const ref of own?.references ?? []) if (FUNCTION_TYPES.has(types.get(blockAddress(ref.address)) ?? '')) targets.add(blockAddress(ref.address));
  const value = permission.functionName?.value;
  if (value) for (const address of resourcesOf(value)) targets.add(blockAddress(address));
  const named = namedFunction(model, permission);
  if (named !== undefined && model.functions.some((f) => f.address === named)) targets.add(blockAddress(named));
  return targets;
}

/** A Terraform instance's block (`aws_x.y["k"]` → `aws_x.y`): references name blocks. */
function blockAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function sameScope(a: ResourceBase, b: ResourceBase): boolean {
  return a.sourceType.startsWith('AWS::') ? a.range.file === b.range.file && a.rootTemplate === b.rootTemplate : a.root === b.root || a.root === undefined || b.root === undefined;
}
