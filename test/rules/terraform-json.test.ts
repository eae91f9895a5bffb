import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyByContent } from '../../src/discover/classify.js';
import { formatJson } from '../../src/report/json.js';
import { formatStylish } from '../../src/report/stylish.js';
import { REPO_ROOT, ruleTriples, scanPaths, triples } from '../helpers/scan.js';

type Triple = [string, string, number];

/**
 * Every rule on Terraform JSON, plan JSON and raw IAM policy files: which resources fire, at
 * which line of the JSON file. Passing fixtures fire nothing.
 */
const EXPECTED: Record<string, Triple[]> = {
  'IG101/fail.tf.json': [
    ['IG101', 'aws_lambda_permission.public', 10],
    ['IG101', 'aws_lambda_permission.via_local', 15],
    ['IG101', 'aws_lambda_permission.public_url', 20],
    ['IG101', 'aws_lambda_permission.wildcard_account_arn', 26],
  ],
  'IG102/fail.tf.json': [
    ['IG102', 'aws_lambda_permission.s3_bucket_only', 10],
    ['IG102', 'aws_lambda_permission.sns_nothing', 16],
    ['IG102', 'aws_lambda_permission.s3_literal_bucket', 21],
  ],
  'IG104/fail.tf.json': [
    ['IG104', 'aws_lambda_function_url.open', 6],
    ['IG104', 'aws_lambda_function_url.via_variable', 10],
  ],
  'IG201/fail.tf.json': [
    ['IG201', 'aws_iam_policy.invoke_star', 5],
    ['IG201', 'aws_iam_policy.json_string', 8],
    // The role's inline policy is a local: the finding points at the Action where it is written.
    ['IG201', 'aws_iam_role.inline', 33],
    // aws_iam_policy_document's statement block, from a JSON array of objects.
    ['IG201', 'aws_iam_group_policy.everything', 42],
  ],
  'IG101/fail.plan.json': [
    ['IG101', 'aws_lambda_permission.public', 19],
    ['IG101', 'aws_lambda_permission.public_url', 40],
    ['IG101', 'aws_lambda_permission.wildcard_account_arn', 61],
  ],
  'IG102/fail.plan.json': [
    ['IG102', 'aws_lambda_permission.s3_literal_bucket', 32],
    ['IG102', 'aws_lambda_permission.sns_nothing', 53],
    ['IG102', 'module.ingest.aws_lambda_permission.s3_in_module', 79],
  ],
  'IG104/fail.plan.json': [
    ['IG104', 'aws_lambda_function_url.open', 15],
    ['IG104', 'module.web.aws_lambda_function_url.public', 37],
  ],
  'IG201/fail.plan.json': [
    ['IG201', 'aws_iam_policy.invoke_star', 18],
    ['IG201', 'aws_iam_role.inline', 37],
    ['IG201', 'module.ci.aws_iam_user_policy.deployer', 70],
  ],
  'IG201/fail.iam.json': [['IG201', 'test/fixtures/IG201/fail.iam.json', 13]],
  'IG101/fail.iam.json': [
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 8],
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 15],
    ['IG102', 'test/fixtures/IG101/fail.iam.json', 30],
    // StringEqualsIfExists passes a caller without a source account; StringLike "*" and an address range pin no account.
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 37],
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 45],
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 53],
    // "*" limited to AWS services by aws:PrincipalIsAWSService: the service principal's confused deputy, not IG101.
    ['IG102', 'test/fixtures/IG101/fail.iam.json', 61],
    // An account or organisation id with a wildcard names many: "*1*", "o-a*", and "*" for a service's source account.
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 69],
    ['IG101', 'test/fixtures/IG101/fail.iam.json', 77],
    ['IG102', 'test/fixtures/IG101/fail.iam.json', 85],
  ],
  // `aws lambda get-policy` output: the function's policy as a JSON string in "Policy", every statement on line 2.
  'IG101/fail.get-policy.json': [
    ['IG101', 'test/fixtures/IG101/fail.get-policy.json', 2],
    ['IG102', 'test/fixtures/IG101/fail.get-policy.json', 2],
  ],
};

const PASSING = [
  'IG101/pass.tf.json',
  'IG102/pass.tf.json',
  'IG104/pass.tf.json',
  'IG201/pass.tf.json',
  'IG101/pass.plan.json',
  'IG102/pass.plan.json',
  'IG104/pass.plan.json',
  'IG201/pass.plan.json',
  'IG101/pass.iam.json',
  'IG201/pass.iam.json',
  'IG101/pass.get-policy.json',
];

