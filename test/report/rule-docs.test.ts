import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocFiles } from '../../scripts/rule-docs.js';
import { allRuleMetas } from '../../src/report/rule-catalog.js';
import { REPO_ROOT } from '../helpers/scan.js';

const DOCS = join(REPO_ROOT, 'docs', 'rules');

describe('rule documentation', () => {
  const generated = ruleDocFiles(REPO_ROOT);

  it('docs/rules/ is what `npm run docs` generates from the rules and fixtures', () => {
    expect(readdirSync(DOCS).sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect({ name, text: readFileSync(join(DOCS, name), 'utf8') }).toEqual({ name, text });
  });

  it('every rule has a page with its ATT&CK mapping, and rules with fixtures show both examples', () => {
    for (const meta of allRuleMetas()) {
      const page = generated.get(`${meta.id}.md`);
      expect(page).toContain(`# ${meta.id}: ${meta.title}`);
      expect(page).toContain(`https://attack.mitre.org/techniques/${meta.attack}/`);
      expect(page).toMatch(/attack\.mitre\.org\/tactics\/TA\d{4}\//);
    }
    expect(generated.get('IG101.md')).toContain('## Fails (`fail.tf`)');
    expect(generated.get('IG101.md')).toContain('## Passes (`pass.tf`)');
    expect(generated.get('IG101.md')).toContain('principal     = "*"');
  });
});
