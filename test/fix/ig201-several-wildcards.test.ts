import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wildcardMatches } from '../../src/iam/wildcard.js';
import { displayString } from '../../src/model/value.js';
import { loadModel, scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * IG201's --fix on a statement whose Resource lists several entries matching every function
 * (`function:*` beside `function:*:*`): the entry granting it is replaced by the functions beside the
 * policy, the others are removed from the list. Every case: the finding (line), the fixed file as
 * written, that it re-scans clean of IG201 and IG901, which ARNs the fixed policy allows, and that a
 * second --fix changes nothing.
 */

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:orders';
const CALLS = { plain: ARN, alias: `${ARN}:live`, version: `${ARN}:3`, other: 'arn:aws:lambda:us-east-1:111122223333:function:payments', otherAlias: 'arn:aws:lambda:us-east-1:111122223333:function:payments:live' };
const EVERY = 'arn:aws:lambda:*:*:function:*';
const VERSIONS = 'arn:aws:lambda:*:*:function:*:*';

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

const heredocPolicy = (resources: string) => `resource "aws_lambda_function" "orders" {
  function_name = "orders"
}

resource "aws_iam_role_policy" "caller" {
  role   = "caller"
  policy = <<EOT
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "lambda:InvokeFunction",
    "Resource": [
${resources}
    ]
  }]
}
EOT
}
`;

const documentPolicy = (resources: string) => `resource "aws_lambda_function" "orders" {
  function_name = "orders"
}

data "aws_iam_policy_document" "caller" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ${resources}
  }
}

resource "aws_iam_role_policy" "caller" {
  role   = "caller"
  policy = data.aws_iam_policy_document.caller.json
}
`;

const cfnPolicy = (resource: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::Lambda::Function
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource:${resource}
`;

const cfnJson = (resource: string) => `{
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

const SUB = (tail: string) => `!Sub "arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${tail}"`;
const TF_REFS = { '${aws_lambda_function.orders.arn}': ARN, 'aws_lambda_function.orders.arn': ARN };
const CFN_REFS = { '${Orders.Arn}': ARN };
const CALLABLE = ['plain', 'alias', 'version'] as const;

interface Case {
  label: string;
  file: string;
  text: string;
  /** IG201's line (the Action entry). */
  line: number;
  /** The text that stands in place of the Resource entries after the fix. */
  written: string;
  references: Record<string, string>;
  allows: ReadonlyArray<keyof typeof CALLS>;
}

const CASES: Case[] = [
  {
    label: 'Terraform jsonencode, one line: function:* then function:*:*',
    file: 'main.tf',
    text: tfPolicy(`["${EVERY}", "${VERSIONS}"]`),
    line: 10,
    written: '      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'Terraform jsonencode, one per line with a trailing comma: function:*:* first, then *',
    file: 'main.tf',
    text: tfPolicy(`[\n        "${VERSIONS}",\n        "*",\n      ]`),
    line: 10,
    written: '      Resource = [\n        aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*",\n      ]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'Terraform heredoc JSON, the last entry removed with the comma before it',
    file: 'main.tf',
    text: heredocPolicy(`      "${EVERY}",\n      "${VERSIONS}"`),
    line: 11,
    written: '    "Resource": [\n      "${aws_lambda_function.orders.arn}", "${aws_lambda_function.orders.arn}:*"\n    ]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'aws_iam_policy_document, three entries',
    file: 'main.tf',
    text: documentPolicy(`["${VERSIONS}", "*", "arn:aws:lambda:us-east-1:111122223333:function:*"]`),
    line: 7,
    written: '    resources = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'Terraform, versions and aliases only: two function:*:* entries',
    file: 'main.tf',
    text: tfPolicy(`["${VERSIONS}", "arn:aws:lambda:us-east-1:111122223333:function:*:*"]`),
    line: 10,
    written: '      Resource = ["${aws_lambda_function.orders.arn}:*"]\n',
    references: TF_REFS,
    allows: ['alias', 'version'],
  },
  // Two adjacent entries removed: each claims a comma, the one between them by both, so they go as one run.
  {
    label: 'Terraform jsonencode, three entries: the last two removed together',
    file: 'main.tf',
    text: tfPolicy(`["${EVERY}", "${VERSIONS}", "*"]`),
    line: 10,
    written: '      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'Terraform jsonencode, four entries one per line: the two in the middle removed together',
    file: 'main.tf',
    text: tfPolicy(`[\n        "${EVERY}",\n        "${VERSIONS}",\n        "*",\n        "arn:aws:s3:::bucket",\n      ]`),
    line: 10,
    written: '      Resource = [\n        aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*",\n        "arn:aws:s3:::bucket",\n      ]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'Terraform heredoc JSON, three entries: the last two removed with the comma before them',
    file: 'main.tf',
    text: heredocPolicy(`      "${EVERY}",\n      "${VERSIONS}",\n      "*"`),
    line: 11,
    written: '    "Resource": [\n      "${aws_lambda_function.orders.arn}", "${aws_lambda_function.orders.arn}:*"\n    ]\n',
    references: TF_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation YAML flow sequence, three entries: the last two removed together',
    file: 'template.yaml',
    text: cfnPolicy(` ["${EVERY}", "*", "${VERSIONS}"]`),
    line: 14,
    written: '                Resource: [!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation YAML block sequence of !Sub entries',
    file: 'template.yaml',
    text: cfnPolicy(`\n                  - ${SUB('*')}\n                  - ${SUB('*:*')}  # versions and aliases`),
    line: 14,
    written: '                Resource:\n                  - !GetAtt Orders.Arn\n                  - !Sub "${Orders.Arn}:*"\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation YAML block sequence: function:*:* first',
    file: 'template.yaml',
    text: cfnPolicy(`\n                  - "${VERSIONS}"\n                  - "*"`),
    line: 14,
    written: '                Resource:\n                  - !GetAtt Orders.Arn\n                  - !Sub "${Orders.Arn}:*"\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation YAML flow sequence',
    file: 'template.yaml',
    text: cfnPolicy(` ["${VERSIONS}", "${EVERY}"]`),
    line: 14,
    written: '                Resource: [!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
  {
    label: 'CloudFormation JSON, a Fn::Sub entry removed',
    file: 'template.json',
    text: cfnJson(`["${EVERY}", { "Fn::Sub": "arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:*:*" }]`),
    line: 10,
    written: '"Resource": [{ "Fn::GetAtt": ["Orders", "Arn"] }, { "Fn::Sub": "${Orders.Arn}:*" }] }\n',
    references: CFN_REFS,
    allows: CALLABLE,
  },
];

async function allowedPatterns(dir: string, references: Record<string, string>): Promise<string[]> {
  const { model } = await loadModel({ paths: ['.'], cwd: dir });
  return model.identityPolicies
    .flatMap((p) => p.document?.statements ?? [])
    .flatMap((s) => s.resource.map((r) => Object.entries(references).reduce((text, [ref, arn]) => text.split(ref).join(arn), displayString(r) ?? '')));
}

describe('IG201 --fix with several Resource entries matching every function', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const dir = tempTree({ [c.file]: c.text });
    const before = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(before.map((f) => [f.ruleId, f.range.file, f.range.line])).toEqual([['IG201', c.file, c.line]]);
    expect(before[0].fix!.description).toMatch(/, and remove ".*", which also match(es)? every function; check that these are the ones it calls\.$/);

    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/not fixed/);
    const fixed = readFileSync(join(dir, c.file), 'utf8');
    expect(fixed).toContain(c.written);
    expect(fixed).not.toMatch(/function:\*/);
    const after = (await scan({ paths: ['.'], cwd: dir })).findings;
    expect(after.filter((f) => f.ruleId === 'IG201' || f.ruleId === 'IG901')).toEqual([]);

    const patterns = await allowedPatterns(dir, c.references);
    const allowed = (Object.keys(CALLS) as Array<keyof typeof CALLS>).filter((k) => patterns.some((p) => wildcardMatches(p, CALLS[k])));
    expect(allowed).toEqual(c.allows);

    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, c.file), 'utf8')).toBe(fixed);
  });

  it('says so, and edits nothing, when an entry to remove is not written in the statement (a variable default, which other policies may read)', async () => {
    const text = `variable "versions" {\n  default = "${VERSIONS}"\n}\n\n${tfPolicy(`["${EVERY}", var.versions]`)}`;
    const dir = tempTree({ 'main.tf': text });
    const [ig201] = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect([ig201.range.line, ig201.fix!.edits]).toEqual([14, []]);
    expect(ig201.fix!.description).toBe('Replace the Resource entries that match every function with the ARNs of the functions this identity calls. Not applied by --fix: several entries match every function, and not all of them are written in the statement.');
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(text);
  });
});
