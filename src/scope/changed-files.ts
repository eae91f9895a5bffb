import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { displayPath } from '../discover/display-path.js';
import { resourceSpans } from '../model/resource-spans.js';
import type { Model } from '../model/types.js';

/** Files Terraform reads as one module: a changed one is analysed with all of them. */
const TERRAFORM_FILE = /\.(tf|tf\.json|tofu|tofu\.json|tfvars|tfvars\.json)$/i;

/**
 * The paths to scan for a set of changed files (pre-commit passes only those): each Terraform
 * file brings its directory's Terraform files (variables, locals, policies attached elsewhere);
 * a template or policy file is complete in itself.
 */
export async function withContext(paths: readonly string[], cwd: string): Promise<string[]> {
  const out = new Set(paths.map((p) => resolve(cwd, p)));
  const dirs = new Set([...out].filter((p) => TERRAFORM_FILE.test(p)).map((p) => dirname(p)));
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) if (entry.isFile() && TERRAFORM_FILE.test(entry.name)) out.add(join(dir, entry.name));
  }
  return [...out].sort();
}

/**
 * Whether something belongs to the changed paths: it stands in one of them, or is about a resource
 * declared in one (a changed policy whose document stands in an unchanged file). Keeps the findings
 * a --changed-only scan reports, and the policies it sends to Access Analyzer.
 */
export function changedPlaces(paths: readonly string[], cwd: string, model: Model): (file: string, address: string) => boolean {
  // The same form as the scan's file names, so the two compare.
  const roots = paths.map(displayPath(cwd));
  const within = (file: string) => roots.some((r) => r === '.' || file === r || file.startsWith(`${r}/`));
  const spans = resourceSpans(model);
  return (file, address) => within(file) || (spans.get(address) ?? []).some((s) => within(s.file));
}
