import { dirname } from 'node:path';
import { policyData } from '../../policy-data.js';
import type { FixValue } from '../../fix/types.js';
import { nameable, propertyName } from './fix.js';
import type { Attribute, LambdaPermission, Model, ResourceBase } from '../../model/types.js';
import { groupedBy } from '../../model/grouped-by.js';
import { sameRoot } from '../../model/identity-graph.js';
import { displayString, knownString, referencesOf } from '../../model/value.js';

/** How a message names the function a permission targets: as `namedFunction` does, else as `unnamedFunction`. */
export function targetFunction(model: Model, permission: LambdaPermission): string {
  return namedFunction(model, permission) ?? unnamedFunction(permission);
}

/** What names a function: a permission, or a function URL (both by their `functionName`). */
export type FunctionTarget = ResourceBase & { functionName?: Attribute };

/**
 * How to refer to the function a permission (or function URL) targets: a reference from the scan if there is one.
 * A reference means a function of the permission's own template or Terraform module instance (an
 * address is unique only there: every root may have its `aws_lambda_function.this`); a name written
 * out prefers one of those too, else the first function of that name anywhere in the scan. None
 * when no name is written, or the one written cannot be spelled out.
 */
export function namedFunction(model: Model, permission: FunctionTarget): string | undefined {
  const value = permission.functionName?.value;
  const index = functionIndex(model.functions);
  const name = knownString(value);
  const keys: string[] = [];
  // A reference reached through a module output names the function by its full address (`module.fn.aws_lambda_function.this[0]`), in another folder.
  const resolved = value?.kind === 'unknown' && value.resource !== undefined ? `a:${value.resource}` : undefined;
  if (resolved !== undefined) keys.push(resolved);
  for (const ref of referencesOf(value)) {
    keys.push(`a:${ref}`);
    // `aws_lambda_function.api.arn` (or a CloudFormation `Api.Arn`) points at the function `…aws_lambda_function.api`.
    const [first, second] = ref.split('.', 2);
    if (ref.length > first.length) keys.push(`s:${first}`);
    if (second !== undefined && ref.length > first.length + 1 + second.length) keys.push(`s:${first}.${second}`);
  }
  const named = name !== undefined ? `n:${name}` : undefined;
  if (named !== undefined) keys.push(named);
  // Scoped to where the reference is written: a nested stack's parameter, or a module's input, is written in the parent.
  const scope = referenceScope(permission, value?.range.file ?? permission.range.file);
  const found = earliest(index, scope, keys) ?? earliest(index, ANYWHERE, [resolved, named]);
  return found !== undefined ? model.functions[found].address : writtenFunction(permission);
}

/** A permission's function as written, when it is none of the scan's: unknown pieces as `${ref}`, as other messages show them. */
function writtenFunction(permission: FunctionTarget): string | undefined {
  const text = displayString(permission.functionName?.value);
  // A piece with no reference to show (`!GetAtt` with nothing after it, an expression the evaluator cannot name) would read `${}`.
  return text === undefined || UNSPELLABLE.test(text) ? undefined : text;
}

/** `${}` (a piece with nothing to name) or a plan's `${(known after apply)}`: no name a message can show. */
const UNSPELLABLE = /\$\{(?:unknown|\(known after apply\))?\}/;

/** What a message calls a permission's function when `namedFunction` cannot name it (saying why when a name is written). */
export function unnamedFunction(permission: LambdaPermission): string {
  return displayString(permission.functionName?.value) === undefined
    ? 'the function'
    : `the function (${propertyName(permission, 'function_name', 'FunctionName')} not resolved)`;
}

/** The lowest position of any of the keys in a scope. */
function earliest(index: FunctionIndex, scope: string, keys: Array<string | undefined>): number | undefined {
  let best: number | undefined;
  for (const key of keys) {
    const i = key === undefined ? undefined : index.get(`${scope}\u0000${key}`);
    if (i !== undefined && (best === undefined || i < best)) best = i;
  }
  return best;
}

const ANYWHERE = '*';

/** The scope a reference written in `file` can name functions in (as `reachable` says), in the terms `functionIndex` files them under. */
function referenceScope(from: ResourceBase, file: string): string {
  if (from.sourceType.startsWith('AWS::')) return templateScope(file);
  return dirname(file) === dirname(from.range.file) ? instanceScope(dirname(file), from.root, moduleInstance(from.address)) : folderScope(dirname(file), from.root);
}

