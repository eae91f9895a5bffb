import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { scanPaths } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const GENERIC = 'Correct the action name (see the Service Authorization Reference); a misspelt action silently grants or denies nothing.';

/** IG902 findings as [rule, line, evidence, suggestion]. */
const hints = (findings: Array<{ ruleId: string; range: { line: number }; evidence?: string; suggestion?: string }>) =>
  findings.filter((f) => f.ruleId === 'IG902').map((f) => [f.ruleId, f.range.line, f.evidence, f.suggestion]);

describe('IG902 names the intended action', () => {
  it('in the Terraform fixture: near-misses of a name and of a prefix in a Deny (no widening), none for a dead wildcard', async () => {
    const { findings } = await scanPaths('test/fixtures/IG902/fail.tf');
    expect(hints(findings)).toEqual([
      ['IG902', 5, 'lambda:InvokeFuncton', 'Did you mean "lambda:InvokeFunction"?'],
      ['IG902', 5, 'lamda:AddPermission', 'Did you mean "lambda:AddPermission"?'],
      ['IG902', 5, 'lambda:Nothing*', GENERIC],
    ]);
  });

  it('in the CloudFormation fixture: an Allow NotAction near-miss narrows the Allow, so no warning', async () => {
    const { findings } = await scanPaths('test/fixtures/IG902/fail.cfn.yaml');
    expect(hints(findings)).toEqual([
      ['IG902', 10, 'lambda:InvokeFuncton', 'Did you mean "lambda:InvokeFunction"?'],
      ['IG902', 11, 'lamda:AddPermission', 'Did you mean "lambda:AddPermission"?'],
      ['IG902', 12, 'lambda:Nothing*', GENERIC],
      ['IG902', 27, 'lambda:AddPermision', 'Did you mean "lambda:AddPermission"?'],
    ]);
  });

  it('in Terraform: a batch operation in an Allow, and one whose action the statement already lists', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_iam_policy" "queue" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessageBatch"]
      Resource = "*"
    }, {
      Effect   = "Allow"
      Action   = ["sqs:DeleteMessage", "sqs:DeleteMessageBatch"]
      Resource = "*"
    }]
  })
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(hints(findings)).toEqual([
      [
        'IG902',
        5,
        'sqs:SendMessageBatch',
        'Use "sqs:SendMessage": IAM authorises SendMessageBatch with sqs:SendMessage. Replacing "sqs:SendMessageBatch" allows access this statement does not allow today; make sure that is intended.',
      ],
      ['IG902', 9, 'sqs:DeleteMessageBatch', 'IAM authorises DeleteMessageBatch with sqs:DeleteMessage, which this statement already lists, so "sqs:DeleteMessageBatch" can be removed.'],
    ]);
  });

  it('in CloudFormation: an endpoint prefix in an Allow, a Deny NotAction, and a name with no good candidate', async () => {
    const root = tempTree({
      'template.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Inference:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action:
              - bedrock-runtime:InvokeModel
              - dynamodb:CreateItem
            Resource: "*"
          - Effect: Deny
            NotAction:
              - s3:HeadObject
            Resource: "*"
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(hints(findings)).toEqual([
      [
        'IG902',
        10,
        'bedrock-runtime:InvokeModel',
        'Use "bedrock:InvokeModel": IAM names Bedrock runtime actions with the prefix bedrock. Replacing "bedrock-runtime:InvokeModel" allows access this statement does not allow today; make sure that is intended.',
      ],
      ['IG902', 11, 'dynamodb:CreateItem', GENERIC],
      [
        'IG902',
        15,
        's3:HeadObject',
        'Use "s3:GetObject": IAM authorises HeadObject with s3:GetObject. Replacing "s3:HeadObject" takes the replacement out of this Deny, which covers it today; make sure that is intended.',
      ],
    ]);
    // Never a fix: a live replacement changes what the policy allows.
    expect(findings.filter((f) => f.ruleId === 'IG902').every((f) => f.fix === undefined)).toBe(true);
  });

  it('in Terraform: a service prefix a slip away from a real one, with the name as written, respelt, or a wildcard', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_iam_policy" "typos" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = [
        "lamda:InvokeFunction",
        "Dynamdb:getitem",
        "lamda:InvokeFuncton",
        "lamda:Get*",
        "lamda:Nothing*",
        "xyzzy:Foo",
        "iamm:PassRole",
      ]
      Resource = "*"
    }, {
      Effect   = "Allow"
      Action   = ["lambda:ListFunctions", "lambdaa:ListFunctions"]
      Resource = "*"
    }]
  })
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    const widens = (from: string) => `Replacing "${from}" allows access this statement does not allow today; make sure that is intended.`;
    expect(findings.filter((f) => f.ruleId === 'IG902').map((f) => [f.ruleId, f.range.line, f.message, f.suggestion])).toEqual([
      ['IG902', 6, 'aws_iam_policy.typos: unknown action "lamda:InvokeFunction": no AWS service has the prefix "lamda".', `Did you mean "lambda:InvokeFunction"? ${widens('lamda:InvokeFunction')}`],
      ['IG902', 7, 'aws_iam_policy.typos: unknown action "Dynamdb:getitem": no AWS service has the prefix "Dynamdb".', `Did you mean "dynamodb:GetItem"? ${widens('Dynamdb:getitem')}`],
      ['IG902', 8, 'aws_iam_policy.typos: unknown action "lamda:InvokeFuncton": no AWS service has the prefix "lamda".', `Did you mean "lambda:InvokeFunction"? ${widens('lamda:InvokeFuncton')}`],
      ['IG902', 9, 'aws_iam_policy.typos: unknown action "lamda:Get*": no AWS service has the prefix "lamda".', `Did you mean "lambda:Get*"? ${widens('lamda:Get*')}`],
      // No lambda action matches; a prefix of no service near enough; a prefix too short to guess at (as for names).
      ['IG902', 10, 'aws_iam_policy.typos: unknown action "lamda:Nothing*": no AWS service has the prefix "lamda".', GENERIC],
      ['IG902', 11, 'aws_iam_policy.typos: unknown action "xyzzy:Foo": no AWS service has the prefix "xyzzy".', GENERIC],
      ['IG902', 12, 'aws_iam_policy.typos: unknown action "iamm:PassRole": no AWS service has the prefix "iamm".', GENERIC],
      ['IG902', 17, 'aws_iam_policy.typos: unknown action "lambdaa:ListFunctions": no AWS service has the prefix "lambdaa".', 'Did you mean "lambda:ListFunctions"? This statement already lists it, so "lambdaa:ListFunctions" can be removed.'],
    ]);
  });
});

