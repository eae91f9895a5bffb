import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wildcardMatches } from '../../src/iam/wildcard.js';
import { displayString } from '../../src/model/value.js';
import { loadModel, scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * IG201's --fix narrows `Resource = "*"` to the functions beside the policy without breaking calls
 * that name a version or alias: Lambda authorises those against the qualified ARN, which a plain
 * function ARN does not match. Every case: the finding (rule and line), what the fix writes, that the
 * fixed file parses and re-scans clean of IG201, which ARNs the fixed policy allows, and that a second
 * --fix changes nothing.
 */

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:orders';
/** What the fixed policy must allow (an alias and a version of the function, the function itself) and never (another function, its alias). */
const CALLS = { plain: ARN, alias: `${ARN}:live`, version: `${ARN}:3`, other: 'arn:aws:lambda:us-east-1:111122223333:function:payments', otherAlias: 'arn:aws:lambda:us-east-1:111122223333:function:payments:live' };

const tfPolicy = (resource: string) => `resource "aws_lambda_function" "orders" {
  function_name = "orders"
}

resource "aws_iam_role_policy" "caller" {
  role = "caller"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = ${resource}
    }]
  })
}
`;

/** The function is called through an alias: an aws_lambda_alias on it, a permission and an event source mapping naming the alias. */
const TF_ALIAS = `resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = "3"
}

resource "aws_lambda_permission" "sns" {
  function_name = aws_lambda_function.orders.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "sns.amazonaws.com"
  source_arn    = "arn:aws:sns:us-east-1:111122223333:orders"
}

resource "aws_lambda_event_source_mapping" "queue" {
  function_name    = aws_lambda_alias.live.arn
  event_source_arn = "arn:aws:sqs:us-east-1:111122223333:orders"
}
`;

const cfnPolicy = (resource: string, functions = '  Orders:\n    Type: AWS::Lambda::Function\n') => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${functions}  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: ${resource}
`;

/** SAM: AutoPublishAlias makes a version and a `live` alias; an AWS::Lambda::Alias on another; a caller's FunctionName naming the alias. */
const SAM_FUNCTIONS = `  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
  OrdersVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  OrdersBeta:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt OrdersVersion.Version
      Name: beta
`;

const CFN_JSON = (resource: string) => `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Orders": { "Type": "AWS::Lambda::Function" },
    "Caller": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {},
        "Policies": [{ "PolicyName": "invoke", "PolicyDocument": { "Statement": [
          { "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": ${resource} }
        ] } }]
      }
    }
  }
}
`;

interface Case {
  label: string;
  file: string;
  files: Record<string, string>;
  /** IG201's line (the Action entry). */
  line: number;
  /** The line the fixed file holds in place of the Resource. */
  written: string;
  /** The references the fixed Resource entries hold, and the function ARN each stands for. */
  references: Record<string, string>;
  /** Which of CALLS the fixed policy allows. */
  allows: Array<keyof typeof CALLS>;
}

const TF_BOTH = '      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n';
const YAML_BOTH = '                Resource: [!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]\n';
const TF_REFS = { '${aws_lambda_function.orders.arn}': ARN };
const CFN_REFS = { '${Orders.Arn}': ARN };
const CALLABLE: Case['allows'] = ['plain', 'alias', 'version'];

const CASES: Case[] = [
  { label: 'Terraform, no alias in the scan', file: 'main.tf', files: { 'main.tf': tfPolicy('"*"') }, line: 10, written: TF_BOTH, references: TF_REFS, allows: CALLABLE },
  { label: 'Terraform, called through an alias', file: 'main.tf', files: { 'main.tf': tfPolicy('"*"'), 'alias.tf': TF_ALIAS }, line: 10, written: TF_BOTH, references: TF_REFS, allows: CALLABLE },
  {
    label: 'Terraform, every version and alias only (function:*:*)',
    file: 'main.tf',
    files: { 'main.tf': tfPolicy('"arn:aws:lambda:*:*:function:*:*"'), 'alias.tf': TF_ALIAS },
    line: 10,
    written: '      Resource = "${aws_lambda_function.orders.arn}:*"\n',
    references: TF_REFS,
    allows: ['alias', 'version'],
  },
  { label: 'CloudFormation YAML, no alias', file: 'template.yaml', files: { 'template.yaml': cfnPolicy('"*"') }, line: 14, written: YAML_BOTH, references: CFN_REFS, allows: CALLABLE },
  {
    label: 'SAM, AutoPublishAlias and an AWS::Lambda::Alias',
    file: 'template.yaml',
    files: { 'template.yaml': cfnPolicy('!Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:*"', SAM_FUNCTIONS).replace('Resources:', 'Transform: AWS::Serverless-2016-10-31\nResources:') },
    line: 30,
    written: YAML_BOTH,
    references: CFN_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation YAML, every version and alias only',
    file: 'template.yaml',
    files: { 'template.yaml': cfnPolicy('!Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:*:*"') },
    line: 14,
    written: '                Resource: !Sub "${Orders.Arn}:*"\n',
    references: CFN_REFS,
    allows: ['alias', 'version'],
  },
  {
    label: 'CloudFormation JSON, no alias',
    file: 'template.json',
    files: { 'template.json': CFN_JSON('"*"') },
    line: 10,
    written: '"Resource": [{ "Fn::GetAtt": ["Orders", "Arn"] }, { "Fn::Sub": "${Orders.Arn}:*" }] }\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
];

/** The Resource entries of the fixed policy's statements, references replaced by the ARN they stand for. */
async function allowedPatterns(dir: string, references: Record<string, string>): Promise<string[]> {
  const { model } = await loadModel({ paths: ['.'], cwd: dir });
  return model.identityPolicies
    .flatMap((p) => p.document?.statements ?? [])
    .flatMap((s) => s.resource.map((r) => Object.entries(references).reduce((text, [ref, arn]) => text.split(ref).join(arn), displayString(r) ?? '')));
}

describe('IG201 --fix keeps calls through versions and aliases working', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const dir = tempTree(c.files);
    const before = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(before.map((f) => [f.ruleId, f.range.file, f.range.line])).toEqual([['IG201', c.file, c.line]]);
    // The message says what the fix writes.
    const shown = c.file.endsWith('.tf') ? '"${aws_lambda_function.orders.arn}:*"' : '!Sub "${Orders.Arn}:*"';
    expect(before[0].fix!.description).toContain(shown);
    expect(before[0].fix!.edits).toHaveLength(1);

    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/not fixed/);
    const fixed = readFileSync(join(dir, c.file), 'utf8');
    expect(fixed).toContain(c.written);
    const after = (await scan({ paths: ['.'], cwd: dir })).findings;
    expect(after.filter((f) => f.ruleId === 'IG201' || f.ruleId === 'IG901')).toEqual([]);

    const patterns = await allowedPatterns(dir, c.references);
    const allowed = (Object.keys(CALLS) as Array<keyof typeof CALLS>).filter((k) => patterns.some((p) => wildcardMatches(p, CALLS[k])));
    expect(allowed).toEqual(c.allows);

    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, c.file), 'utf8')).toBe(fixed);
  });

  it('names every function beside the policy in both forms, in the order they are defined', async () => {
    const two = tfPolicy('"*"').replace('resource "aws_iam_role_policy"', 'resource "aws_lambda_function" "payments" {\n  function_name = "payments"\n}\n\nresource "aws_iam_role_policy"');
    const dir = tempTree({ 'main.tf': two });
    const [ig201] = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect([ig201.range.line, ig201.fix!.replacement]).toEqual([
      14,
      '[aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*", aws_lambda_function.payments.arn, "${aws_lambda_function.payments.arn}:*"]',
    ]);
    expect(ig201.fix!.description).toBe(
      'Replace Resource "*" with the functions defined beside the policy (aws_lambda_function.orders, aws_lambda_function.payments), each as its ARN and as that ARN followed by ":*", so that calls naming a version or alias (authorised against the qualified ARN) keep working: aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*", aws_lambda_function.payments.arn, "${aws_lambda_function.payments.arn}:*"; check that these are the ones it calls.',
    );
  });
});
