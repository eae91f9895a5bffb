import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';

/** Each rule's failing fixture pins exactly which resources fire, and at which line; passing fixtures fire nothing. */
const EXPECTED: Record<string, Array<[string, string, number]>> = {
  IG101: [
    ['IG101', 'aws_lambda_permission.public', 8],
    ['IG101', 'aws_lambda_permission.via_local', 14],
    ['IG101', 'aws_lambda_permission.public_url', 20],
    ['IG101', 'aws_lambda_permission.wildcard_account_arn', 27],
  ],
  IG102: [
    ['IG102', 'aws_lambda_permission.s3_bucket_only', 8],
    ['IG102', 'aws_lambda_permission.sns_nothing', 15],
    ['IG102', 'aws_lambda_permission.s3_literal_bucket', 21],
  ],
  IG104: [
    ['IG104', 'aws_lambda_function_url.open', 3],
    ['IG104', 'aws_lambda_function_url.via_variable', 12],
  ],
  IG201: [
    ['IG201', 'aws_iam_policy.invoke_star', 6],
    ['IG201', 'aws_iam_user_policy.lambda_all_arn_pattern', 17],
    ['IG201', 'aws_iam_group_policy.everything', 30],
    ['IG201', 'aws_iam_role.inline', 41],
  ],
};

describe.each(Object.keys(EXPECTED))('%s fixtures', (rule) => {
  it('fails exactly the failing resources, at their lines', async () => {
    expect(await triples(`test/fixtures/${rule}/fail.tf`)).toEqual(EXPECTED[rule]);
  });
  it('passes the passing fixture', async () => {
    expect(await triples(`test/fixtures/${rule}/pass.tf`)).toEqual([]);
  });
});

describe('IG901', () => {
  it('reports a truncated file at the unfinished construct and still reports the good files', async () => {
    const found = await triples('test/fixtures/IG901');
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/truncated.tf', 7]);
    expect(found).toContainEqual(['IG104', 'aws_lambda_function_url.open', 3]);
    // The complete block before the damage is still analysed.
    expect(found).toContainEqual(['IG101', 'aws_lambda_permission.ok', 2]);
  });
});
