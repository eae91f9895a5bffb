import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './scan.js';

/** Writes a throwaway folder of files (path → content) and returns its path. */
export function tempTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'invokeguard-test-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A fresh copy of a repository folder (e.g. examples/terraform/vulnerable) in a temp dir. */
export async function tempCopy(from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'invokeguard-'));
  await cp(join(REPO_ROOT, from), dir, { recursive: true });
  return dir;
}
