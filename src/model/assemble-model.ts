import { dirname } from 'node:path';
import type { HclFile } from '../parse/terraform-hcl/hcl-ast.js';
import type { SourceDocument } from '../parse/types.js';
import { instantiateTemplate } from './cloudformation/build-model.js';
import { prepareTemplate, scannedPaths, templateRoots, type PreparedTemplate } from './cloudformation/nested.js';
import { addIamPolicyFile } from './iam-policy-file.js';
import { declarations, type TerraformContext } from './terraform/module-tree.js';
import { instantiate, localCallTargets, rootInputs, type Declarations } from './terraform/build-model.js';
import { addTerraformPlan } from './terraform/plan.js';
import { emptyModel, type Model } from './types.js';
import type { Value } from './value.js';

/** A Terraform directory held back until the end: it calls local modules, or is called by one. */
interface HeldDirectory {
  declared: Declarations;
  tfvars: HclFile[];
}

export interface ModelAssembler {
  /** Hands over the parsed document of `files[index]`, in any order; the assembler keeps only what the model needs. */
  add(index: number, document: SourceDocument): void;
  /** The model, exactly as `buildModel` would build it from all documents in file order. */
  finish(): Promise<Model>;
}

/**
 * Builds the model while files are still being parsed, so that the syntax trees of a Terraform
 * directory (the module unit) or a template are released as soon as it is modelled: memory then
 * grows with the largest directory, not with the repository, and the garbage collector does not
 * copy every tree of the scan around.
 *
 * A directory without local `module` calls is modelled as a root when its last file arrives. If
 * another directory turns out to call it, that model is dropped and its files are parsed again
 * (`reparse`) so each caller can instantiate it with the values it passes — the rare case that
 * costs a second parse. CloudFormation templates go the same way: a template without local nested
 * stacks is modelled as a root on arrival, unless a template seen before nests it; templates that
 * nest others, or are nested, are held until the end, and one modelled early that turns out to be
 * nested is parsed again. Results go into per-document slots merged in file order at the end, so the
 * model does not depend on the order files finish in.
 *
 * `files` are the display paths of every file the scan parses, in discovery order.
 */
export function modelAssembler(
  files: readonly string[],
  scpFiles: ReadonlySet<string>,
  reparse: (indices: number[]) => Promise<SourceDocument[]>,
  context: TerraformContext = {},
): ModelAssembler {
  const { installed, varFiles } = context;
  /** Files Terraform's `file()` read: the Terraform model reports what is in them, not the raw policy-file model. */
  const readByTerraform = new Set<string>();
  const readFile = context.readFile && ((path: string) => {
    const found = context.readFile!(path);
    if (found) readByTerraform.add(found.file);
    return found;
  });
  const byDirectory = new Map<string, number[]>();
  const directoryOf = files.map((file) => dirname(file));
  directoryOf.forEach((dir, index) => {
    const list = byDirectory.get(dir);
    if (list) list.push(index);
    else byDirectory.set(dir, [index]);
  });
  const remaining = new Map([...byDirectory].map(([dir, indices]) => [dir, indices.length]));
  const waiting = new Map<string, Map<number, SourceDocument>>();
  /** Model fragments by the index of the file that orders them (a directory's first .tf file). */
  const terraform = new Map<number, Model>();
  const templates = new Map<number, Model>();
  const plans = new Map<number, Model>();
  const policyFiles = new Map<number, Model>();
  /** Every directory with Terraform configuration, by the index of its first configuration file. */
  const terraformDirs = new Map<string, number>();
  const held = new Map<string, HeldDirectory>();
  // Installed modules are known to be called from the start: never modelled (and then parsed again) as roots.
  const calledSoFar = new Set<string>(installed?.values());
  const scanned = scannedPaths(files);
  /** CloudFormation templates: file → index, the local templates each nests, those nested so far, those held, those modelled on arrival. */
  const templateIndex = new Map<string, number>();
  const nestedBy = new Map<string, string[]>();
  const nestedSoFar = new Set<string>();
  const heldTemplates = new Map<string, PreparedTemplate>();
  const modelledEarly = new Set<string>();

  const templateArrived = (index: number, file: string, template: Value) => {
    const prepared = prepareTemplate(file, template, scanned);
    const children = prepared.children.map((c) => c.target);
    templateIndex.set(file, index);
    nestedBy.set(file, children);
    for (const child of children) if (child !== file) nestedSoFar.add(child);
    if (children.length > 0 || nestedSoFar.has(file)) {
      heldTemplates.set(file, prepared);
      return;
    }
    modelledEarly.add(file);
    templates.set(index, withModel((model) => instantiateTemplate(model, heldTemplates, prepared)));
  };

  const directoryDone = (dir: string, documents: Map<number, SourceDocument>) => {
    const { configuration, tfvars, first } = terraformFiles(documents);
    if (first < 0) return; // tfvars alone are not a module
    terraformDirs.set(dir, first);
    const declared = declarations({ dir, files: configuration, tfvars }, installed);
    const targets = localCallTargets(declared);
    for (const target of targets) calledSoFar.add(target);
    if (targets.length > 0 || calledSoFar.has(dir)) {
      held.set(dir, { declared, tfvars });
      return;
    }
    terraform.set(first, withModel((model) => instantiate(model, new Map(), declared, '', rootInputs({ dir, files: [], tfvars }, varFiles), [dir], readFile)));
  };

  const add = (index: number, document: SourceDocument) => {
    switch (document.format) {
      case 'cloudformation':
        templateArrived(index, document.file, document.template);
        break;
      case 'terraform-plan':
        if (document.value) plans.set(index, withModel((model) => addTerraformPlan(model, document.value!)));
        break;
      case 'iam-json':
        if (document.value) policyFiles.set(index, withModel((model) => addIamPolicyFile(model, document.file, document.value!, scpFiles.has(document.file))));
        break;
    }
    const dir = directoryOf[index];
    let documents = waiting.get(dir);
    if (!documents) waiting.set(dir, (documents = new Map()));
    documents.set(index, document);
    const left = remaining.get(dir)! - 1;
    remaining.set(dir, left);
    if (left > 0) return;
    waiting.delete(dir);
    directoryDone(dir, documents);
  };

  const finish = async (): Promise<Model> => {
    // Called directories are modelled only through their callers (as addTerraformModel does).
    const called = new Set<string>();
    for (const { declared } of held.values()) for (const target of localCallTargets(declared)) if (terraformDirs.has(target)) called.add(target);
    const modelledEarly = [...called].filter((dir) => !held.has(dir));
    for (const dir of modelledEarly) terraform.delete(terraformDirs.get(dir)!);
    const indices = modelledEarly.flatMap((dir) => byDirectory.get(dir)!);
    const again = indices.length > 0 ? await reparse(indices) : [];
    const reparsed = new Map<string, Map<number, SourceDocument>>();
    again.forEach((document, i) => {
      const dir = directoryOf[indices[i]];
      if (!reparsed.has(dir)) reparsed.set(dir, new Map());
      reparsed.get(dir)!.set(indices[i], document);
    });
    const declared = new Map<string, Declarations>([...held].map(([dir, h]) => [dir, h.declared]));
    for (const [dir, documents] of reparsed) declared.set(dir, declarations({ dir, files: terraformFiles(documents).configuration, tfvars: [] }, installed));
    for (const [dir, { declared: module, tfvars }] of held) {
      if (called.has(dir)) continue;
      terraform.set(terraformDirs.get(dir)!, withModel((model) => instantiate(model, declared, module, '', rootInputs({ dir, files: [], tfvars }, varFiles), [dir], readFile)));
    }
    await finishTemplates();
    // Every Terraform module is instantiated by now, so every file() that will be read has been.
    for (const index of policyFiles.keys()) if (readByTerraform.has(files[index])) policyFiles.delete(index);
    const model = emptyModel();
    for (const fragments of [[...terraform], [...templates], [...plans], [...policyFiles]])
      for (const [, fragment] of [...fragments].sort(([a], [b]) => a - b)) mergeModel(model, fragment);
    return model;
  };

  /** Roots as `addCloudFormationModel` picks them; a root held (it nests others) is modelled now, a nested template modelled early is parsed again. */
  const finishTemplates = async () => {
    if (heldTemplates.size === 0) return;
    const order = [...templateIndex.keys()].sort((a, b) => templateIndex.get(a)! - templateIndex.get(b)!);
    const roots = templateRoots(order, (file) => nestedBy.get(file) ?? []);
    const again = [...modelledEarly].filter((file) => !roots.has(file));
    for (const file of again) templates.delete(templateIndex.get(file)!);
    const documents = again.length > 0 ? await reparse(again.map((file) => templateIndex.get(file)!)) : [];
    for (const document of documents) if (document.format === 'cloudformation') heldTemplates.set(document.file, prepareTemplate(document.file, document.template, scanned));
    for (const file of roots) if (!modelledEarly.has(file)) templates.set(templateIndex.get(file)!, withModel((model) => instantiateTemplate(model, heldTemplates, heldTemplates.get(file)!)));
    heldTemplates.clear();
  };

  return { add, finish };
}

