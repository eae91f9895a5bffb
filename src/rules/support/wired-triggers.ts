import { dirname } from 'node:path';
import type { LambdaFunction, LambdaPermission, Model, ResourceBase } from '../../model/types.js';
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
  const index = folderIndex(neighbours);
  const targets = functionTargets(model, permission, index);
  if (targets.size === 0) return [];
  const names = (r: ResourceBase, address: string) => (r.references ?? []).some((ref) => blockAddress(ref.address) === address);
  const namesFunction = (r: ResourceBase) => [...targets].some((t) => names(r, t));
  return triggers.filter((trigger) => {
    const own = blockAddress(trigger.resource.instanceOf ?? trigger.resource.address);
    if (namesFunction(trigger.resource)) return true;
    return trigger.wiring.some((type) => ofType(index, type).some((r) => sameScope(r, trigger.resource) && names(r, own) && namesFunction(r)));
  });
}

/**
 * A folder's resources looked up as IG102 asks, per permission with a finding: per scope a permission can be in,
 * each block address's type and the first resource of each address; by type (built when first needed). Built once
 * per folder and scope: a folder of thousands of permissions would otherwise be walked for each of them.
 */
interface FolderIndex {
  neighbours: readonly ResourceBase[];
  scopes: Map<string, ScopeIndex>;
  byType?: Map<string, ResourceBase[]>;
}

interface ScopeIndex {
  /** The types of the folder's resources in the scope, by block address (the last of an address wins). */
  types: Map<string, string>;
  /** The first of the folder's resources in the scope with each address. */
  first: Map<string, ResourceBase>;
}

const indexes = new WeakMap<readonly ResourceBase[], FolderIndex>();

function folderIndex(neighbours: readonly ResourceBase[]): FolderIndex {
  let index = indexes.get(neighbours);
  if (!index) indexes.set(neighbours, (index = { neighbours, scopes: new Map() }));
  return index;
}

/** What `sameScope(r, permission)` depends on of the permission: its file, root template and root (absent told from ''). */
function scopeKey(permission: ResourceBase): string {
  const absent = '\u0001';
  return `${permission.range.file}\u0000${permission.rootTemplate ?? absent}\u0000${permission.root ?? absent}`;
}

/** The folder's resources in `permission`'s scope (sameScope), indexed: one pass over the folder per scope. */
function scopeIndex(index: FolderIndex, permission: ResourceBase): ScopeIndex {
  const key = scopeKey(permission);
  let scope = index.scopes.get(key);
  if (!scope) {
    scope = { types: new Map(), first: new Map() };
    for (const r of index.neighbours) {
      if (!sameScope(r, permission)) continue;
      scope.types.set(blockAddress(r.instanceOf !== undefined && !r.sourceType.startsWith('AWS::') ? r.instanceOf : r.address), r.sourceType);
      if (!scope.first.has(r.address)) scope.first.set(r.address, r);
    }
    index.scopes.set(key, scope);
  }
  return scope;
}

/** The folder's resources of `type`. */
function ofType(index: FolderIndex, type: string): readonly ResourceBase[] {
  if (!index.byType) {
    index.byType = new Map();
    for (const r of index.neighbours) {
      const list = index.byType.get(r.sourceType);
      if (list) list.push(r);
      else index.byType.set(r.sourceType, [r]);
    }
  }
  return index.byType.get(type) ?? [];
}

/** Resources a permission's function name can name: a function, an alias or version of one. */
const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'aws_lambda_function', 'aws_lambda_alias']);

/**
 * The resources the permission's function name refers to (a function, an alias, a version), and the function it names; also
 * those its definition refers to as written (a `Fn::ForEach` body's `!Ref Fn\${Name}`, which evaluation leaves unknown).
 */
function functionTargets(model: Model, permission: LambdaPermission, index: FolderIndex): Set<string> {
  const targets = new Set<string>();
  const { types, first } = scopeIndex(index, permission);
  const own = first.get(permission.address);
  for (const ref of own?.references ?? []) if (FUNCTION_TYPES.has(types.get(blockAddress(ref.address)) ?? '')) targets.add(blockAddress(ref.address));
  const value = permission.functionName?.value;
  if (value) for (const address of resourcesOf(value)) targets.add(blockAddress(address));
  const named = namedFunction(model, permission);
  if (named !== undefined && functionAddresses(model.functions).has(named)) targets.add(blockAddress(named));
  return targets;
}

const addresses = new WeakMap<readonly LambdaFunction[], Set<string>>();

function functionAddresses(functions: readonly LambdaFunction[]): Set<string> {
  let found = addresses.get(functions);
  if (!found) addresses.set(functions, (found = new Set(functions.map((f) => f.address))));
  return found;
}

/** A Terraform instance's block (`aws_x.y["k"]` → `aws_x.y`): references name blocks. */
function blockAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function sameScope(a: ResourceBase, b: ResourceBase): boolean {
  return a.sourceType.startsWith('AWS::') ? a.range.file === b.range.file && a.rootTemplate === b.rootTemplate : a.root === b.root || a.root === undefined || b.root === undefined;
}
