import type { HclBlock, HclBody, HclFile } from '../../parse/terraform-hcl/hcl-ast.js';
import type { Range } from '../range.js';
import type { Attribute, Model, ModuleCallSite } from '../types.js';
import type { Value } from '../value.js';
import { evaluationBudget, Evaluator, type EvaluationBudget } from './evaluate.js';
import { declarations, groupByDirectory, type Declarations, type ModuleDirectory, type ModuleInstance, type TerraformContext, type TerraformFileReader } from './module-tree.js';
import { internType } from './intern.js';
import { terraformReferences, type ResourceReference } from '../references.js';
import { addPlanVariants } from './plan-variants.js';
import { addResourceBase, addTerraformResource, hasPlanVariants, isModelledType, type TerraformBlockView, type TerraformResourceView } from './resources.js';

/**
 * Adds the Terraform part of the scan to the model. Each directory is a module; a directory
 * called as a local module by another scanned directory is analysed through its callers
 * (with the values they pass), every other directory as a root with its tfvars.
 */
export function addTerraformModel(model: Model, files: HclFile[], tfvars: HclFile[], context: TerraformContext = {}): void {
  const directories = groupByDirectory(files, tfvars);
  // Each directory's declarations, indexed once and shared by every instance of it.
  const declared = new Map([...directories].map(([dir, directory]) => [dir, declarations(directory, context.installed)]));
  const called = new Set<string>();
  for (const module of declared.values()) for (const target of localCallTargets(module)) if (declared.has(target)) called.add(target);
  for (const directory of directories.values()) {
    if (called.has(directory.dir)) continue;
    instantiate(model, declared, declared.get(directory.dir)!, '', rootInputs(directory, context.varFiles), [directory.dir], context.readFile);
  }
}

export type { Declarations };

/** The scanned-or-not directories a module's local `module` calls point at (itself excluded). */
export function localCallTargets(module: Declarations): string[] {
  const targets: string[] = [];
  for (const target of module.moduleDirs.values()) if (target !== module.dir) targets.push(target);
  return targets;
}

/** terraform.tfvars(.json), *.auto.tfvars(.json) (alphabetical), then `--var-file`s in order, later files winning, as Terraform loads them. */
export function rootInputs(directory: ModuleDirectory, varFiles: readonly HclFile[] = []): Map<string, () => Value> {
  const inputs = new Map<string, () => Value>();
  const ordered = [...[...directory.tfvars].sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file)), ...varFiles];
  const noModule: ModuleInstance = { ...declarations({ dir: directory.dir, files: [], tfvars: [] }), prefix: '', inputs: new Map() };
  const evaluator = new Evaluator(noModule); // tfvars are literal values; references in them are unknown
  for (const file of ordered) for (const attr of file.body.attributes) inputs.set(attr.name, () => evaluator.evaluate(attr.expr));
  return inputs;
}

function rank(file: string): number {
  return file.endsWith('terraform.tfvars') || file.endsWith('terraform.tfvars.json') ? 0 : 1;
}

/**
 * How many resources and module instances one root module may expand to. count/for_each are capped
 * per block (instances.ts), but nested module calls multiply: 200 × 200 × 200 is 8 million. Past the
 * budget a block is modelled once (its plain address) and the rest of the tree is not expanded; the
 * first block over it is reported (IG901), so the cut is never silent.
 */
export const MAX_ROOT_INSTANCES = 50_000;

interface Budget {
  left: number;
  reported: boolean;
  /** Shared by every module instance's evaluator, so nested modules cannot multiply it either. */
  evaluation: EvaluationBudget;
}

export function instantiate(
  model: Model,
  declared: Map<string, Declarations>,
  directory: Declarations,
  prefix: string,
  inputs: Map<string, () => Value>,
  stack: string[],
  readFile?: TerraformFileReader,
  budget: Budget = { left: MAX_ROOT_INSTANCES, reported: false, evaluation: evaluationBudget() },
): void {
  const modules: ModuleInstance['modules'] = readFile ? { declared, stack, readFile } : { declared, stack };
  const module: ModuleInstance = { ...directory, prefix, inputs, modules };
  instantiateWith(model, new Evaluator(module, undefined, undefined, budget.evaluation), budget);
}

