import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyByName } from '../discover/classify.js';
import { isInside } from '../discover/inside.js';
import { localModuleDir } from '../model/terraform/module-tree.js';
import { parseText } from '../parse/parse-file.js';
import { readSource } from '../parse/read-source.js';

/**
 * The folders of the local modules (`source = "./…"` or `"../…"`) that Terraform code in `dirs` calls,
 * and those they call in turn: what a module call in a changed file instantiates, so the findings its
 * arguments cause in the module's code can be found. Installed (registry) modules are discovered as in
 * any scan. Only `cwd` and folders inside it (symlinks resolved) are read: what a scan of the repository sees.
 */
export async function calledModuleDirs(dirs: Iterable<string>, cwd: string): Promise<string[]> {
  const base = await realpath(cwd);
  const seen = new Set(dirs);
  const queue = [...seen];
  const found: string[] = [];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    for (const called of await moduleSources(dir)) {
      if (seen.has(called)) continue;
      seen.add(called);
      const real = await realpath(called).catch(() => undefined);
      if (real === undefined || (real !== base && !isInside(real, base))) continue;
      found.push(called);
      queue.push(called);
    }
  }
  return found;
}

/** The local module folders the `module` blocks of one folder's Terraform files point at. */
async function moduleSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const format = entry.isFile() ? classifyByName(entry.name) : undefined;
    if (format !== 'terraform-hcl' && format !== 'terraform-json') continue;
    const path = join(dir, entry.name);
    const source = await readSource(path, path);
    // Most files call no module: not parsed a second time.
    if ('error' in source || !source.text.includes('module')) continue;
    const document = await parseText(format, path, source.text);
    if (document.format !== 'terraform-hcl' && document.format !== 'terraform-json') continue;
    for (const block of document.hcl.body.blocks) {
      const target = block.type === 'module' ? localModuleDir(dir, block) : undefined;
      if (target !== undefined) out.push(target);
    }
  }
  return out;
}
