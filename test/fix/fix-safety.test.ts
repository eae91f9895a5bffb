import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * --fix must never break a template that deploys and works today: a source ARN pinned to a resource that is not
 * the caller shuts the caller out; a reference that closes a dependency cycle makes the template undeployable;
 * a narrowed Resource denies actions that are not function-scoped; an IAM-only function URL that a CloudFront
 * origin (or a webhook sender) calls answers 403.
 */

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/fix-safety', name), 'utf8');

/** The fixture in a folder of its own as `file`; its findings of `rule`, and the file after --fix (twice: the second run must change nothing). */
async function fixed(name: string, file: string, rule: string, config?: string) {
  const text = fixture(name);
  const dir = tempTree({ [file]: text, ...(config ? { '.invokeguard.yml': config } : {}) });
  const findings = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === rule);
  await runCaptured(['--fix', '.'], { cwd: dir });
  const after = readFileSync(join(dir, file), 'utf8');
  await runCaptured(['--fix', '.'], { cwd: dir });
  expect(readFileSync(join(dir, file), 'utf8')).toBe(after);
  return { text, findings, after };
}

describe('IG102 --fix pins a source ARN only to a resource wired to the function', () => {
  it('leaves an unrelated topic out when the function is subscribed to a topic the template takes as a parameter (CloudFormation)', async () => {
    const { text, findings, after } = await fixed('unrelated-topic.cfn.yaml', 'template.yaml', 'IG102');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'Permission', 33]]);
    expect(findings[0].fix!.edits).toEqual([]);
    expect(findings[0].fix!.description).toContain('Not applied by --fix: no account is known');
    expect(findings[0].fix!.description).toContain('SourceArn is not added: nothing in the scan connects AlarmTopic to the function');
    // Neither the alarm topic nor the template's own account: the subscribed topic may be another account's.
    expect(after).toBe(text);
  });

  it('leaves an unrelated topic out in Terraform, and writes only the configured account', async () => {
    const { text, findings, after } = await fixed('unrelated-topic.tf', 'main.tf', 'IG102', "accounts: ['111122223333']\n");
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'aws_lambda_permission.sns', 35]]);
    expect(findings[0].fix!.description).toContain('source_arn is not added: nothing in the scan connects aws_sns_topic.alarms to the function');
    expect(after).toBe(text.replace('  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = "sns.amazonaws.com"\n', '  action         = "lambda:InvokeFunction"\n  function_name  = aws_lambda_function.fn.function_name\n  principal      = "sns.amazonaws.com"\n  source_account = "111122223333"\n'));
  });

  it('pins the topic a subscription connects to the function, not the other topic beside it', async () => {
    const { text, findings, after } = await fixed('subscribed-topic.tf', 'main.tf', 'IG102', "accounts: ['111122223333']\n");
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'aws_lambda_permission.sns', 23]]);
    expect(after).toBe(
      text.replace('  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = "sns.amazonaws.com"\n', '  action         = "lambda:InvokeFunction"\n  function_name  = aws_lambda_function.fn.function_name\n  principal      = "sns.amazonaws.com"\n  source_arn     = aws_sns_topic.orders.arn\n  source_account = "111122223333"\n'),
    );
  });

  it('pins an IoT authorizer that names the function, not a topic rule beside it', async () => {
    const { text, findings, after } = await fixed('iot-authorizer.cfn.yaml', 'template.yaml', 'IG102');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'AuthorizerPermission', 26]]);
    expect(after).toBe(
      text.replace('      Principal: iot.amazonaws.com\n', '      Principal: iot.amazonaws.com\n      SourceArn: !GetAtt CustomAuthorizer.Arn\n      SourceAccount: !Ref AWS::AccountId\n'),
    );
  });
});

