import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A policy allowing lambda:* on * (line 5 of its block) under one condition. */
const policy = (name: string, operator: string, key: string, values: string) => `resource "aws_iam_policy" "${name}" {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "lambda:*"
      Resource  = "*"
      Condition = { "${operator}" = { "${key}" = ${values} } }
    }]
  })
}
`;

async function identityFindings(source: string) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': source }) });
  return findings.filter((f) => ['IG201', 'IG202', 'IG205'].includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line]);
}

/** Each policy is 10 lines; the Action entry is the 5th. */
const all = (name: string, index: number) => ['IG201', 'IG202', 'IG205'].map((rule) => [rule, `aws_iam_policy.${name}`, index * 10 + 5]);

describe('conditions that scope an identity grant on every function', () => {
  it('does not count a condition that holds for every function, or for every function of one account or organisation', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['not_equals', 'StringNotEquals', 'aws:ResourceTag/team', '"secret"'],
      ['if_exists', 'StringEqualsIfExists', 'aws:ResourceTag/team', '"payments"'],
      ['like_star', 'StringLike', 'aws:ResourceTag/team', '"*"'],
      ['all_values', 'ForAllValues:StringEquals', 'aws:ResourceTag/team', '["payments"]'],
      ['account', 'StringEquals', 'aws:ResourceAccount', '"111122223333"'],
      ['org', 'StringEquals', 'aws:ResourceOrgID', '"o-abc123"'],
      ['org_paths', 'ForAnyValue:StringLike', 'aws:ResourceOrgPaths', '["o-abc123/*"]'],
      ['every_arn', 'ArnLike', 'lambda:FunctionArn', '"arn:aws:lambda:*:*:function:*"'],
      ['one_star', 'StringLike', 'aws:SourceArn', '["arn:aws:s3:::bucket", "*"]'],
      ['unknown_pattern', 'StringLike', 'aws:ResourceTag/team', 'var.team'],
      ['numeric', 'NumericEquals', 'aws:ResourceTag/team', '"1"'],
      // An account id is twelve digits: a wildcard in one names many accounts, even with a digit beside it.
      ['account_digit', 'StringLike', 'aws:SourceAccount', '"*1*"'],
      ['account_prefix', 'StringLike', 'aws:SourceAccount', '"1111222233*"'],
    ];
    const source = cases.map(([name, operator, key, values]) => policy(name, operator, key, values)).join('');
    expect(await identityFindings(source)).toEqual(cases.flatMap(([name], i) => all(name, i)));
  });

  it('counts a positive match against particular known values', async () => {
    const source = [
      policy('tag', 'StringEquals', 'aws:ResourceTag/team', '"payments"'),
      policy('tag_like', 'ForAnyValue:StringLike', 'aws:ResourceTag/team', '["pay*"]'),
      policy('tag_variable', 'StringEquals', 'aws:ResourceTag/team', '"$${aws:PrincipalTag/team}"'),
      policy('function', 'ArnLike', 'lambda:FunctionArn', '"arn:aws:lambda:*:*:function:orders-*"'),
      policy('source', 'ArnEquals', 'aws:SourceArn', '"arn:aws:s3:::bucket"'),
      policy('source_account', 'StringEquals', 'aws:SourceAccount', '"111122223333"'),
      // A variable's value is not known, but an equality still names one tag value.
      policy('tag_unknown', 'StringEquals', 'aws:ResourceTag/team', 'var.team'),
    ].join('');
    expect(await identityFindings(source)).toEqual([]);
  });
});
