import { describe, expect, it } from '@jest/globals';
import { fingerprintFindings } from '../../src/report/fingerprint.js';
import { scan } from '../../src/scan.js';
import type { Finding } from '../../src/rules/types.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * An address is unique only in its template or Terraform root: every CDK stack has its `ServiceRole`,
 * every root its `aws_lambda_function.this`. A scan holding several must keep each one's references,
 * attachments, suppressions and suggestions to its own.
 */

const TRUST = `      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
            Condition: {StringEquals: {"aws:SourceAccount": !Ref AWS::AccountId}}`;

/** Stack A: a public Perm, an SNS grant whose trigger is A's Topic, and a second function named like B's. */
const STACK_A = (permMetadata = '') => `Resources:
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
${TRUST}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn-a
      Role: !GetAtt ExecRole.Arn
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn-b
      Role: !GetAtt ExecRole.Arn
  Perm:
    Type: AWS::Lambda::Permission
    Metadata:
      aws:cdk:path: StackA/Perm/Resource${permMetadata}
    Properties:
      Action: lambda:InvokeFunction
      Principal: "*"
      FunctionName: !Ref Fn
  Topic:
    Type: AWS::SNS::Topic
  TopicPerm:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
      FunctionName: !GetAtt Fn.Arn
`;

/** Stack B: an admin policy attached to B's ExecRole by !Ref, and a public Perm naming its function by name. */
const STACK_B = `Resources:
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
${TRUST}
  AdminPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: admin
      Roles: [!Ref ExecRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn-b
      Role: !GetAtt ExecRole.Arn
  Perm:
    Type: AWS::Lambda::Permission
    Metadata:
      aws:cdk:path: StackB/Perm/Resource
    Properties:
      Action: lambda:InvokeFunction
      Principal: "*"
      FunctionName: fn-b
`;

const pick = (findings: Finding[], rules: string[]) => findings.filter((f) => rules.includes(f.ruleId)).map((f) => [f.ruleId, f.range.file, f.resource, f.range.line]);
const find = (findings: Finding[], rule: string, file: string, resource: string) => findings.find((f) => f.ruleId === rule && f.range.file === file && f.resource === resource)!;

describe('the same CloudFormation logical id in two templates of one folder (cdk.out)', () => {
  const root = tempTree({ 'cdk.out/StackA.template.yaml': STACK_A(), 'cdk.out/StackB.template.yaml': STACK_B });
  const a = 'cdk.out/StackA.template.yaml';
  const b = 'cdk.out/StackB.template.yaml';

  it("attaches B's policy only to B's ExecRole, and links each Perm to its own template's function", async () => {
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(pick(findings, ['IG101', 'IG102', 'IG301'])).toEqual([
      ['IG101', a, 'Perm', 27],
      ['IG102', a, 'TopicPerm', 35],
      ['IG301', b, 'ExecRole', 2],
      ['IG101', b, 'Perm', 32],
    ]);
    expect(find(findings, 'IG301', b, 'ExecRole').message).toContain('(AdminPolicy (cdk.out/StackB.template.yaml:11))');
    // B's Perm names fn-b: B's own Fn, not A's Worker of the same name that comes first in the scan.
    expect(find(findings, 'IG101', b, 'Perm').message).toBe('Perm lets any AWS principal ("*") invoke Fn: it has no source account and no source ARN and no organisation id.');
  });

  it("names each resource's own CDK construct, and A's own Topic as the trigger", async () => {
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(find(findings, 'IG101', a, 'Perm').constructPath).toBe('StackA/Perm/Resource');
    expect(find(findings, 'IG101', b, 'Perm').constructPath).toBe('StackB/Perm/Resource');
    const topic = find(findings, 'IG102', a, 'TopicPerm');
    expect(topic.suggestion).toBe('Add a source account condition (the account that owns the calling resource) and a source ARN such as !Ref Topic.');
    expect(topic.fix?.replacement).toBe('SourceArn: !Ref Topic\nSourceAccount: !Ref AWS::AccountId');
  });

  it("suggests B's functions only, never A's Worker that B's template cannot name", async () => {
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(find(findings, 'IG201', b, 'AdminPolicy').suggestion).toBe('Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. Resource = [!GetAtt Fn.Arn].');
  });

  it('gives the two Perm findings different fingerprints', async () => {
    const { findings } = await scan({ paths: ['.'], cwd: root });
    const perms = findings.filter((f) => f.ruleId === 'IG101');
    expect(perms.map((f) => f.range.file)).toEqual([a, b]);
    const [fa, fb] = fingerprintFindings(perms);
    expect(fa).not.toBe(fb);
  });

  it("suppressing A's Perm leaves B's Perm reported", async () => {
    const suppressed = tempTree({
      'cdk.out/StackA.template.yaml': STACK_A('\n      invokeguard:\n        ignore:\n          - {id: IG101, reason: signed webhook}'),
      'cdk.out/StackB.template.yaml': STACK_B,
    });
    const result = await scan({ paths: ['.'], cwd: suppressed });
    expect(pick(result.findings, ['IG101'])).toEqual([['IG101', b, 'Perm', 32]]);
    expect(result.suppressed?.map((s) => [s.finding.ruleId, s.finding.range.file, s.finding.resource])).toEqual([['IG101', a, 'Perm']]);
  });
});

