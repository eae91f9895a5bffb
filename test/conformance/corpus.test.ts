import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

/**
 * The peer corpus (../shared/corpus): fixtures from other scanners' test suites with their
 * verdicts. Our expectation is the peer's verdict unless the label records why invokeguard
 * should differ (`invokeguard_expect`, e.g. a peer blind spot).
 */
const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');

const RULE_FOR_CONCERN: Record<string, string> = {
  'invoke-principal-wildcard': 'IG101',
  'invoke-missing-source': 'IG102',
  'function-url-auth-none': 'IG104',
};

/** Formats whose adapters exist; the corpus test grows with them. */
const FORMATS = new Set(['terraform']);

interface Label {
  file: string;
  peer: string;
  resource: string;
  verdict: 'pass' | 'fail';
  concern: string;
  format: string;
  invokeguard_expect?: 'pass' | 'fail';
}

const labels: Label[] = existsSync(join(CORPUS, 'labels.jsonl'))
  ? readFileSync(join(CORPUS, 'labels.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Label)
      .filter((l) => RULE_FOR_CONCERN[l.concern] && FORMATS.has(l.format))
  : [];

const describeCorpus = labels.length > 0 ? describe : describe.skip;

describeCorpus('peer corpus', () => {
  it.each(labels.map((l) => [`${l.peer} ${l.file} ${l.resource}`, l] as const))('%s', async (_name, label) => {
    const rule = RULE_FOR_CONCERN[label.concern];
    const { findings } = await scan({ paths: [join(CORPUS, label.file)], cwd: CORPUS });
    const fired = findings.some((f) => f.ruleId === rule && f.resource === label.resource);
    const expected = label.invokeguard_expect ?? label.verdict;
    expect(fired ? 'fail' : 'pass').toBe(expected);
  });

  it('covers the Terraform cases of every invoke concern', () => {
    expect(new Set(labels.map((l) => l.concern))).toEqual(new Set(Object.keys(RULE_FOR_CONCERN)));
  });
});
