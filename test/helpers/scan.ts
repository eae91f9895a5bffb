import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