describe('the same Terraform address in two root folders', () => {
  const root = (bucket: string) => `resource "aws_lambda_function" "this" {
  function_name = "fn"
  role          = "arn:aws:iam::111122223333:role/r"
}

resource "aws_s3_bucket" "${bucket}" {}

resource "aws_lambda_permission" "s3" {
  function_name = aws_lambda_function.this.arn
  principal     = "s3.amazonaws.com"
  action        = "lambda:InvokeFunction"
}
`;

  it("offers each root's own bucket as the trigger", async () => {
    const dir = tempTree({ 'a/main.tf': root('this'), 'b/main.tf': root('this') });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG102').map((f) => [f.range.file, f.range.line, f.suggestion])).toEqual([
      ['a/main.tf', 10, 'Add a source account condition (the account that owns the calling resource) and a source ARN such as aws_s3_bucket.this.arn.'],
      ['b/main.tf', 10, 'Add a source account condition (the account that owns the calling resource) and a source ARN such as aws_s3_bucket.this.arn.'],
    ]);
  });

  it("names the root's own function, not a module's of the same short address or another root's of the same name", async () => {
    const dir = tempTree({
      'modules/fn/main.tf': 'resource "aws_lambda_function" "this" {\n  function_name = "module-fn"\n}\n',
      'a/main.tf': 'module "fn" {\n  source = "../modules/fn"\n}\n\nresource "aws_lambda_function" "other" {\n  function_name = "b-fn"\n}\n',
      'b/main.tf': [
        'resource "aws_lambda_function" "this" {\n  function_name = "b-fn"\n}',
        'resource "aws_lambda_permission" "by_ref" {\n  function_name = aws_lambda_function.this.arn\n  principal     = "*"\n}',
        'resource "aws_lambda_permission" "by_name" {\n  function_name = "b-fn"\n  principal     = "*"\n}',
      ].join('\n'),
    });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG101').map((f) => [f.resource, f.range.line, f.message])).toEqual([
      ['aws_lambda_permission.by_ref', 6, 'aws_lambda_permission.by_ref lets any AWS principal ("*") invoke aws_lambda_function.this: it has no source account and no source ARN and no organisation id.'],
      ['aws_lambda_permission.by_name', 10, 'aws_lambda_permission.by_name lets any AWS principal ("*") invoke aws_lambda_function.this: it has no source account and no source ARN and no organisation id.'],
    ]);
  });

  it("moves a finding in a root's installed module code to that root's module block", async () => {
    const module = `variable "function_name" {}
variable "authorization_type" { default = "NONE" }
resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = "arn:aws:iam::111122223333:role/x"
}
resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.authorization_type
}
`;
    const files: Record<string, string> = {};
    for (const r of ['a', 'b']) {
      files[`${r}/main.tf`] = `module "fn" {\n  source  = "terraform-aws-modules/lambda/aws"\n  version = "7.2.1"\n  function_name = "${r}"\n${r === 'b' ? '  authorization_type = "AWS_IAM"\n' : ''}}\n`;
      files[`${r}/.terraform/modules/modules.json`] = JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'fn', Source: 'registry.terraform.io/terraform-aws-modules/lambda/aws', Version: '7.2.1', Dir: '.terraform/modules/fn' }] });
      files[`${r}/.terraform/modules/fn/main.tf`] = module;
    }
    const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG104', 'module.fn.aws_lambda_function_url.this', 'a/main.tf', 1]]);
    expect(findings[0].message).toContain('(in the code of module terraform-aws-modules/lambda/aws 7.2.1, a/.terraform/modules/fn/main.tf:9)');
  });

  it("fixes a shared module's code only when every root's instance of it has the finding", async () => {
    const module = 'variable "auth" {\n  default = "NONE"\n}\n\nresource "aws_lambda_function_url" "this" {\n  function_name      = "f"\n  authorization_type = var.auth\n}\n';
    const call = (extra = '') => `module "url" {\n  source = "../modules/url"\n${extra}}\n`;
    const fixes = async (b: string) => {
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'modules/url/main.tf': module, 'a/main.tf': call(), 'b/main.tf': b }) });
      return findings.filter((f) => f.ruleId === 'IG104').map((f) => [f.range.file, f.range.line, f.fix?.edits?.length ?? 0, f.fix?.description]);
    };
    const set = 'Set authorization_type to AWS_IAM: callers then need a SigV4 signature and lambda:InvokeFunctionUrl.';
    // Both roots call it alike: one edit of the module right for both.
    expect(await fixes(call())).toEqual([['modules/url/main.tf', 7, 1, set]]);
    // B passes AWS_IAM: B's instance has no finding, so the module's code is not A's alone to change.
    expect(await fixes(call('  auth   = "AWS_IAM"\n'))).toEqual([
      ['modules/url/main.tf', 7, 0, `${set} Not applied by --fix: the code of module.url.aws_lambda_function_url.this is shared by 2 instances (count/for_each, module calls), and the change is not right for all of them.`],
    ]);
  });
});
