import { dirname } from 'node:path';
import { policyData } from '../../policy-data.js';
import type { FixValue } from '../../fix/types.js';
import { nameable } from './fix.js';
import type { LambdaPermission, Model, ResourceBase } from '../../model/types.js';
import { groupedBy } from '../../model/grouped-by.js';
import { displayString, knownString, referencesOf } from '../../model/value.js';

/** How to refer to the function a permission targets: a reference from the scan if there is one. */
export function targetFunction(model: Model, permission: LambdaPermission): string {
  const value = permission.functionName?.value;
  const index = functionIndex(model.functions);
  const name = knownString(value);
  // The first function in model order whose name is the one written, or that a reference points at.
  const candidates = name !== undefined ? [index.byName.get(name)] : [];
  // A reference reached through a module output names the function by its full address (`module.fn.aws_lambda_function.this[0]`).
  if (value?.kind === 'unknown' && value.resource !== undefined) candidates.push(index.byAddress.get(value.resource));
  for (const ref of referencesOf(value)) {
    candidates.push(index.byAddress.get(ref));
    // `aws_lambda_function.api.arn` (or a CloudFormation `Api.Arn`) points at the function `…aws_lambda_function.api`.
    const [first, second] = ref.split('.', 2);
    if (ref.length > first.length) candidates.push(index.byShortAddress.get(first));
    if (second !== undefined && ref.length > first.length + 1 + second.length) candidates.push(index.byShortAddress.get(`${first}.${second}`));
  }
  const found = candidates.reduce<number | undefined>((best, i) => (i !== undefined && (best === undefined || i < best) ? i : best), undefined);
  return (found !== undefined ? model.functions[found].address : undefined) ?? displayString(value) ?? 'the function';
}

/** Positions in `functions` of the first function with each name, address and short address (`type.name` of a module's resource). */
interface FunctionIndex {
  byName: Map<string, number>;
  byAddress: Map<string, number>;
  byShortAddress: Map<string, number>;
}

const functionIndexes = new WeakMap<readonly ResourceBase[], FunctionIndex>();
function functionIndex(functions: Model['functions']): FunctionIndex {
  let index = functionIndexes.get(functions);
  if (index) return index;
  index = { byName: new Map(), byAddress: new Map(), byShortAddress: new Map() };
  const first = (map: Map<string, number>, key: string | undefined, i: number) => {
    if (key !== undefined && !map.has(key)) map.set(key, i);
  };
  functions.forEach((f, i) => {
    first(index!.byName, knownString(f.functionName?.value), i);
    first(index!.byAddress, f.address, i);
    first(index!.byShortAddress, localAddress(f.address), i);
  });
  functionIndexes.set(functions, index);
  return index;
}

/** Functions defined in the same folder as a location (or anywhere in the scan), for least-privilege suggestions. */
export function nearbyFunctions(model: Model, file: string, limit = 3): ResourceBase[] {
  const near = byFolder(model.functions).get(dirname(file)) ?? [];
  return (near.length > 0 ? near : model.functions).slice(0, limit);
}

/** `module.NAME.` steps, each with an optional instance key (`module.a[0].`, `module.a["k"].`). */
const MODULE_PREFIX = /^(?:module\.[^.[]+(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.)*/;

/** The module instance an address belongs to: '' for a root module, `module.a.` (nested: `module.a.module.b.`) for a call. */
export function moduleInstance(address: string): string {
  return MODULE_PREFIX.exec(address)![0];
}

/** An address as written inside its module: `aws_x.y` (with an instance key: `aws_x.y["a.b"]`). */
export function localAddress(address: string): string {
  return address.slice(moduleInstance(address).length);
}

/** Whether a resource address is declared directly in that module instance (not in one it calls). */
export function inModuleInstance(address: string, instance: string): boolean {
  return address.startsWith(instance) && !address.slice(instance.length).startsWith('module.');
}

/** Resources grouped by the folder of their file, once per list. */
export function byFolder<T extends ResourceBase>(resources: readonly T[]): ReadonlyMap<string, T[]> {
  return groupedBy(resources, folderOf);
}

const folderOf = (resource: ResourceBase) => dirname(resource.range.file);

/** Every resource of the model (`model.resources`, in its order) grouped by folder, once per model. */
function resourcesByFolder(model: Model): ReadonlyMap<string, ResourceBase[]> {
  let all = resourceLists.get(model.resources);
  if (!all) resourceLists.set(model.resources, (all = [...model.resources.values()]));
  return byFolder(all);
}

const resourceLists = new WeakMap<ReadonlyMap<string, ResourceBase>, ResourceBase[]>();

interface ServiceSource {
  terraform: string;
  cloudformation: string;
  attribute: string;
  suffix?: string;
  /** How a template gets the ARN: a `Fn::GetAtt` attribute, "Ref", or null (only `Fn::Sub` can build it). Default: GetAtt Arn. */
  cloudformationArn?: string | null;
}

/** A resource in the scan that can call Lambda through a service principal, and how to write its ARN. */
export interface Trigger {
  resource: ResourceBase;
  /** The ARN as a value a fix can write; absent when the format cannot name it in one expression. */
  arn?: FixValue;
  /** The ARN as a user would paste it. */
  display: string;
}

/**
 * Resources in the scan that can be the source of a service principal's calls: of the service's
 * types, defined where a reference from `from` resolves (its Terraform module folder, or its template).
 */
export function triggers(model: Model, service: string, from: ResourceBase): Trigger[] {
  const file = from.range.file;
  const cloudformation = from.sourceType.startsWith('AWS::');
  const sources = policyData<Record<string, ServiceSource[] | string>>('service-sources.json')[service.toLowerCase()];
  if (!Array.isArray(sources)) return [];
  const found: Trigger[] = [];
  // Only resources of the permission's folder qualify (its template is in it too): not a pass over every resource per permission.
  for (const resource of resourcesByFolder(model).get(dirname(file)) ?? []) {
    const source = sources.find((s) => s.terraform === resource.sourceType || s.cloudformation === resource.sourceType);
    if (!source || resource.sourceType.startsWith('AWS::') !== cloudformation) continue;
    if (cloudformation) {
      if (resource.range.file !== file) continue;
      const how = source.cloudformationArn === undefined ? 'Arn' : source.cloudformationArn;
      if (how === null || !nameable(resource)) found.push({ resource, display: `the ARN of ${resource.address}` });
      else if (how === 'Ref') found.push({ resource, arn: { kind: 'intrinsic', name: 'Ref', argument: resource.address }, display: `!Ref ${resource.address}` });
      else found.push({ resource, arn: { kind: 'intrinsic', name: 'Fn::GetAtt', argument: [resource.address, how] }, display: `!GetAtt ${resource.address}.${how}` });
      continue;
    }
    if (dirname(resource.range.file) !== dirname(file)) continue;
    const expression = `${localAddress(resource.address)}.${source.attribute}`;
    found.push({
      resource,
      arn: { kind: 'terraform', expression, ...(source.suffix ? { suffix: source.suffix } : {}) },
      display: source.suffix ? `"\${${expression}}${source.suffix}"` : expression,
    });
  }
  return found;
}
