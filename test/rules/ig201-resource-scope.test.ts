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
});