/** Models a module instance's resources, then its module calls' instances, through their (possibly already created) evaluators. */
function instantiateWith(model: Model, evaluator: Evaluator, budget: Budget): void {
  const { module } = evaluator;
  const { prefix } = module;
  // The root this instance comes from: the first folder of the call chain (see ResourceBase.root).
  const root = module.modules?.stack[0] ?? module.dir;
  const exhausted = (block: HclBlock, wanted: number): boolean => {
    if (wanted <= budget.left) return false;
    if (!budget.reported) {
      budget.reported = true;
      model.errors.push({ message: `more than ${MAX_ROOT_INSTANCES} resource and module instances from one root module: from here on, blocks are analysed once each and module instances are not expanded`, range: block.range });
    }
    return true;
  };
  for (const [key, block] of module.resources) {
    // declarations keys resources by their two labels, `type.name`.
    const type = block.labels[0];
    const name = block.labels[1];
    const address = prefix + key;
    // Most resources have neither count nor for_each: no instances looked up for them.
    const instances = hasInstances(block) ? evaluator.instances(block) : undefined;
    if (!Array.isArray(instances) || exhausted(block, instances.length)) {
      budget.left--;
      addResource(model, address, type, name, block, evaluator, root);
      continue;
    }
    budget.left -= instances.length;
    // One resource per instance, addressed as Terraform does (`aws_x.y[0]`, `aws_x.y["k"]`); none for count = 0.
    for (const { instance, evaluator: scoped } of instances) addResource(model, address + instance.suffix, type, name, block, scoped, root, address);
  }
  for (const [name, block] of module.outputs) {
    const local = referencesOf(block);
    if (local.length > 0)
      (model.outputs ??= []).push({ address: `${prefix}output.${name}`, sourceType: 'output', range: block.range, root, references: prefix === '' ? local : local.map((r) => ({ ...r, address: prefix + r.address })) });
  }
  for (const [key, block] of module.dataSources) (model.dataSources ??= []).push({ address: `${prefix}data.${key}`, sourceType: internType(block.labels[0]), range: block.range });
  for (const [name, call] of module.moduleCalls) {
    if (!evaluator.callTarget(name)) {
      unscannedSource(model, module, name, call);
      continue;
    }
    const instances = hasInstances(call) ? evaluator.instances(call) : undefined;
    const calls = Array.isArray(instances) ? instances.map((i) => ({ suffix: i.instance.suffix, scoped: i.evaluator })) : [{ suffix: '', scoped: evaluator }];
    if (exhausted(call, calls.length)) continue;
    budget.left -= calls.length;
    for (const { suffix, scoped } of calls) {
      const child = evaluator.child(name, suffix, scoped);
      if (!child) continue;
      (model.moduleCalls ??= []).push(callSite(child.module.prefix, call, child.module.variables));
      instantiateWith(model, child, budget);
    }
  }
}

/**
 * A module call whose local source holds no scanned file (outside the scanned paths, in a skipped folder such as
 * `node_modules`, or empty) deploys resources the scan never sees: said once per call, at the calling folder.
 */
function unscannedSource(model: Model, module: ModuleInstance, name: string, call: HclBlock): void {
  const target = module.moduleDirs.get(name);
  if (target === undefined || module.modules?.declared.has(target)) return;
  const source = call.body.attributes.find((a) => a.name === 'source')?.expr;
  const written = source?.t === 'literal' && typeof source.value === 'string' ? source.value : target;
  const message = `module "${name}" (source "${written}", ${call.range.file}:${call.range.line}): no scanned Terraform file there (outside the scanned paths, or in a skipped folder); its resources are not analysed`;
  const notices = (model.notices ??= []);
  if (!notices.some((n) => n.message === message)) notices.push({ path: call.range.file, message });
}

function callSite(prefix: string, call: HclBlock, variables: ReadonlyMap<string, HclBlock>): ModuleCallSite {
  const site: ModuleCallSite = { prefix, range: call.range };
  for (const attr of call.body.attributes) {
    if ((attr.name === 'source' || attr.name === 'version') && attr.expr.t === 'literal' && typeof attr.expr.value === 'string') site[attr.name] = attr.expr.value;
  }
  const defaults = unsetDefaults(call, variables);
  if (defaults.length > 0) site.defaults = defaults;
  return site;
}

