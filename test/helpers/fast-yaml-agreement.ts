import { expect } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudFormationYamlFast } from '../../src/parse/cloudformation/fast-yaml.js';
import { lineCounterMapper, parseYamlTemplateWithLibrary } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { REPO_ROOT } from './scan.js';

/** The real-world corpus beside the repository, when present (CI has it; a clone alone does not). */
export const REALWORLD = join(REPO_ROOT, '..', 'shared', 'realworld');

/** Every YAML file under `dir` (none when it is absent), sorted. */
export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

export const fast = (text: string) => parseCloudFormationYamlFast(text, lineCounterMapper('t.yaml', text));

/** The fast path either declines, or yields exactly the yaml library's Value tree (ranges and string positions included) for input the library finds valid. */
export function expectAgreement(text: string): boolean {
  const quick = fast(text);
  if (!quick) return false;
  const reference = parseYamlTemplateWithLibrary('t.yaml', text);
  expect(reference.errors).toEqual([]);
  expect(quick).toEqual(reference.template);
  return true;
}
