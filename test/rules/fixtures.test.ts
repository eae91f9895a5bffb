import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { REPO_ROOT, ruleTriples as triples } from '../helpers/scan.js';

const CONFIG: Record<string, InvokeguardConfig> = {
  IG103: { file: 'test', rules: {}, accounts: ['111122223333'], orgId: 'o-mine12345', cidrs: [], include: [], exclude: [] },
};

/** Each rule's failing fixture pins exactly which resources fire, and at which line; passing fixtures fire nothing. */
const EXPECTED: Record<string, Array<[string, string, number]>> = {
  IG101: [
    ['IG101', 'aws_lambda_permission.public', 8],
    ['IG101', 'aws_lambda_permission.via_local', 14],
    ['IG101', 'aws_lambda_permission.public_url', 20],
    ['IG101', 'aws_lambda_permission.wildcard_account_arn', 27],
    ['IG101', 'aws_lambda_permission.star_action', 35],
    ['IG101', 'aws_lambda_permission.invoke_async', 42],
  ],
  IG102: [
    ['IG102', 'aws_lambda_permission.s3_bucket_only', 8],
    ['IG102', 'aws_lambda_permission.sns_nothing', 15],
    ['IG102', 'aws_lambda_permission.s3_literal_bucket', 21],
    ['IG102', 'aws_lambda_permission.alexa_any_skill', 29],
    ['IG102', 'aws_lambda_permission.smart_home_account_only', 36],
  ],
  IG103: [
    ['IG103', 'aws_lambda_permission.stranger_account', 4],
    ['IG103', 'aws_lambda_permission.stranger_role', 10],
    ['IG103', 'aws_lambda_permission.other_org', 16],
    // Read as invoke like IG101 reads them; lambda:GetFunction / lambda:Get* (pass.tf) invoke nothing.
    ['IG103', 'aws_lambda_permission.stranger_invoke_async', 24],
    ['IG103', 'aws_lambda_permission.stranger_unknown_action', 35],
    // Reached through an organisation id, a source account or a source ARN: each finding points at it.
    ['IG103', 'aws_lambda_permission.any_in_other_org', 43],
    ['IG103', 'aws_lambda_permission.any_for_stranger_account', 51],
    ['IG103', 'aws_lambda_permission.partner_topic', 59],
  ],
  IG104: [
    ['IG104', 'aws_lambda_function_url.open', 3],
    ['IG104', 'aws_lambda_function_url.via_variable', 12],
  ],
  IG105: [
    ['IG105', 'aws_lambda_permission.everything', 2],
    ['IG105', 'aws_lambda_permission.read', 8],
    ['IG105', 'aws_lambda_permission.star', 15],
    ['IG105', 'aws_lambda_permission.invoke_star', 22],
  ],
  IG201: [
    ['IG201', 'aws_iam_policy.invoke_star', 6],
    ['IG201', 'aws_iam_user_policy.lambda_all_arn_pattern', 17],
    ['IG201', 'aws_iam_group_policy.everything', 30],
    ['IG201', 'aws_iam_role.inline', 41],
    // The AWS managed AWSLambdaInvocation-DynamoDB, where it is named.
    ['IG201', 'aws_iam_user_policy_attachment.stream_reader', 53],
    // Heredocs with template directives, rendered: the Action line of the branch taken, of the loop's second item.
    ['IG201', 'aws_iam_policy.directive_if', 67],
    ['IG201', 'aws_iam_policy.directive_for', 84],
  ],
  IG202: [
    ['IG202', 'aws_iam_policy.lambda_admin', 3],
    ['IG202', 'aws_iam_role_policy.admin', 10],
  ],
  IG203: [
    ['IG203', 'aws_iam_policy.not_iam', 3],
    ['IG203', 'aws_iam_policy.not_resource', 12],
  ],
  IG205: [
    ['IG205', 'aws_iam_policy.tamper', 3],
    ['IG205', 'aws_iam_policy.tamper', 7],
    ['IG205', 'aws_iam_policy.services_only', 19],
    ['IG205', 'aws_iam_policy.not_star', 36],
    ['IG205', 'aws_iam_policy.any_auth', 53],
    ['IG205', 'aws_iam_policy.put_policy', 71],
    ['IG205', 'aws_iam_policy.put_policy_aliases', 88],
  ],
  IG902: [
    ['IG902', 'aws_iam_policy.typos', 5],
    ['IG902', 'aws_iam_policy.typos', 5],
    ['IG902', 'aws_iam_policy.typos', 5],
  ],
  IG905: [['IG905', 'aws_organizations_policy.guardrails', 10]],
};

describe.each(Object.keys(EXPECTED))('%s fixtures', (rule) => {
  it('fails exactly the failing resources, at their lines', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/fail.tf`, CONFIG[rule])).toEqual(EXPECTED[rule]);
  });
  it('passes the passing fixture', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/pass.tf`, CONFIG[rule])).toEqual([]);
  });
});

describe('IG901', () => {
  it('reports a truncated file at the unfinished construct and still reports the good files', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG901'], cwd: REPO_ROOT });
    const found = findings.map((f) => [f.ruleId, f.resource, f.range.line]);
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/truncated.tf', 7]);
    expect(found).toContainEqual(['IG104', 'aws_lambda_function_url.open', 3]);
    // The complete block before the damage is still analysed.
    expect(found).toContainEqual(['IG101', 'aws_lambda_permission.ok', 2]);
  });
});

describe('IG103 needs to know your estate', () => {
  it('stays silent without accounts or orgId configured', async () => {
    expect(await triples('IG103', 'test/fixtures/IG103/fail.tf')).toEqual([]);
  });
});
