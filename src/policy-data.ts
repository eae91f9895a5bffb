import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root (holding `policies/`), found from this module whether run from src, dist or a packed install. */
function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'policies')) || !existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('invokeguard: cannot find its policies/ folder');
    dir = parent;
  }
  return (root = dir);
}

const cache = new Map<string, unknown>();

/** Reads a JSON data file from `policies/` (knowledge kept as data, not code). */
export function policyData<T>(name: string): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(join(packageRoot(), 'policies', name), 'utf8')));
  return cache.get(name) as T;
}