describe.each(Object.keys(EXPECTED))('%s', (fixture) => {
  it('fails exactly the failing resources, at their lines', async () => {
    // Pin the rules this fixture is about; other rules' verdicts belong to their own fixtures.
    const rules = new Set(EXPECTED[fixture].map(([rule]) => rule));
    expect((await triples(`test/fixtures/${fixture}`)).filter(([rule]) => rules.has(rule))).toEqual(EXPECTED[fixture]);
  });
});

describe.each(PASSING)('%s', (fixture) => {
  it('fires nothing', async () => {
    expect(await ruleTriples(fixture.split('/')[0], `test/fixtures/${fixture}`)).toEqual([]);
  });
});

describe('IG101/pass.iam.json', () => {
  it('fires neither IG101 nor IG102: Resource "*" or a non-function ARN is no function policy, and caller conditions scope "*"', async () => {
    const found = (await triples('test/fixtures/IG101/pass.iam.json')).filter(([rule]) => rule === 'IG101' || rule === 'IG102' || rule === 'IG105');
    expect(found).toEqual([]);
  });
});

describe('IG101 on a condition that looks like scoping but is not', () => {
  it('names the operator and why it does not scope, instead of claiming no source account was written', async () => {
    const { findings } = await scanPaths('test/fixtures/IG101/fail.iam.json');
    expect(findings.find((f) => f.ruleId === 'IG101' && f.range.line === 37)?.message).toMatch(/\(StringEqualsIfExists aws:SourceAccount does not scope it: a request without the key passes\)\.$/);
    expect(findings.find((f) => f.ruleId === 'IG101' && f.range.line === 8)?.message).not.toContain('does not scope');
    expect(findings.find((f) => f.ruleId === 'IG101' && f.range.line === 69)?.message).toMatch(/\(StringLike aws:SourceAccount does not scope it: an account or organisation id with a wildcard names many\)\.$/);
    expect(findings.find((f) => f.ruleId === 'IG101' && f.range.line === 77)?.message).toMatch(/\(StringLike aws:PrincipalOrgID does not scope it: an account or organisation id with a wildcard names many\)\.$/);
  });
});

describe('positions inside JSON', () => {
  it('points at the interpolation inside a tf.json string, column-exact', async () => {
    const { findings } = await scanPaths('test/fixtures/IG101/fail.tf.json');
    const viaLocal = findings.find((f) => f.resource === 'aws_lambda_permission.via_local');
    // `"principal": "${local.everyone}"`: the attribute from its key to the end of the string.
    expect(viaLocal?.range).toMatchObject({ line: 15, column: 9, endLine: 15, endColumn: 41 });
  });

  it('points inside the policy string in a plan (a JSON string inside JSON), through its escapes', async () => {
    const { findings } = await scanPaths('test/fixtures/IG201/fail.plan.json');
    // `"policy": "{\"Statement\":[{\"Action\":\"lambda:InvokeFunction\",...`: the Action's value, quotes and all.
    expect(findings[0].range).toMatchObject({ line: 18, column: 52, endLine: 18, endColumn: 52 + '\\"lambda:InvokeFunction\\"'.length });
  });

  it('points at the Principal and Action elements of a raw policy file', async () => {
    const { findings } = await scanPaths('test/fixtures/IG101/fail.iam.json', 'test/fixtures/IG201/fail.iam.json');
    const at = findings.filter((f) => ['IG101', 'IG102', 'IG201'].includes(f.ruleId)).map((f) => [f.ruleId, f.range.line, f.range.column]);
    expect(at).toEqual([
      ['IG101', 8, 20],
      ['IG101', 15, 29],
      ['IG102', 30, 33],
      ['IG101', 37, 20],
      ['IG101', 45, 20],
      ['IG101', 53, 20],
      ['IG102', 61, 20],
      ['IG101', 69, 20],
      ['IG101', 77, 20],
      ['IG102', 85, 33],
      ['IG201', 13, 34],
    ]);
  });

  it('says why a wildcard source account in a policy file pins no account', async () => {
    const { findings } = await scanPaths('test/fixtures/IG101/fail.iam.json');
    const unpinned = findings.find((f) => f.ruleId === 'IG102' && f.range.line === 85);
    expect(unpinned?.message).toMatch(/: it has no source account and no source ARN \(StringLike aws:SourceAccount does not scope it: an account or organisation id with a wildcard names many\)\.$/);
  });
});

describe('plan JSON values known only after apply', () => {
  it('treats an attribute marked in after_unknown as unknown, not absent', async () => {
    // pass.plan.json's topic permission has no source_arn value, only after_unknown.source_arn = true.
    const { findings } = await scanPaths('test/fixtures/IG102/pass.plan.json');
    expect(findings).toEqual([]);
    const unpinned = await triples('test/fixtures/IG102/fail.plan.json');
    expect(unpinned).toContainEqual(['IG102', 'aws_lambda_permission.sns_nothing', 53]);
  });
});