describe('--fix writes no reference that closes a dependency cycle', () => {
  it('IG102: a target group that DependsOn the permission is not written as its SourceArn; the account still is', async () => {
    const { text, findings, after } = await fixed('target-group-depends-on-permission.cfn.yaml', 'template.yaml', 'IG102');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'FnPermission', 24]]);
    expect(findings[0].fix!.description).toContain('SourceArn is not added: TargetGroup depends on FnPermission (through DependsOn or a reference), so naming it there would be a circular dependency.');
    expect(after).toBe(text.replace('      Principal: elasticloadbalancing.amazonaws.com\n', '      Principal: elasticloadbalancing.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n'));
  });

  it('IG102: a Terraform target group that depends_on the permission is not written as its source_arn', async () => {
    const { text, findings, after } = await fixed('target-group-depends-on-permission.tf', 'main.tf', 'IG102');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG102', 'aws_lambda_permission.alb', 9]]);
    expect(findings[0].fix!.edits).toEqual([]);
    expect(findings[0].fix!.description).toContain('source_arn is not added: aws_lb_target_group.web depends on aws_lambda_permission.alb');
    expect(after).toBe(text);
  });
});

describe('IG201 --fix', () => {
  it('names no function that refers to the role holding the policy through an environment variable (a cycle CloudFormation rejects)', async () => {
    const { text, findings, after } = await fixed('env-var-role.cfn.yaml', 'template.yaml', 'IG201');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG201', 'SchedulerRole', 26]]);
    expect(findings[0].fix!.edits).toEqual([]);
    expect(findings[0].fix!.description).toContain(
      'Not applied by --fix: Creator refers to SchedulerRole, which holds this policy (through an environment variable, another resource or DependsOn), so naming it here would make SchedulerRole depend on it: a dependency cycle, which CloudFormation rejects',
    );
    expect(after).toBe(text);
  });

  it('leaves a statement that also grants actions on no function (ListFunctions, GetAccountSettings) unnarrowed', async () => {
    const { text, findings, after } = await fixed('non-function-actions.tf', 'main.tf', 'IG201');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG201', 'aws_iam_role_policy.caller', 15]]);
    expect(findings[0].fix!.edits).toEqual([]);
    expect(findings[0].fix!.description).toBe(
      'Move the invoke actions to a statement of their own whose Resource lists the ARNs of the functions this identity calls. Not applied by --fix: the statement also grants lambda:ListFunctions, lambda:GetAccountSettings, which act on no function; narrowing its Resource to functions would deny them.',
    );
    expect(after).toBe(text);
  });

  it('still narrows a statement whose every action acts on functions, their versions or aliases', async () => {
    const dir = tempTree({ 'main.tf': fixture('non-function-actions.tf').replace('"lambda:ListFunctions", "lambda:GetAccountSettings"', '"lambda:GetFunction", "lambda:GetProvisionedConcurrencyConfig"') });
    const [finding] = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(finding.fix!.edits).toHaveLength(1);
    expect(finding.fix!.edits[0].text).toBe('[aws_lambda_function.a.arn, "${aws_lambda_function.a.arn}:*"]');
  });
});

describe('IG104 --fix leaves a function URL that something in the scan reads to a human', () => {
  it('a CloudFront origin reading a SAM function URL: the finding stays, the fix is text only', async () => {
    const { text, findings, after } = await fixed('cloudfront-origin.cfn.yaml', 'template.yaml', 'IG104');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG104', 'Site', 11]]);
    expect(findings[0].fix!.edits).toEqual([]);
    expect(findings[0].fix!.description).toContain('Not applied by --fix: Distribution reads the URL');
    expect(findings[0].fix!.description).toContain('AWS::CloudFront::OriginAccessControl');
    expect(findings[0].fix!.description).toContain('grant lambda:InvokeFunctionUrl to cloudfront.amazonaws.com');
    expect(after).toBe(text);
  });

  it('a Terraform output handing the URL out (a webhook): text only; a URL nothing reads is still fixed', async () => {
    const { text, findings, after } = await fixed('webhook-output.tf', 'main.tf', 'IG104');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line, f.fix!.edits.length])).toEqual([
      ['IG104', 'aws_lambda_function_url.webhook', 8, 0],
      ['IG104', 'aws_lambda_function_url.internal', 14, 1],
    ]);
    expect(findings[0].fix!.description).toContain('Not applied by --fix: output.webhook_url reads the URL');
    expect(after).toBe(text.replace('  qualifier          = "internal"\n  authorization_type = "NONE"', '  qualifier          = "internal"\n  authorization_type = "AWS_IAM"'));
  });
});