describe('IG902 hints on a generated policy of thousands of dead entries', () => {
  it('hints the first 100 findings of each policy and gives the rest the generic text; another file is not affected', async () => {
    const actions = Array.from({ length: 600 }, (_, i) => (i % 2 ? 'lambda:InvokeFuncton' : 'lambda:Qqqqqqqqqqqq'));
    const generated = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] };
    const app = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'lambda:InvokeFuncton', Resource: '*' }] };
    const root = tempTree({ 'a-generated.json': `${JSON.stringify(generated, null, 1)}\n`, 'b-app.json': `${JSON.stringify(app)}\n` });
    const found = (await scan({ paths: ['.'], cwd: root })).findings.filter((f) => f.ruleId === 'IG902');
    const generatedFindings = found.filter((f) => f.range.file === 'a-generated.json').map((f) => f.suggestion);
    expect(generatedFindings).toHaveLength(600);
    expect(generatedFindings.slice(0, 100).filter((s) => s === 'Did you mean "lambda:InvokeFunction"?')).toHaveLength(50); // the Qqqq… half has no candidate
    expect(new Set(generatedFindings.slice(100))).toEqual(new Set([GENERIC]));
    expect(found.filter((f) => f.range.file === 'b-app.json').map((f) => f.suggestion)).toEqual(['Did you mean "lambda:InvokeFunction"?']);
  });
});
