import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { displayPath } from '../discover/display-path.js';
import type { Model } from '../model/types.js';
import { calledModuleDirs } from './called-modules.js';
import { filesAddressesRestOn } from './value-origins.js';

/** Files Terraform reads as one module: a changed one is analysed with all of them. */
const TERRAFORM_FILE = /\.(tf|tf\.json|tofu|tofu\.json|tfvars|tfvars\.json)$/i;

/**
 * The paths to scan for a set of changed files (pre-commit passes only those): each Terraform
 * file brings its directory's Terraform files (variables, locals, policies attached elsewhere) and
 * those of the local modules it calls (what a module call's arguments reach); a template or policy
 * file is complete in itself.
 */
export async function withContext(paths: readonly string[], cwd: string): Promise<string[]> {
  const out = new Set(paths.map((p) => resolve(cwd, p)));
  const dirs = new Set([...out].filter((p) => TERRAFORM_FILE.test(p)).map((p) => dirname(p)));
  for (const dir of [...dirs, ...(await calledModuleDirs(dirs, cwd))]) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile() && TERRAFORM_FILE.test(entry.name)) out.add(join(dir, entry.name));
  }
  return [...out].sort();
}

/**
 * Whether something belongs to the changed paths: it stands in one of them, or is about a resource
 * something it rests on was written in: its declaration (a changed policy whose document stands in an
 * unchanged file), a value of its (a variable default, a tfvars entry, a local, a module call's
 * argument), or a module call that instantiates it. Keeps the findings a --changed-only scan reports,
 * and the policies it sends to Access Analyzer.
 */
export function changedPlaces(paths: readonly string[], cwd: string, model: Model): (file: string, address: string) => boolean {
  // The same form as the scan's file names, so the two compare.
  const roots = paths.map(displayPath(cwd));
  const within = (file: string) => roots.some((r) => r === '.' || file === r || file.startsWith(`${r}/`));
  const restsOn = filesAddressesRestOn(model);
  return (file, address) => within(file) || [...(restsOn(address) ?? [])].some(within);
}
