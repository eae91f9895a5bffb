import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './scan.js';

/** A fresh copy of a repository folder (e.g. examples/terraform/vulnerable) in a temp dir. */
export async function tempCopy(from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'invokeguard-'));
  await cp(join(REPO_ROOT, from), dir, { recursive: true });
  return dir;
}