/** A directory's configuration files (.tf, .tf.json) and tfvars in file order, and the index of its first configuration file (-1: none). */
function terraformFiles(documents: ReadonlyMap<number, SourceDocument>): { configuration: HclFile[]; tfvars: HclFile[]; first: number } {
  const configuration: HclFile[] = [];
  const tfvars: HclFile[] = [];
  let first = -1;
  for (const index of [...documents.keys()].sort((a, b) => a - b)) {
    const document = documents.get(index)!;
    if (document.format === 'terraform-hcl' || document.format === 'terraform-json') {
      if (first < 0) first = index;
      configuration.push(document.hcl);
    } else if (document.format === 'terraform-vars') tfvars.push(document.hcl);
  }
  return { configuration, tfvars, first };
}

function withModel(build: (model: Model) => void): Model {
  const model = emptyModel();
  build(model);
  return model;
}

/**
 * Appends a fragment to a model: lists are concatenated, maps merged (a later entry replaces an
 * earlier one in place, as a second `set` would), nested records (posture) merged the same way.
 */
export function mergeModel(into: Model, fragment: Model): void {
  mergeRecord(into as unknown as Record<string, unknown>, fragment as unknown as Record<string, unknown>);
}

function mergeRecord(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const key of Object.keys(from)) {
    const value = from[key];
    const existing = into[key];
    if (existing === undefined) into[key] = Array.isArray(value) ? value.slice() : value instanceof Map ? new Map(value) : isRecord(value) ? cloneRecord(value) : value;
    else if (Array.isArray(existing) && Array.isArray(value)) append(existing, value);
    else if (existing instanceof Map && value instanceof Map) value.forEach((v, k) => existing.set(k, v));
    else if (isRecord(existing) && isRecord(value)) mergeRecord(existing, value);
    else throw new Error(`cannot merge model field ${key}`);
  }
}

/**
 * Indexed, not for-of: this runs a few hundred times a scan, too few for the optimiser, and the
 * interpreter allocates an iterator result per item (the whole model's resources, once each).
 */
function append(into: unknown[], items: readonly unknown[]): void {
  for (let i = 0; i < items.length; i++) into.push(items[i]);
}

function cloneRecord(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  mergeRecord(out, value);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}
