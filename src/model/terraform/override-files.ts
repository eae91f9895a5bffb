import { basename } from 'node:path';
import type { HclBlock, HclBody, HclFile } from '../../parse/terraform-hcl/hcl-ast.js';

/**
 * Terraform's override files: `override.tf` and `*_override.tf` (also `.tf.json`, and OpenTofu's
 * `.tofu` / `.tofu.json`). Terraform loads them after every other file of the module, in name order,
 * and merges each of their blocks into the block with the same header.
 */
const OVERRIDE_FILE = /(^|_)override\.(tf|tofu)(\.json)?$/;

export function isOverrideFile(file: string): boolean {
  return OVERRIDE_FILE.test(basename(file).toLowerCase());
}

/** A module's files in the order Terraform applies them: ordinary files first, then override files, each group in the given order. */
export function inLoadOrder(files: readonly HclFile[]): { primary: HclFile[]; overrides: HclFile[] } {
  const primary: HclFile[] = [];
  const overrides: HclFile[] = [];
  for (const file of files) (isOverrideFile(file.file) ? overrides : primary).push(file);
  return { primary, overrides };
}

/**
 * `base` with `override` merged in as Terraform merges an override block: each argument the override
 * sets replaces the base's argument of that name; each nested block type the override has replaces
 * every base block of that type (nested blocks are not merged); everything else stays. The block keeps
 * the base's header and range (where the resource is declared); replaced arguments carry the override
 * file's ranges, so findings on them point there.
 */
export function mergeOverride(base: HclBlock, override: HclBlock): HclBlock {
  return { ...base, body: mergeBody(base.body, override.body) };
}

function mergeBody(base: HclBody, override: HclBody): HclBody {
  const replaced = new Map(override.attributes.map((attribute) => [attribute.name, attribute]));
  const attributes = base.attributes.map((attribute) => replaced.get(attribute.name) ?? attribute);
  const present = new Set(base.attributes.map((attribute) => attribute.name));
  for (const attribute of override.attributes) if (!present.has(attribute.name)) attributes.push(attribute);
  const overriddenTypes = new Set(override.blocks.map((block) => block.type));
  const blocks = [...base.blocks.filter((block) => !overriddenTypes.has(block.type)), ...override.blocks];
  return { attributes, blocks };
}
