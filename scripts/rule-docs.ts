import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRuleMetas } from '../src/report/rule-catalog.js';
import { renderRuleDoc, renderRuleIndex, type RuleExample } from '../src/report/rule-docs.js';

/** Formats in the order the docs prefer to show an example in. */
const PREFERRED_SUFFIXES = ['.tf', '.cfn.yaml', '.iam.json', '.tf.json', '.cfn.json', '.plan.json'];

/** Every page of docs/rules/, by file name: one per rule plus the index. */
export function ruleDocFiles(repoRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const metas = allRuleMetas().sort((a, b) => a.id.localeCompare(b.id));
  for (const meta of metas) {
    const fixtures = join(repoRoot, 'test', 'fixtures', meta.id);
    const names = existsSync(fixtures) ? readdirSync(fixtures) : [];
    const suffix = PREFERRED_SUFFIXES.find((s) => names.includes(`fail${s}`));
    const example = (name: string): RuleExample | undefined => (names.includes(name) ? { name, text: readFileSync(join(fixtures, name), 'utf8') } : undefined);
    const fail = suffix ? example(`fail${suffix}`) : undefined;
    const pass = suffix ? example(`pass${suffix}`) : undefined;
    files.set(`${meta.id}.md`, renderRuleDoc(meta, { ...(fail ? { fail } : {}), ...(pass ? { pass } : {}) }));
  }
  files.set('README.md', renderRuleIndex(metas));
  return files;
}
