import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifyByName } from './classify.js';
import { isInside } from './inside.js';
import type { DiscoveredFile, DiscoveryNotice } from './discover.js';

/**
 * A module call whose code `terraform init` downloaded (registry, git, S3 …): the caller's folder,
 * the call's name, and the folder under `.terraform/modules` holding the module's code.
 */
export interface InstalledModule {
  callerDir: string;
  name: string;
  dir: string;
  /** `Source` and `Version` as the manifest records them, for messages. */
  source: string;
  version?: string;
}

interface ManifestEntry {
  Key?: unknown;
  Source?: unknown;
  Version?: unknown;
  Dir?: unknown;
}

/**
 * Reads `<root>/.terraform/modules/modules.json`, the manifest `terraform init` (and `tofu init`)
 * writes: each installed module call (`Key`: call names from the root, dot-joined) and the folder
 * its code was installed in. Only folders inside `.terraform/modules` are taken (local-path modules
 * are scanned where they stand); their Terraform files are returned to be parsed as the module's
 * code, never as roots of their own. Nothing outside `.terraform/modules` is read, and a folder that
 * resolves (through a symlink) outside it, or outside the scan root, is skipped with a notice.
 */
export function installedModules(root: string, scanRoot: string, notices: DiscoveryNotice[]): { modules: InstalledModule[]; files: DiscoveredFile[] } {
  const base = join(root, '.terraform', 'modules');
  let entries: ManifestEntry[];
  try {
    const manifest = JSON.parse(readFileSync(join(base, 'modules.json'), 'utf8')) as { Modules?: unknown };
    entries = Array.isArray(manifest.Modules) ? (manifest.Modules as ManifestEntry[]) : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') notices.push({ path: join(base, 'modules.json'), message: 'module manifest unreadable; downloaded modules not analysed' });
    return { modules: [], files: [] };
  }
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch {
    return { modules: [], files: [] };
  }
  if (!isInside(realBase, scanRoot)) {
    notices.push({ path: base, message: `installed modules folder resolves outside the scan root (${realBase}); not followed` });
    return { modules: [], files: [] };
  }
  const dirOfKey = new Map<string, string>([['', root]]);
  const installed: Array<{ key: string; dir: string; source: string; version?: string }> = [];
  for (const entry of entries) {
    if (typeof entry.Key !== 'string' || typeof entry.Dir !== 'string' || entry.Key === '') continue;
    const dir = resolve(root, entry.Dir);
    dirOfKey.set(entry.Key, dir);
    if (!isInside(dir, base)) continue; // resolve() has folded any `../`: a Dir that climbs out is not under base
    installed.push({ key: entry.Key, dir, source: typeof entry.Source === 'string' ? entry.Source : '', ...(typeof entry.Version === 'string' ? { version: entry.Version } : {}) });
  }
  const modules: InstalledModule[] = [];
  const files: DiscoveredFile[] = [];
  for (const { key, dir, source, version } of installed) {
    const dot = key.lastIndexOf('.');
    const callerDir = dirOfKey.get(dot < 0 ? '' : key.slice(0, dot));
    if (!callerDir) continue;
    const code = moduleFiles(dir, realBase, notices);
    if (!code) continue;
    modules.push({ callerDir, name: key.slice(dot + 1), dir, source, ...(version ? { version } : {}) });
    files.push(...code);
  }
  return { modules, files };
}

/** The module folder's Terraform configuration files (not its sub-folders: those are modules of their own). */
function moduleFiles(dir: string, realBase: string, notices: DiscoveryNotice[]): DiscoveredFile[] | undefined {
  try {
    if (!isInside(realpathSync(dir), realBase)) {
      notices.push({ path: dir, message: `installed module folder resolves outside .terraform/modules; not followed` });
      return undefined;
    }
    const files: DiscoveredFile[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(dir, entry.name);
      const format = classifyByName(path);
      if (format === 'terraform-hcl' || format === 'terraform-json') files.push({ path, format });
    }
    return files;
  } catch {
    return undefined; // listed but not installed (init not re-run): nothing to analyse
  }
}