describe('terraform show -json of state', () => {
  it('reads values.root_module when there is no planned_values, managed resources only', async () => {
    expect(await triples('test/fixtures/plan/state.json')).toEqual([['IG104', 'aws_lambda_function_url.legacy', 15]]);
  });
});

describe('CDK for Terraform synth output', () => {
  const stack = 'test/fixtures/cdktf/cdktf.out/stacks/api/cdk.tf.json';

  it('reports the JSON line and the construct path of each finding', async () => {
    const { findings } = await scanPaths('test/fixtures/cdktf');
    const pinned = findings.filter((f) => ['IG101', 'IG102', 'IG104', 'IG201'].includes(f.ruleId));
    expect(pinned.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line, f.constructPath])).toEqual([
      ['IG201', 'aws_iam_policy.orders_InvokerPolicy_5F6A7B8C', stack, 22, 'api/orders/InvokerPolicy'],
      ['IG104', 'aws_lambda_function_url.orders_Url_3B4C5D6E', stack, 111, 'api/orders/Url'],
      ['IG101', 'aws_lambda_permission.orders_PublicInvoke_7F8A9B0C', stack, 125, 'api/orders/PublicInvoke'],
      ['IG102', 'aws_lambda_permission.orders_TopicInvoke_1C2D3E4F', stack, 136, 'api/orders/TopicInvoke'],
    ]);
  });

  it('puts the construct path in --format json and on the stylish message line', async () => {
    const result = await scanPaths('test/fixtures/cdktf');
    const json = JSON.parse(formatJson(result, { version: 'test', color: false })) as { findings: Array<{ line: number; constructPath?: string }> };
    expect(json.findings.find((f) => f.line === 125)?.constructPath).toBe('api/orders/PublicInvoke');
    const stylish = formatStylish(result, { version: 'test', color: false });
    expect(stylish).toMatch(/lets any AWS principal .*\(construct: api\/orders\/PublicInvoke\)\n/);
  });

  it('leaves constructPath out for plain Terraform', async () => {
    const result = await scanPaths('test/fixtures/IG101/fail.tf.json');
    expect(formatJson(result, { version: 'test', color: false })).not.toContain('constructPath');
  });
});

describe('IG901 on broken JSON', () => {
  it('locates the error and analyses only what is intact', async () => {
    const found = await triples('test/fixtures/IG901');
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/broken.tf.json', 12]);
    expect(found).toContainEqual(['IG104', 'aws_lambda_function_url.open_json', 6]);
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/policy.iam.json', 5]);
    expect(found).toContainEqual(['IG201', 'test/fixtures/IG901/policy.iam.json', 4]);
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/truncated.plan.json', 14]);
    // The block and plan resource the errors cut short are not analysed half-read.
    expect(found.filter(([, resource]) => resource === 'aws_lambda_permission.half' || resource === 'aws_lambda_permission.cut')).toEqual([]);
  });
});

describe('examples', () => {
  it.each([
    ['examples/cdktf', ['IG101', 'IG102', 'IG104', 'IG201']],
    ['examples/plan', ['IG101', 'IG102', 'IG104', 'IG201']],
    ['examples/iam', ['IG101', 'IG102', 'IG201']],
  ])('%s: the vulnerable stack fires its rules, the fixed one nothing', async (dir, rules) => {
    const vulnerable = await triples(`${dir}/vulnerable`);
    expect([...new Set(vulnerable.map(([id]) => id))]).toEqual(expect.arrayContaining(rules));
    expect(await triples(`${dir}/fixed`)).toEqual([]);
  });
});

describe('aws lambda get-policy output', () => {
  it('reads the function policy inside the Policy string, each finding at its statement\'s characters in the string', async () => {
    const { findings } = await scanPaths('test/fixtures/IG101/fail.get-policy.json');
    const text = readFileSync(join(REPO_ROOT, 'test/fixtures/IG101/fail.get-policy.json'), 'utf8').split('\n')[1];
    const at = (ruleId: string) => findings.find((f) => f.ruleId === ruleId)!.range;
    // Each points at its statement's principal, as written with its escapes.
    expect(text.slice(at('IG101').column - 1, at('IG101').endColumn - 1)).toBe('\\"*\\"');
    expect(text.slice(at('IG102').column - 1, at('IG102').endColumn - 1)).toBe('\\"s3.amazonaws.com\\"');
  });

  it('is told apart by RevisionId: another service\'s {"Policy": "..."} (an S3 bucket policy) is not read', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: '*' }] });
    expect(classifyByContent(JSON.stringify({ Policy: policy, RevisionId: 'r' }))).toBe('iam-json');
    expect(classifyByContent(JSON.stringify({ Policy: policy }))).toBeUndefined();
  });
});
