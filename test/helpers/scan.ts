import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { scan } from '../../src/scan.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Scans paths relative to the repository root; findings' files are relative to it too. */
export async function scanPaths(...paths: string[]) {
  return scan({ paths, cwd: REPO_ROOT });
}

/** The findings as [ruleId, resource, line] triples, the shape rule tests pin. */
export async function triples(...paths: string[]): Promise<Array<[string, string, number]>> {
  const result = await scanPaths(...paths);
  return result.findings.map((f) => [f.ruleId, f.resource, f.range.line]);
}

/** One rule's findings in a path, as [ruleId, resource, line]: each rule's fixtures pin only that rule. */
export async function ruleTriples(rule: string, path: string, config?: InvokeguardConfig): Promise<Array<[string, string, number]>> {
  const { findings } = await scan({ paths: [path], cwd: REPO_ROOT, ...(config ? { config } : {}) });
  return findings.filter((f) => f.ruleId === rule).map((f) => [f.ruleId, f.resource, f.range.line]);
}
