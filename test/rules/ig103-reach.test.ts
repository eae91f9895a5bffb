import { describe, expect, it } from '@jest/globals';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const config = (estate: Partial<Pick<InvokeguardConfig, 'accounts' | 'orgId'>>): InvokeguardConfig => ({ file: 'test', rules: {}, accounts: [], cidrs: [], include: [], exclude: [], ...estate });

/** IG103 findings as [resource, line, message, grantee]. */
async function ig103(cwd: string, paths: string[], estate?: InvokeguardConfig) {
  const { findings } = await scan({ paths, cwd, ...(estate ? { config: estate } : {}) });
  return findings.filter((f) => f.ruleId === 'IG103').map((f) => [f.resource, f.range.line, f.message, f.grant?.grantee]);
}

const FAIL = ['test/fixtures/IG103/fail.tf'];
const REACHED = ['aws_lambda_permission.any_in_other_org', 'aws_lambda_permission.any_for_stranger_account', 'aws_lambda_permission.partner_topic'];

describe('IG103 reports a grant reaching outside the estate through an organisation id, source account or source ARN', () => {
  it('says whom each reaches, and records it as the grantee', async () => {
    const found = await ig103(REPO_ROOT, FAIL, config({ accounts: ['111122223333'], orgId: 'o-a1b2c3d4e5' }));
    expect(found.filter(([resource]) => REACHED.includes(String(resource)))).toEqual([
      [
        'aws_lambda_permission.any_in_other_org',
        43,
        'aws_lambda_permission.any_in_other_org lets any principal of organisation o-zzzzzzzzzz ("*" with an organisation id) invoke the function; it is not your organisation o-a1b2c3d4e5.',
        { kind: 'organisation', organisation: 'o-zzzzzzzzzz' },
      ],
      [
        'aws_lambda_permission.any_for_stranger_account',
        51,
        'aws_lambda_permission.any_for_stranger_account lets AWS services invoke the function for a resource in account 444455556666 (source account "444455556666"); it is not one of your configured accounts.',
        { kind: 'account', account: '444455556666' },
      ],
      [
        'aws_lambda_permission.partner_topic',
        59,
        'aws_lambda_permission.partner_topic lets sns.amazonaws.com invoke the function for a resource in account 444455556666 (source ARN "arn:aws:sns:us-east-1:444455556666:partner"); it is not one of your configured accounts.',
        { kind: 'account', account: '444455556666' },
      ],
    ]);
  });

  it('stays silent when neither accounts nor orgId is configured', async () => {
    expect(await ig103(REPO_ROOT, FAIL)).toEqual([]);
    expect(await ig103(REPO_ROOT, FAIL, config({}))).toEqual([]);
  });

  it('judges another organisation only against a configured orgId, and a configured account is inside', async () => {
    const accountsOnly = await ig103(REPO_ROOT, FAIL, config({ accounts: ['111122223333'] }));
    expect(accountsOnly.map(([resource]) => resource).filter((r) => REACHED.includes(String(r)))).toEqual(REACHED.slice(1));
    const partner = await ig103(REPO_ROOT, FAIL, config({ accounts: ['111122223333', '444455556666'], orgId: 'o-a1b2c3d4e5' }));
    expect(partner.map(([resource]) => resource).filter((r) => REACHED.includes(String(r)))).toEqual(REACHED.slice(0, 1));
  });

  it('judges accounts only against `accounts`: orgId alone cannot place an account id', async () => {
    const grant = (name: string, body: string) => `resource "aws_lambda_permission" "${name}" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
${body}
}
`;
    const dir = tempTree({
      'main.tf': [
        grant('s3_own', '  principal      = "s3.amazonaws.com"\n  source_account = "111122223333"\n  source_arn     = "arn:aws:s3:::my-bucket"'),
        grant('sns_foreign', '  principal      = "sns.amazonaws.com"\n  source_account = var.acct\n  source_arn     = "arn:aws:sns:us-east-1:444455556666:partner"'),
        grant('by_account', '  principal      = "111122223333"'),
      ].join(''),
    });
    expect(await ig103(dir, ['.'], config({ orgId: 'o-a1b2c3d4e5' }))).toEqual([]);
    // With accounts: an unknown source account leaves the source ARN to decide (a request must match both).
    const found = await ig103(dir, ['.'], config({ accounts: ['111122223333'] }));
    expect(found.map(([resource, line, message]) => [resource, line, String(message).replace(/\); it is .*/, ')')])).toEqual([
      ['aws_lambda_permission.sns_foreign', 13, 'aws_lambda_permission.sns_foreign lets sns.amazonaws.com invoke the function for a resource in account 444455556666 (source ARN "arn:aws:sns:us-east-1:444455556666:partner")'],
    ]);
  });

  it('reads the accounts a policy file lists in aws:SourceAccount, and the account of an aws:SourceArn', async () => {
    const statement = (sid: string, principal: string, condition: object) =>
      JSON.stringify({ Sid: sid, Effect: 'Allow', Principal: principal === '*' ? '*' : { Service: principal }, Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:111122223333:function:orders', Condition: condition });
    const policy = `{"Version": "2012-10-17", "Statement": [
${statement('Mixed', 'sqs.amazonaws.com', { StringEquals: { 'aws:SourceAccount': ['111122223333', '444455556666'] } })},
${statement('Ours', 'sqs.amazonaws.com', { StringEquals: { 'aws:SourceAccount': ['111122223333'] } })},
${statement('Rule', 'events.amazonaws.com', { ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:444455556666:rule/*' } })}
]}
`;
    const dir = tempTree({ 'function-policy.json': policy });
    const found = await ig103(dir, ['.'], config({ accounts: ['111122223333'] }));
    expect(found.map(([, line, message]) => [line, String(message).replace(/ invoke the function.*/, '')])).toEqual([
      [2, 'function-policy.json lets sqs.amazonaws.com'],
      [4, 'function-policy.json lets events.amazonaws.com'],
    ]);
    expect(found.map(([, , , grantee]) => grantee)).toEqual([
      { kind: 'account', account: '444455556666' },
      { kind: 'account', account: '444455556666' },
    ]);
  });
});
