import { readdirSync } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyByName, isUnloadedVarFile, type NameClass } from './classify.js';
import { isInside } from './inside.js';
import { installedModules, type InstalledModule } from './module-manifest.js';

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  format: NameClass;
}

/** gitignore-style globs relative to each scanned folder (files named on the command line are always scanned). */
export interface DiscoveryFilters {
  include?: readonly string[];
  exclude?: readonly string[];
  /** Read the modules `terraform init` installed (`.terraform/modules/modules.json`); default true. */
  installedModules?: boolean;
}

/** The notice for a variable file Terraform loads only with -var-file (a flag it sets may open a grant in that plan). */
export const UNLOADED_VAR_FILE = 'Terraform loads this variable file only when the plan is made with -var-file: its values were not applied (scan with --var-file to analyse that plan)';

export interface DiscoveryNotice {
  path: string;
  message: string;
}

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.invokeguard-cache']);
/** What classifyByName calls the files Terraform loads from a module folder (configuration and auto-loaded variables). */
const TERRAFORM_FORMATS: ReadonlySet<string> = new Set(['terraform-hcl', 'terraform-json', 'terraform-vars']);

/**
 * Walks the given files and folders. Skips VCS/dependency folders and what the scan root's
 * .gitignore ignores; follows a symlink only when its target stays inside the scan root.
 * Output is sorted so results never depend on file-system order.
 */
