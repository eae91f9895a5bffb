import { dirname, join, normalize } from 'node:path';
import type { Expr, HclBlock, HclFile } from '../../parse/terraform-hcl/hcl-ast.js';
import type { Value } from '../value.js';
import { inLoadOrder, mergeOverride } from './override-files.js';

/**
 * One instantiation of a Terraform module directory: the root modules of the scan, and
 * each local `module` call inside them (addressed `module.NAME.`), with what it was given.
 */
export interface ModuleInstance {
  dir: string;
  /** Address prefix: '' for a root, 'module.app.' (nested: 'module.a.module.b.') for a call. */
  prefix: string;
  variables: Map<string, HclBlock>;
  /** Values passed in: module call arguments (evaluated in the caller) or tfvars for roots. */
  inputs: Map<string, () => Value>;
  locals: Map<string, Expr>;
  dataSources: Map<string, HclBlock>;
  resources: Map<string, HclBlock>;
  moduleCalls: Map<string, HclBlock>;
  /** `output` blocks by name: evaluated only when a caller refers to `module.NAME.OUTPUT`. */
  outputs: Map<string, HclBlock>;
  /** The folder each module call's code is in, where it is in the scan: a local path, or installed by `terraform init`. */
  moduleDirs: Map<string, string>;
  /** Every scanned directory's declarations, and the folders of the calls that led here (cycle guard): what module calls are instantiated from. */
  modules?: { declared: ReadonlyMap<string, Declarations>; stack: readonly string[]; readFile?: TerraformFileReader };
}

/**
 * Reads a file `file()` names, by its path from the scan's cwd (or absolute): its path as findings
 * show it and its text; undefined when it may not or cannot be read (the value is then unknown).
 */
export type TerraformFileReader = (path: string) => { file: string; text: string } | undefined;

/** One directory's declarations, shared by every instance of it. */
export type Declarations = Omit<ModuleInstance, 'prefix' | 'inputs' | 'modules'>;

/** Module calls nested deeper than this are not instantiated (nor their outputs read). */
export const MAX_MODULE_DEPTH = 8;

/** Folders `terraform init` installed module code in, by `installedKey(caller folder, call name)`. */
export type InstalledModuleDirs = ReadonlyMap<string, string>;

/** What a scan knows beyond the Terraform files of each folder. */
export interface TerraformContext {
  installed?: InstalledModuleDirs;
  /** `--var-file` files, in the order given: applied to every root module after its own tfvars, as `terraform -var-file` is. */
  varFiles?: readonly HclFile[];
  /** What `file()` may read; absent, its value is unknown. */
  readFile?: TerraformFileReader;
}

export function installedKey(callerDir: string, name: string): string {
  return `${callerDir}\n${name}`;
}

export interface ModuleDirectory {
  dir: string;
  files: HclFile[];
  tfvars: HclFile[];
}

/** Groups parsed files into module directories (Terraform's unit), tfvars beside them. */
export function groupByDirectory(files: HclFile[], tfvars: HclFile[]): Map<string, ModuleDirectory> {
  const dirs = new Map<string, ModuleDirectory>();
  const entry = (dir: string) => {
    let d = dirs.get(dir);
    if (!d) dirs.set(dir, (d = { dir, files: [], tfvars: [] }));
    return d;
  };
  for (const file of files) entry(dirname(file.file)).files.push(file);
  for (const file of tfvars) if (dirs.has(dirname(file.file))) entry(dirname(file.file)).tfvars.push(file);
  return dirs;
}

/** Declarations of one directory, indexed by the names expressions use. */
export function declarations(directory: ModuleDirectory, installed?: InstalledModuleDirs): Declarations {
  const instance: Declarations = {
    dir: directory.dir,
    variables: new Map(),
    locals: new Map(),
    dataSources: new Map(),
    resources: new Map(),
    moduleCalls: new Map(),
    outputs: new Map(),
    moduleDirs: new Map(),
  };
  const { primary, overrides } = inLoadOrder(directory.files);
  for (const file of primary) {
    for (const block of file.body.blocks) {
      const a = block.labels[0];
      const b = block.labels[1];
      // Resources first: most blocks are.
      if (block.type === 'resource') {
        if (a && b) instance.resources.set(`${a}.${b}`, block);
      } else if (block.type === 'variable' && a) instance.variables.set(a, block);
      else if (block.type === 'locals') for (const attr of block.body.attributes) instance.locals.set(attr.name, attr.expr);
      else if (block.type === 'data' && a && b) instance.dataSources.set(`${a}.${b}`, block);
      else if (block.type === 'module' && a) instance.moduleCalls.set(a, block);
      else if (block.type === 'output' && a) instance.outputs.set(a, block);
    }
  }
  for (const file of overrides) applyOverrides(instance, file);
  for (const [name, call] of instance.moduleCalls) {
    const target = localModuleDir(directory.dir, call) ?? installed?.get(installedKey(directory.dir, name));
    if (target) instance.moduleDirs.set(name, target);
  }
  return instance;
}

/**
 * Merges an override file's blocks into the declarations they override (locals value by value).
 * A block overriding nothing makes Terraform refuse the module; it adds nothing here either.
 */
function applyOverrides(instance: Declarations, file: HclFile): void {
  const merge = (declared: Map<string, HclBlock>, key: string, block: HclBlock) => {
    const base = declared.get(key);
    if (base) declared.set(key, mergeOverride(base, block));
  };
  for (const block of file.body.blocks) {
    const [a, b] = block.labels;
    if (block.type === 'resource' && a && b) merge(instance.resources, `${a}.${b}`, block);
    else if (block.type === 'data' && a && b) merge(instance.dataSources, `${a}.${b}`, block);
    else if (block.type === 'variable' && a) merge(instance.variables, a, block);
    else if (block.type === 'module' && a) merge(instance.moduleCalls, a, block);
    else if (block.type === 'output' && a) merge(instance.outputs, a, block);
    else if (block.type === 'locals') for (const attr of block.body.attributes) if (instance.locals.has(attr.name)) instance.locals.set(attr.name, attr.expr);
  }
}

/** The directory a module call points at, when its source is a local path. */
export function localModuleDir(callerDir: string, call: HclBlock): string | undefined {
  const source = call.body.attributes.find((a) => a.name === 'source')?.expr;
  if (source?.t !== 'literal' || typeof source.value !== 'string') return undefined;
  if (!source.value.startsWith('./') && !source.value.startsWith('../')) return undefined;
  // `source = "../../"` (as terraform-aws-modules' examples write it) names the same folder as "../..".
  return normalize(join(callerDir, source.value)).replace(/(?<=.)[\\/]+$/, '');
}
