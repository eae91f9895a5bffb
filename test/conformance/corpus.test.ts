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
const FORMATS = new Set(['terraform', 'cloudformation', 'terraform-plan-json']);

/**
 * Where we knowingly disagree with the peer's label (and the label records no
 * invokeguard_expect): key `file#resource`, our verdict and why.
 */
const OUR_VERDICT: Record<string, { expect: 'pass' | 'fail'; why: string }> = {
  'files/checkov/CKV_AWS_364_LambdaServicePermission_cfn/LambdaServicePermission_Pass.yml#FunctionPassingArnPermission': {
    expect: 'fail',
    why: 'SourceArn arn:aws:apigateway:us-east-1::/apis/qwerty has an empty account field, so it pins no account; the peer checks presence only',
  },
  'files/trivy-checks/AWS-0067_restrict_source_arn/restrict_source_arn.cloudformation.good.0.yaml#GoodPermission': {
    expect: 'fail',
    why: 'SourceArn "lambda.amazonaws.com" is not an ARN, so it pins nothing; the peer checks presence only',
  },
};

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
    const expected = label.invokeguard_expect ?? OUR_VERDICT[`${label.file}#${label.resource}`]?.expect ?? label.verdict;
    expect(fired ? 'fail' : 'pass').toBe(expected);
  });

  it('covers every invoke concern in every format the corpus has', () => {
    expect(new Set(labels.map((l) => l.concern))).toEqual(new Set(Object.keys(RULE_FOR_CONCERN)));
    expect(new Set(labels.map((l) => l.format))).toEqual(FORMATS);
  });

  it('records a reason for every deliberate disagreement, and each still applies to a corpus label', () => {
    for (const key of Object.keys(OUR_VERDICT)) expect(labels.some((l) => `${l.file}#${l.resource}` === key)).toBe(true);
  });
});
