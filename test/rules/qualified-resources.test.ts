import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** IG201 and IG205 findings as [rule, resource, line, what the message says it reaches]. */
async function findings(files: Record<string, string>) {
  const root = tempTree(files);
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings
    .filter((f) => f.ruleId === 'IG201' || f.ruleId === 'IG205')
    .map((f) => [f.ruleId, f.resource, f.range.line, /on (every version and alias of every function|every function|every resource)/.exec(f.message)?.[1]] as const);
}

const tfPolicy = (name: string, resource: string) => `
resource "aws_iam_policy" "${name}" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction", "lambda:AddPermission"]
      Resource = "${resource}"
    }]
  })
}
`;

const cfnPolicy = (resource: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Versions:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action:
              - lambda:InvokeFunction
              - lambda:AddPermission
            Resource: ${resource}
`;

const versions = 'every version and alias of every function';

describe('a Resource covering every version and alias of every function (function:*:*)', () => {
  it('is reported by IG201 and IG205 in Terraform, naming what it reaches', async () => {
    expect(await findings({ 'main.tf': tfPolicy('versions', 'arn:aws:lambda:*:*:function:*:*') })).toEqual([
      ['IG201', 'aws_iam_policy.versions', 6, versions],
      ['IG205', 'aws_iam_policy.versions', 6, versions],
    ]);
    expect(await findings({ 'main.tf': tfPolicy('account', 'arn:aws:lambda:us-east-1:123456789012:function:*:*') })).toEqual([
      ['IG201', 'aws_iam_policy.account', 6, versions],
      ['IG205', 'aws_iam_policy.account', 6, versions],
    ]);
  });

  it('is reported by IG201 and IG205 in CloudFormation, with a symbolic account', async () => {
    expect(await findings({ 'template.yaml': cfnPolicy('!Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*:*"') })).toEqual([
      ['IG201', 'Versions', 10, versions],
      ['IG205', 'Versions', 11, versions],
    ]);
  });

  it('is not every function when one function is named (function:orders:*)', async () => {
    expect(await findings({ 'main.tf': tfPolicy('orders', 'arn:aws:lambda:*:*:function:orders:*') })).toEqual([]);
    expect(await findings({ 'template.yaml': cfnPolicy('"arn:aws:lambda:*:*:function:orders:*"') })).toEqual([]);
  });

  it('still says every function for *, and a Deny of function:*:* leaves it standing', async () => {
    expect(await findings({ 'main.tf': tfPolicy('star', '*') })).toEqual([
      ['IG201', 'aws_iam_policy.star', 6, 'every function'],
      ['IG205', 'aws_iam_policy.star', 6, 'every resource'],
    ]);
    const withDeny = `resource "aws_iam_policy" "both" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" },
      { Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "arn:aws:lambda:*:*:function:*:*" },
      { Effect = "Deny", Action = "lambda:*", Resource = "arn:aws:lambda:*:*:function:*:*" },
    ]
  })
}
`;
    expect(await findings({ 'main.tf': withDeny })).toEqual([['IG201', 'aws_iam_policy.both', 4, 'every function']]);
  });

  it('completes IG204 for the run step only, and names it so', async () => {
    const role = (create: string, invoke: string) => `resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::123456789012:root" } }]
  })
}

resource "aws_iam_role_policy" "deployer" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
      { Effect = "Allow", Action = "lambda:CreateFunction", Resource = "${create}" },
      { Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "${invoke}" },
    ]
  })
}
`;
    const ig204 = async (create: string, invoke: string) => {
      const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': role(create, invoke) }) });
      return findings.filter((f) => f.ruleId === 'IG204').map((f) => [f.resource, f.range.line, f.message.includes(`lambda:InvokeFunction (on ${versions})`)]);
    };
    // CreateFunction can publish a version, which function:*:* lets it invoke.
    expect(await ig204('*', 'arn:aws:lambda:*:*:function:*:*')).toEqual([['aws_iam_role.deployer', 1, true]]);
    expect(await ig204('*', '*')).toEqual([['aws_iam_role.deployer', 1, false]]);
    // Creating a function is not done by version: CreateFunction on function:*:* is no step.
    expect(await ig204('arn:aws:lambda:*:*:function:*:*', '*')).toEqual([]);
  });
});

describe('function:*:* alongside other grants', () => {
  it('IG205 names every version and alias only when every granted action is that narrow (a layer action is not)', async () => {
    const mixed = `resource "aws_iam_policy" "mixed" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:*"
      Resource = ["arn:aws:lambda:*:*:function:*:*", "arn:aws:lambda:*:*:layer:*"]
    }]
  })
}
`;
    expect((await findings({ 'main.tf': mixed })).filter(([rule]) => rule === 'IG205')).toEqual([['IG205', 'aws_iam_policy.mixed', 5, 'every resource']]);
  });

  it('IG201 --fix narrows function:*:* to the versions and aliases of the functions beside it: a plain function ARN would break calls naming one', async () => {
    const template = `${cfnPolicy('!Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:*:*"')}  Orders:\n    Type: AWS::Lambda::Function\n`;
    const { findings: all } = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template }) });
    const ig201 = all.filter((f) => f.ruleId === 'IG201');
    expect(ig201.map((f) => f.range.line)).toEqual([10]);
    expect(ig201[0].fix!.edits.map((e) => e.text)).toEqual(['!Sub "${Orders.Arn}:*"']);
    expect(ig201[0].fix!.description).toContain('with the versions and aliases of the function defined beside the policy (Orders)');
  });
});
