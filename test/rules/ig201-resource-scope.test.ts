import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

async function ig201(files: Record<string, string>) {
  const root = tempTree(files);
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings.filter((f) => f.ruleId === 'IG201').map((f) => [f.resource, f.range.line] as const);
}

const tfPolicy = (name: string, effect: string, resource: string) => `
resource "aws_iam_policy" "${name}" {
  policy = jsonencode({
    Statement = [{ Effect = "${effect}", Action = "lambda:InvokeFunction", Resource = "${resource}" }]
  })
}
`;

/** A user whose inline policy holds `statements` (HCL objects): the user on line 1, the statements from line 9. */
const deployer = (statements: string[]) => `resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy" "deploy" {
  user = aws_iam_user.deployer.name
  policy = jsonencode({
    Statement = [
${statements.map((st) => `      ${st},`).join('\n')}
    ]
  })
}
`;

describe('IG201 and the Resource of an invoke grant (issue #4 acceptance)', () => {
  it('passes a name prefix, fails *, and never fails a Deny with *', async () => {
    expect(await ig201({ 'prefix.tf': tfPolicy('orders', 'Allow', 'arn:aws:lambda:us-east-1:123456789012:function:orders-*') })).toEqual([]);
    expect(await ig201({ 'star.tf': tfPolicy('star', 'Allow', '*') })).toEqual([['aws_iam_policy.star', 4]]);
    expect(await ig201({ 'deny.tf': tfPolicy('deny', 'Deny', '*') })).toEqual([]);
  });

  it('counts an ARN whose partition, region and account are symbolic and whose name is * as every function; a symbolic or prefixed name is not', async () => {
    const template = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: { Type: String }
Resources:
  AllOfAccount:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:*"
  Prefix:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:orders-*"
  OneByParameter:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${Name}"
`;
    expect(await ig201({ 'template.yaml': template })).toEqual([['AllOfAccount', 11]]);
    const terraform = `data "aws_caller_identity" "me" {}
${tfPolicy('account_wide', 'Allow', 'arn:aws:lambda:*:${data.aws_caller_identity.me.account_id}:function:*')}`;
    expect(await ig201({ 'main.tf': terraform })).toEqual([['aws_iam_policy.account_wide', 5]]);
  });

  it('counts every function of a literal account or region as every function, as a symbolic one is: variables with defaults resolve to literals', async () => {
    const literal = tfPolicy('account', 'Allow', 'arn:aws:lambda:us-east-1:123456789012:function:*');
    const variables = `variable "region" {\n  default = "eu-west-1"\n}\nvariable "account_id" {\n  default = "123456789012"\n}\n${tfPolicy('by_variables', 'Allow', 'arn:aws:lambda:\${var.region}:\${var.account_id}:function:*')}`;
    expect(await ig201({ 'main.tf': literal })).toEqual([['aws_iam_policy.account', 4]]);
    expect(await ig201({ 'main.tf': variables })).toEqual([['aws_iam_policy.by_variables', 10]]);
    // The same account's Deny in the policy takes the grant away; another account's does not.
    const oneDocument = (deny: string) => `resource "aws_iam_policy" "both" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "arn:aws:lambda:us-east-1:123456789012:function:*" },
      { Effect = "Deny", Action = "lambda:*", Resource = "${deny}" },
    ]
  })
}
`;
    expect(await ig201({ 'main.tf': oneDocument('arn:aws:lambda:*:123456789012:function:*') })).toEqual([]);
    expect(await ig201({ 'main.tf': oneDocument('arn:aws:lambda:*:444455556666:function:*') })).toEqual([['aws_iam_policy.both', 4]]);
  });
});

describe('grants on every resource of one account, for the other "every resource" rules', () => {
  it('IG204 and IG205 count role/* and function:* of a literal account as every role and function', async () => {
    const main = deployer([
      '{ Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::123456789012:role/*" }',
      '{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:AddPermission"], Resource = "arn:aws:lambda:us-east-1:123456789012:function:*" }',
    ]);
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': main }) });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG204', 'aws_iam_user.deployer', 1],
      ['IG201', 'aws_iam_user_policy.deploy', 10],
      ['IG205', 'aws_iam_user_policy.deploy', 10],
    ]);
    // A name with a literal in it is not every role or function: no escalation, no IG201/IG205.
    const named = main.replace('role/*', 'role/*-*').replace('function:*', 'function:*-*');
    expect((await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': named }) })).findings.map((f) => f.ruleId)).toEqual([]);
  });
});

describe('a symbol ending a short ARN is an unknown rest, not a wildcard', () => {
  it('a Deny on arn:…:${AWS::AccountId} (no name) removes nothing; a Resource of arn:aws:lambda:us-east-1:${var.rest} is not every function', async () => {
    const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Caller:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: "*"
          - Effect: Deny
            Action: lambda:InvokeFunction
            Resource: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}"
`;
    expect(await ig201({ 'template.yaml': template })).toEqual([['Caller', 9]]);
    const rest = `variable "rest" {\n  type = string\n}\n${tfPolicy('rest', 'Allow', 'arn:aws:lambda:us-east-1:\${var.rest}')}`;
    expect(await ig201({ 'main.tf': rest })).toEqual([]);
  });
});

describe('IG204 and event source mappings', () => {
  it('counts event-source-mapping:* (of any account) as every mapping, and a prefix of the id as not', async () => {
    const policy = (mapping: string) =>
      deployer([
        '{ Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction"], Resource = "*" }',
        `{ Effect = "Allow", Action = "lambda:CreateEventSourceMapping", Resource = "${mapping}" }`,
      ]);
    const ig204 = async (mapping: string) =>
      (await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': policy(mapping) }) })).findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line]);
    expect(await ig204('arn:aws:lambda:us-east-1:123456789012:event-source-mapping:*')).toEqual([['aws_iam_user.deployer', 1]]);
    expect(await ig204('arn:aws:lambda:*:*:event-source-mapping:0*')).toEqual([]);
  });
});