export async function discover(
  paths: string[],
  cwd = process.cwd(),
  filters: DiscoveryFilters = {},
): Promise<{ files: DiscoveredFile[]; notices: DiscoveryNotice[]; modules: InstalledModule[] }> {
  const files = new Map<string, DiscoveredFile>();
  const notices: DiscoveryNotice[] = [];
  const modules: InstalledModule[] = [];
  /** Folders of Terraform files named one by one (pre-commit): the modules installed there come along. */
  const fileFolders = new Set<string>();
  const walked = new Set<string>();
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new UsageError(`cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (info.isFile()) {
      const format = classifyByName(absolute);
      if (format) files.set(absolute, { path: absolute, format });
      if (format === 'terraform-hcl' || format === 'terraform-json') fileFolders.add(dirname(absolute));
      continue;
    }
    const root = await realpath(absolute);
    walked.add(absolute);
    const { excluded, gitignored } = await ignoreRules(root, filters.exclude ?? []);
    const walker = new Walker(root, excluded, gitignored, files, notices, includeFilter(filters), filters.installedModules === false ? undefined : modules);
    await walker.walk(absolute, root);
  }
  for (const folder of filters.installedModules === false ? [] : fileFolders) {
    if ([...walked].some((root) => folder === root || isInside(folder, root))) continue; // its .terraform was seen by the walk
    addInstalledModules(folder, await realpath(folder), notices, files, modules);
  }
  return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), notices, modules };
}

export class UsageError extends Error {}

/** The module calls `terraform init` installed under `folder`, and their code as files to parse. */
function addInstalledModules(folder: string, scanRoot: string, notices: DiscoveryNotice[], files: Map<string, DiscoveredFile>, into: InstalledModule[]): void {
  const installed = installedModules(folder, scanRoot, notices);
  into.push(...installed.modules);
  for (const file of installed.files) files.set(file.path, file);
}

function includeFilter(filters: DiscoveryFilters): Ignore | undefined {
  return filters.include && filters.include.length > 0 ? ignore().add([...filters.include]) : undefined;
}

/**
 * `exclude` and the root's .gitignore, apart: a Terraform file .gitignore lists is still part of its module
 * (see Walker.walk). Each undefined when it has no pattern (nothing to ask per file).
 */
async function ignoreRules(root: string, exclude: readonly string[]): Promise<{ excluded?: Ignore; gitignored?: Ignore }> {
  let gitignore = '';
  try {
    gitignore = await readFile(join(root, '.gitignore'), 'utf8');
  } catch {
    // no .gitignore: nothing extra to skip
  }
  return { ...(exclude.length > 0 ? { excluded: ignore().add([...exclude]) } : {}), ...(gitignore.trim() !== '' ? { gitignored: ignore().add(gitignore) } : {}) };
}

class Walker {
  private readonly visited = new Set<string>();

  constructor(
    private readonly root: string,
    /** The config's `exclude` globs. */
    private readonly excluded: Ignore | undefined,
    /** The root's .gitignore. */
    private readonly gitignored: Ignore | undefined,
    private readonly files: Map<string, DiscoveredFile>,
    private readonly notices: DiscoveryNotice[],
    /** When set, only files it matches are added. */
    private readonly included?: Ignore,
    /** Module calls whose code `terraform init` installed under a walked folder's `.terraform/modules`; undefined: not read. */
    private readonly modules?: InstalledModule[],
  ) {}

  /** `shown` is the path as the user sees it; `real` its resolved location (for loop and escape checks). */
  async walk(shown: string, real: string): Promise<void> {
    if (this.visited.has(real)) return;
    this.visited.add(real);
    let entries;
    try {
      // Synchronous, as files are read: each awaited readdir was a thread-pool round trip the
      // main thread sat idle through (a folder of IaC lists quickly).
      entries = readdirSync(shown, { withFileTypes: true });
    } catch (error) {
      this.notices.push({ path: shown, message: `folder not readable (${(error as NodeJS.ErrnoException).code ?? error}); skipped` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    /** Terraform files of this folder that .gitignore lists, and whether the folder holds others scanned (a module). */
    const gitignoredTerraform: Array<{ path: string; fromRoot: string }> = [];
    let moduleFolder = false;
    // `real` is the root or inside it: an entry's path from the root is this folder's, then its name.
    const folder = relative(this.root, real).split(sep).join('/');
    for (const entry of entries) {
      const path = join(shown, entry.name);
      const fromRoot = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) {
        // Not walked (nor is it in git), but the modules `terraform init` installed there are the code the calls here deploy.
        if (entry.name === '.terraform' && this.modules) addInstalledModules(shown, this.root, this.notices, this.files, this.modules);
        continue;
      }
      const asked = entry.isDirectory() ? `${fromRoot}/` : fromRoot;
      if (fromRoot && this.excluded?.ignores(asked)) continue;
      if (fromRoot && this.gitignored?.ignores(asked)) {
        if (entry.isFile() && TERRAFORM_FORMATS.has(classifyByName(path) ?? '')) gitignoredTerraform.push({ path, fromRoot });
        continue;
      }
      if (entry.isSymbolicLink()) await this.symlink(path, fromRoot);
      else if (entry.isDirectory()) await this.walk(path, join(real, entry.name));
      else if (entry.isFile() && TERRAFORM_FORMATS.has(this.add(path, fromRoot) ?? '')) moduleFolder = true;
    }
    // Terraform loads every configuration file of a module's folder, .gitignore or not: one listed there but
    // present (committed with `git add -f`, or a local override) deploys with the rest of the module.
    if (moduleFolder)
      for (const { path, fromRoot } of gitignoredTerraform)
        if (this.add(path, fromRoot)) this.notices.push({ path, message: 'listed in .gitignore but scanned: Terraform loads every configuration file of its module folder' });
  }

  private async symlink(path: string, fromRoot: string): Promise<void> {
    let target: string;
    try {
      target = await realpath(path);
    } catch {
      this.notices.push({ path, message: 'broken or looping symlink; not followed' });
      return;
    }
    if (target !== this.root && !isInside(target, this.root)) {
      this.notices.push({ path, message: `symlink points outside the scan root (${target}); not followed` });
      return;
    }
    const info = await lstat(target).catch(() => undefined);
    if (info?.isDirectory()) await this.walk(path, target);
    else if (info?.isFile()) this.add(path, fromRoot);
  }

  /** Adds the file when it is one the scan reads (and `include` admits); the format it was added as, else undefined. */
  private add(path: string, fromRoot: string): NameClass | undefined {
    if (this.included && !this.included.ignores(fromRoot)) return undefined;
    if (isUnloadedVarFile(path)) {
      this.notices.push({ path, message: UNLOADED_VAR_FILE });
      return undefined;
    }
    const format = classifyByName(path);
    if (format) this.files.set(path, { path, format });
    return format;
  }
}