/** The defaults of the variables a module call does not set: what its instance's code falls back on. */
function unsetDefaults(call: HclBlock, variables: ReadonlyMap<string, HclBlock>): Array<{ name: string; range: Range }> {
  const set = new Set(call.body.attributes.map((a) => a.name));
  const defaults: Array<{ name: string; range: Range }> = [];
  for (const [name, variable] of variables) {
    if (set.has(name)) continue;
    const fallback = variable.body.attributes.find((a) => a.name === 'default');
    if (fallback) defaults.push({ name, range: fallback.expr.range });
  }
  return defaults;
}

function hasInstances(block: HclBlock): boolean {
  for (const attribute of block.body.attributes) if (attribute.name === 'count' || attribute.name === 'for_each') return true;
  return false;
}

/** `instanceOf`: the block's own address, when this is one of its instances. */
function addResource(model: Model, address: string, type: string, name: string, block: HclBlock, evaluator: Evaluator, root: string, instanceOf?: string): void {
  // Most resources are only an entry in model.resources: no view (closures) or evaluation for them.
  if (!isModelledType(type)) addResourceBase(model, address, type, name, block.range, block.constructPath, instanceOf, root);
  else if (!hasPlanVariants(type)) addTerraformResource(model, hclResourceView(address, type, name, block, evaluator, root, instanceOf));
  else {
    const view = hclResourceView(address, type, name, block, evaluator, root, instanceOf);
    addPlanVariants(model, evaluator, (into) => addTerraformResource(into, view));
  }
  // The entry just added (either way): what its block refers to, shared by every instance of the block.
  const local = referencesOf(block);
  if (local.length === 0) return;
  const own = instanceOf ?? address;
  const prefix = own.slice(0, own.length - type.length - name.length - 1);
  const references = prefix === '' ? local : local.map((r) => ({ ...r, address: prefix + r.address }));
  // Plan variants may add entries of this resource after its first: each carries the references.
  for (let i = model.resources.length - 1; i >= 0 && model.resources[i].address === address; i--) model.resources[i].references = references;
}

const blockReferences = new WeakMap<HclBlock, readonly ResourceReference[]>();
/** A block's references as written in its module (no module prefix): every instance of the block, in every instance of the module, shares them. */
function referencesOf(block: HclBlock): readonly ResourceReference[] {
  let found = blockReferences.get(block);
  if (!found) blockReferences.set(block, (found = terraformReferences(block.body, '')));
  return found;
}

/** An HCL resource block seen through the evaluator. */
function hclResourceView(address: string, type: string, name: string, block: HclBlock, evaluator: Evaluator, root: string, instanceOf: string | undefined): TerraformResourceView {
  // Plain object literals of one shape (no spreads): V8 builds these ~10× faster, and a scan makes one per resource.
  // Nested blocks with `dynamic` ones expanded, each seen with its iterator.
  const view = (body: HclBody, range: HclBlock['range'], scoped: Evaluator): TerraformBlockView => ({
    range,
    attribute: (attribute) => attributeOf(body, attribute, scoped),
    blocks: (blockType) => scoped.blocks(body, blockType).map((b) => view(b.block.body, b.block.range, b.evaluator)),
  });
  const resource: TerraformResourceView = {
    range: block.range,
    attribute: (attribute) => attributeOf(block.body, attribute, evaluator),
    address,
    type,
    name,
    blocks: (blockType) => evaluator.blocks(block.body, blockType).map((b) => view(b.block.body, b.block.range, b.evaluator)),
  };
  if (block.constructPath !== undefined) resource.constructPath = block.constructPath;
  if (instanceOf !== undefined) resource.instanceOf = instanceOf;
  resource.root = root;
  return resource;
}

function attributeOf(body: HclBody, attribute: string, evaluator: Evaluator): Attribute | undefined {
  const found = body.attributes.find((a) => a.name === attribute);
  return found ? { value: evaluator.evaluate(found.expr), range: found.range } : undefined;
}