// The scopes functionIndex files a function under and referenceScope looks one up in: one spelling for both.
/** A CloudFormation template. */
const templateScope = (file: string) => `c\u0000${file}`;
/** A Terraform folder, root and module instance. */
const instanceScope = (dir: string, root: string | undefined, instance: string) => `t\u0000${dir}\u0000${root ?? ''}\u0000${instance}`;
/** A Terraform folder and root. */
const folderScope = (dir: string, root: string | undefined) => `d\u0000${dir}\u0000${root ?? ''}`;

/**
 * Whether a reference written in `file` (by default where `from` stands) can name `resource`: one of
 * that template, or of that Terraform folder and root, and of `from`'s module instance when written in its folder.
 */
export function reachable(resource: ResourceBase, from: ResourceBase, file = from.range.file): boolean {
  const cloudformation = resource.sourceType.startsWith('AWS::');
  if (cloudformation !== from.sourceType.startsWith('AWS::')) return false;
  if (cloudformation) return resource.range.file === file;
  if (dirname(resource.range.file) !== dirname(file) || !sameRoot(resource.root, from.root)) return false;
  return dirname(file) !== dirname(from.range.file) || moduleInstance(resource.address) === moduleInstance(from.address);
}

/**
 * The functions a reference written where `from` stands can name: `reachable(f, from)` for each, in list
 * order. Looked up in groups built once per list by what `reachable` compares (a CloudFormation template;
 * a Terraform folder and module instance, then the root), so each policy reads its own few functions
 * rather than filtering every function of its folder (a folder of many templates made that quadratic).
 */
export function reachableFunctions<T extends ResourceBase>(functions: readonly T[], from: ResourceBase): readonly T[] {
  const group = groupedBy(functions, reachKey).get(reachKey(from));
  if (!group) return [];
  // CloudFormation compares files alone; a Terraform resource of no known root shares every root.
  if (from.sourceType.startsWith('AWS::') || from.root === undefined) return group;
  let roots = rootsOfGroup.get(group) as GroupRoots<T> | undefined;
  if (!roots) rootsOfGroup.set(group, (roots = splitByRoot(group)));
  const own = roots.byRoot.get(from.root);
  if (roots.unrooted.length === 0) return own ?? [];
  if (!own) return roots.unrooted;
  // Both (a plan beside the configuration): in list order, once per root.
  let both = roots.merged.get(from.root);
  if (!both) roots.merged.set(from.root, (both = group.filter((f) => sameRoot(f.root, from.root))));
  return both;
}

/** A group's members by their root, and those of no known root (which every root can name). */
interface GroupRoots<T> {
  byRoot: Map<string, T[]>;
  unrooted: T[];
  /** Per root with members of its own, when there are unrooted ones too: both, in list order. */
  merged: Map<string, T[]>;
}

const rootsOfGroup = new WeakMap<readonly ResourceBase[], GroupRoots<ResourceBase>>();

/** Split once per group: a module folder that many roots call is one group, and each root's policies look up their own. */
function splitByRoot<T extends ResourceBase>(group: readonly T[]): GroupRoots<T> {
  const roots: GroupRoots<T> = { byRoot: new Map(), unrooted: [], merged: new Map() };
  for (const f of group) {
    if (f.root === undefined) roots.unrooted.push(f);
    else {
      const list = roots.byRoot.get(f.root);
      if (list) list.push(f);
      else roots.byRoot.set(f.root, [f]);
    }
  }
  return roots;
}

/** What `reachable` (a reference written in the resource's own file) requires to be equal, but for the root. */
const reachKey = (r: ResourceBase) => (r.sourceType.startsWith('AWS::') ? templateScope(r.range.file) : `r\u0000${dirname(r.range.file)}\u0000${moduleInstance(r.address)}`);

/**
 * The first position in `functions` of each `scope \0 key`. Keys: a function's name (`n:`), address
 * (`a:`) and short address (`s:`, `type.name` of a module's resource); scopes: its template (`c`), its
 * Terraform folder, root and module instance (`t`), its folder and root (`d`), and the whole scan.
 * (Two roots calling one module under one name put the same address in the same folder: only the root tells them apart.) Built once per model,
 * so each permission's lookup is a few map reads, however many roots share `aws_lambda_function.this`.
 */
