import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';

/** Invoke paths written with count, for_each, dynamic blocks and Terraform functions: each finding pinned to rule, instance and line. */
describe('terraform-instances fixtures', () => {
  it('fails the public for_each instance, the count-created URL and the dynamic lambda:* statement', async () => {
    expect(await triples('test/fixtures/terraform-instances/fail.tf')).toEqual([
      ['IG101', 'aws_lambda_permission.triggers["public"]', 12],
      ['IG104', 'aws_lambda_function_url.url[0]', 28],
      ['IG201', 'aws_iam_policy.deployer', 34],
      ['IG202', 'aws_iam_policy.deployer', 34],
      ['IG205', 'aws_iam_policy.deployer', 34],
    ]);
  });

  it('passes the same shapes written safely', async () => {
    expect(await triples('test/fixtures/terraform-instances/pass.tf')).toEqual([]);
  });
});