type FunctionIndex = Map<string, number>;

const functionIndexes = new WeakMap<readonly ResourceBase[], FunctionIndex>();
function functionIndex(functions: Model['functions']): FunctionIndex {
  let index = functionIndexes.get(functions);
  if (index) return index;
  const map: FunctionIndex = (index = new Map());
  functions.forEach((f, i) => {
    const dir = dirname(f.range.file);
    const scopes = f.sourceType.startsWith('AWS::') ? [templateScope(f.range.file), ANYWHERE] : [instanceScope(dir, f.root, moduleInstance(f.address)), folderScope(dir, f.root), ANYWHERE];
    const name = knownString(f.functionName?.value);
    const keys = [`a:${f.address}`, `s:${localAddress(f.address)}`, ...(name !== undefined ? [`n:${name}`] : [])];
    for (const scope of scopes)
      for (const key of keys) {
        const k = `${scope}\u0000${key}`;
        if (!map.has(k)) map.set(k, i);
      }
  });
  functionIndexes.set(functions, index);
  return index;
}

/**
 * Functions a policy can name by reference, for least-privilege suggestions: those of its template
 * or Terraform module instance. Without one there: functions of its folder (the same module code, so
 * the same reference resolves). Never another template's or another Terraform folder's, which a
 * reference written here cannot name (`terraform plan` rejects it); only a raw IAM JSON policy, which
 * names functions by ARN, takes them from anywhere in the scan.
 */
export function nearbyFunctions(model: Model, from: ResourceBase, limit = 3): ResourceBase[] {
  const reach = reachableFunctions(model.functions, from).slice(0, limit);
  if (reach.length > 0 || from.sourceType.startsWith('AWS::')) return reach;
  const folder = byFolder(model.functions).get(dirname(from.range.file)) ?? [];
  return (folder.length > 0 || !from.sourceType.startsWith('iam-json:') ? folder : model.functions).slice(0, limit);
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

interface ServiceSource {
  terraform: string;
  cloudformation: string;
  attribute: string;
  suffix?: string;
  /** How a template gets the ARN: a `Fn::GetAtt` attribute, "Ref", or null (only `Fn::Sub` can build it). Default: GetAtt Arn. */
  cloudformationArn?: string | null;
  /** Resource types that connect such a resource to a function by naming both (a subscription, an integration). */
  wiring?: string[];
}

/** A resource in the scan that can call Lambda through a service principal, and how to write its ARN. */
export interface Trigger {
  resource: ResourceBase;
  /** The ARN as a value a fix can write; absent when the format cannot name it in one expression. */
  arn?: FixValue;
  /** The ARN as a user would paste it. */
  display: string;
  /** Resource types that connect it to a function by naming both (ServiceSource.wiring). */
  wiring: readonly string[];
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
  for (const resource of byFolder(model.resources).get(dirname(file)) ?? []) {
    const source = sources.find((s) => s.terraform === resource.sourceType || s.cloudformation === resource.sourceType);
    if (!source || resource.sourceType.startsWith('AWS::') !== cloudformation || !sameRoot(resource.root, from.root)) continue;
    const wiring = source.wiring ?? [];
    if (cloudformation) {
      if (resource.range.file !== file) continue;
      const how = source.cloudformationArn === undefined ? 'Arn' : source.cloudformationArn;
      if (how === null || !nameable(resource)) found.push({ resource, display: `the ARN of ${resource.address}`, wiring });
      else if (how === 'Ref') found.push({ resource, arn: { kind: 'intrinsic', name: 'Ref', argument: resource.address }, display: `!Ref ${resource.address}`, wiring });
      else found.push({ resource, arn: { kind: 'intrinsic', name: 'Fn::GetAtt', argument: [resource.address, how] }, display: `!GetAtt ${resource.address}.${how}`, wiring });
      continue;
    }
    // A plan (`terraform show -json`) beside the configuration holds the same resource again.
    if (dirname(resource.range.file) !== dirname(file) || found.some((f) => f.resource.address === resource.address)) continue;
    const expression = `${localAddress(resource.address)}.${source.attribute}`;
    found.push({
      resource,
      arn: { kind: 'terraform', expression, ...(source.suffix ? { suffix: source.suffix } : {}) },
      display: source.suffix ? `"\${${expression}}${source.suffix}"` : expression,
      wiring,
    });
  }
  return found;
}
