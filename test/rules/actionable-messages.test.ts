import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../../src/fix/apply.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A role holding two AWS managed policies (IAM and Lambda full access), and one allowed everything but IAM and Organizations. */
const ROLES = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/IAMFullAccess
        - arn:aws:iam::aws:policy/AWSLambda_FullAccess
  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: not-iam
          PolicyDocument:
            Statement:
              - Effect: Allow
                NotAction: ["iam:*", "organizations:*"]
                Resource: "*"
`;

async function findingsOf(files: Record<string, string>, rule: string) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === rule);
}

describe('findings name what the user can act on', () => {
  it('IG204 names AWS managed policies by their names, not by the role that holds them', async () => {
    const ig204 = await findingsOf({ 'template.yaml': ROLES }, 'IG204');
    const [ci, ...others] = ig204;
    // OpsRole (NotAction iam:*) may put its code in any function: reported on its own, without iam:PassRole.
    expect(others.map((f) => [f.ruleId, f.range.line, f.severity])).toEqual([['IG204', 14, 'high']]);
    expect([ci].map((f) => [f.ruleId, f.range.line, f.message])).toEqual([
      [
        'IG204',
        3,
        'CiRole can escalate privileges through Lambda: iam:PassRole, lambda:CreateFunction, lambda:UpdateFunctionCode, lambda:InvokeFunction, lambda:CreateEventSourceMapping, lambda:AddPermission, lambda:PutResourcePolicy on every resource, granted together by AWS managed policy IAMFullAccess (template.yaml:12), AWS managed policy AWSLambda_FullAccess (template.yaml:13).',
      ],
    ]);
  });

  it('IG301 names an AWS managed policy of an execution role by its name', async () => {
    const template = `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Handler: index.handler
      Runtime: python3.12
      Code: {ZipFile: "def handler(e, c): pass"}
`;
    const ig301 = await findingsOf({ 'template.yaml': template }, 'IG301');
    expect(ig301.map((f) => [f.ruleId, f.range.line])).toEqual([['IG301', 2]]);
    expect(ig301[0].message).toContain('on every resource (AWS managed policy AdministratorAccess (template.yaml:11))');
  });

  it('IG205 says a NotAction entry is what is left out, as IG203 does, and "via" an Action entry that grants', async () => {
    const ig205 = await findingsOf({ 'template.yaml': ROLES }, 'IG205');
    expect(ig205.map((f) => [f.ruleId, f.resource, f.range.line, f.evidence])).toEqual([
      ['IG205', 'CiRole', 13, '"lambda:*" → lambda:AddPermission, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig, lambda:AddLayerVersionPermission'],
      ['IG205', 'OpsRole', 27, 'NotAction "iam:*" → lambda:AddPermission, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig, lambda:AddLayerVersionPermission'],
    ]);
    expect(ig205[0].message).toContain('on every resource (via "lambda:*"): it can open');
    expect(ig205[1].message).toContain('on every resource (through NotAction "iam:*", which allows everything it does not list): it can open');
    expect(ig205[1].message).not.toContain('via');
  });

  it('IG201 suggests no Terraform reference to a function of another root, which would not resolve, nor that function', async () => {
    const files = {
      'app/main.tf': 'resource "aws_lambda_function" "billing" {\n  function_name = "billing"\n  role          = "arn:aws:iam::111122223333:role/billing"\n}\n',
      'iam/main.tf': 'resource "aws_iam_role_policy" "invoker" {\n  role = "invoker"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" }]\n  })\n}\n',
    };
    const ig201 = await findingsOf(files, 'IG201');
    expect(ig201.map((f) => [f.ruleId, f.range.file, f.range.line])).toEqual([['IG201', 'iam/main.tf', 5]]);
    expect(ig201[0].suggestion).toBe(
      'Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls (arn:aws:lambda:REGION:ACCOUNT:function:NAME); no function of its Terraform root can be named here (a reference to a function of another folder does not resolve).',
    );
    // Beside the policy, the reference resolves and is suggested.
    const beside = await findingsOf({ 'iam/fn.tf': files['app/main.tf'], 'iam/main.tf': files['iam/main.tf'] }, 'IG201');
    expect(beside.map((f) => [f.ruleId, f.range.file, f.range.line])).toEqual([['IG201', 'iam/main.tf', 5]]);
    expect(beside[0].suggestion).toBe('Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. Resource = [aws_lambda_function.billing.arn].');
  });

  it('IG201 suggests a function of a module its root calls by ARN, not by a reference to the module\'s code', async () => {
    const files = {
      'modules/fn/main.tf': 'resource "aws_lambda_function" "this" {\n  function_name = "billing"\n  role          = "arn:aws:iam::111122223333:role/billing"\n}\n',
      'live/main.tf': 'module "fn" {\n  source = "../modules/fn"\n}\nresource "aws_iam_role_policy" "invoker" {\n  role = "invoker"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" }]\n  })\n}\n',
    };
    const ig201 = await findingsOf(files, 'IG201');
    expect(ig201.map((f) => [f.ruleId, f.range.file, f.range.line])).toEqual([['IG201', 'live/main.tf', 8]]);
    expect(ig201[0].suggestion).toBe(
      'Allow only lambda:InvokeFunction, on the ARNs of the functions this identity calls, e.g. Resource = ["arn:aws:lambda:REGION:ACCOUNT:function:billing"]; no function is defined in this module to name by reference, and a reference to one defined in another folder does not resolve here.',
    );
  });

  it('IG201 on an AWS managed policy says to replace the policy (SAM: LambdaInvokePolicy), not to change a Resource AWS writes', async () => {
    const sam = `Transform: AWS::Serverless-2016-10-31
Resources:
  Caller:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: src/
      Policies:
        - AWSLambdaRole
  Target:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: src/
`;
    const [samFinding, ...rest] = await findingsOf({ 'template.yaml': sam }, 'IG201');
    expect(rest).toEqual([]);
    expect([samFinding.ruleId, samFinding.resource, samFinding.range.line]).toEqual(['IG201', 'Caller', 10]);
    const replaceSam =
      "Replace the AWS managed policy AWSLambdaRole with policies granting only what this identity needs: for invoking, SAM's LambdaInvokePolicy once per function it calls (e.g. - LambdaInvokePolicy: { FunctionName: !Ref Target }). AWSLambdaRole allows lambda:InvokeFunction on every function, and its Resource cannot be changed.";
    expect(samFinding.suggestion).toBe(replaceSam);
    expect(samFinding.fix?.description).toBe(`${replaceSam} Not applied by --fix: an AWS managed policy's statements are AWS's, not written in your code.`);
    expect(samFinding.fix?.edits).toEqual([]);

    const ig201 = await findingsOf({ 'template.yaml': ROLES }, 'IG201');
    expect(ig201.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG201', 'CiRole', 13]]);
    expect(ig201[0].suggestion).toBe(
      'Replace the AWS managed policy AWSLambda_FullAccess with policies granting only what this identity needs: for invoking, a statement of your own allowing lambda:InvokeFunction on the functions it calls (e.g. Resource: ["arn:aws:lambda:REGION:ACCOUNT:function:NAME"]). AWSLambda_FullAccess allows it on every function, and its Resource cannot be changed.',
    );
    expect(ig201[0].fix?.description).not.toContain('Replace the Resource');
  });

  it('IG102 --fix in Terraform writes the module\'s data.aws_caller_identity account as source_account, as IG303 does', async () => {
    const main = `data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "landing" {
  bucket = "landing"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::111122223333:role/fn"
}

resource "aws_lambda_permission" "s3" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.landing.arn
}
`;
    const ig102 = await findingsOf({ 'main.tf': main }, 'IG102');
    expect(ig102.map((f) => [f.ruleId, f.range.line])).toEqual([['IG102', 15]]);
    expect(ig102[0].fix?.description).toBe('Add source_account, so only aws_s3_bucket.landing.arn in that account can make the service invoke the function.');
    // Added into the run of one-line attributes, re-aligned as terraform fmt aligns it.
    expect(applyEdits(main, ig102[0].fix!.edits)).toBe(
      main.replace(
        '  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = "s3.amazonaws.com"\n  source_arn    = aws_s3_bucket.landing.arn',
        '  action         = "lambda:InvokeFunction"\n  function_name  = aws_lambda_function.fn.function_name\n  principal      = "s3.amazonaws.com"\n  source_account = data.aws_caller_identity.current.account_id\n  source_arn     = aws_s3_bucket.landing.arn',
      ),
    );
    // Two lines added at one place (no source_arn yet): one aligned run, no overlapping edits.
    // The bucket's notification wires it to the function: the source ARN is pinned to it too.
    const notification = '\nresource "aws_s3_bucket_notification" "landing" {\n  bucket = aws_s3_bucket.landing.id\n  lambda_function {\n    lambda_function_arn = aws_lambda_function.fn.arn\n  }\n}\n';
    const bare = main.replace('  source_arn    = aws_s3_bucket.landing.arn\n', '') + notification;
    const both = await findingsOf({ 'main.tf': bare }, 'IG102');
    expect(applyEdits(bare, both[0].fix!.edits)).toBe(
      bare.replace(
        '  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = "s3.amazonaws.com"\n',
        '  action         = "lambda:InvokeFunction"\n  function_name  = aws_lambda_function.fn.function_name\n  principal      = "s3.amazonaws.com"\n  source_arn     = aws_s3_bucket.landing.arn\n  source_account = data.aws_caller_identity.current.account_id\n',
      ),
    );
    // Without the data source (and no configured account), no account is known.
    const without = await findingsOf({ 'main.tf': main.replace('data "aws_caller_identity" "current" {}\n', '') }, 'IG102');
    expect(without[0].fix?.description).toContain('no account is known');
  });

  describe('a module instance finding says where its value comes from', () => {
    const moduleCode = `variable "name" { type = string }
variable "authorization_type" {
  type    = string
  default = "NONE"
}
resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::111122223333:role/x"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "f.zip"
}
resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.authorization_type
}
`;
    const call = (name: string, auth?: string) =>
      `module "${name}" {\n  source = "../modules/fn"\n  name   = "${name}"\n${auth ? `  authorization_type = "${auth}"\n` : ''}}\n`;

    it('IG104 from a variable default: at the module code, naming the default and the call that leaves it', async () => {
      const ig104 = await findingsOf({ 'modules/fn/main.tf': moduleCode, 'live/main.tf': call('api') + call('admin', 'AWS_IAM') }, 'IG104');
      expect(ig104.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line, f.message])).toEqual([
        [
          'IG104',
          'module.api.aws_lambda_function_url.this',
          'modules/fn/main.tf',
          15,
          'module.api.aws_lambda_function_url.this makes its function callable by anyone on the internet: authorization type is NONE, the default of variable "authorization_type" (modules/fn/main.tf:4), which module.api (main.tf:1 in its root) does not set.',
        ],
      ]);
      expect(ig104[0].suggestion).toContain('Set the authorization type to AWS_IAM for module.api (authorization_type = "AWS_IAM" in its module block, or as the variable\'s default)');
    });

    it('IG104 from a module call argument: at the argument, and --fix changes the argument, not the shared module code', async () => {
      const root = tempTree({ 'modules/fn/main.tf': moduleCode, 'live/main.tf': call('api', 'NONE') + call('admin', 'AWS_IAM') });
      const { findings } = await scan({ paths: ['.'], cwd: root });
      const ig104 = findings.filter((f) => f.ruleId === 'IG104');
      expect(ig104.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line, f.message])).toEqual([
        [
          'IG104',
          'module.api.aws_lambda_function_url.this',
          'live/main.tf',
          4,
          "module.api.aws_lambda_function_url.this makes its function callable by anyone on the internet: authorization type is NONE, as the module block of module.api sets it (live/main.tf:4); the module's code uses it at modules/fn/main.tf:15.",
        ],
      ]);
      expect(ig104[0].fix?.edits).toEqual([expect.objectContaining({ file: 'live/main.tf' })]);
      expect(ig104[0].fix?.description).not.toContain('Not applied');
    });

    it('IG301 cites where a wildcard passed to the module is written', async () => {
      const role = `variable "policy_json" { type = string }
resource "aws_iam_role" "lambda" {
  name               = "fn"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "extra" {
  role   = aws_iam_role.lambda.name
  policy = var.policy_json
}
resource "aws_lambda_function" "this" {
  function_name = "fn"
  role          = aws_iam_role.lambda.arn
}
`;
      const live = `module "fn" {
  source      = "../modules/role"
  policy_json = <<EOF
{
  "Statement": [
    { "Effect": "Allow", "Action": ["xray:*"], "Resource": ["*"] }
  ]
}
EOF
}
`;
      const ig301 = await findingsOf({ 'modules/role/main.tf': role, 'live/main.tf': live }, 'IG301');
      expect(ig301.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG301', 'module.fn.aws_iam_role.lambda', 'modules/role/main.tf', 2]]);
      expect(ig301[0].message).toContain('(module.fn.aws_iam_role_policy.extra (modules/role/main.tf:6); "xray:*" is written at main.tf:6 in its root, in the module block of module.fn)');
    });
  });
});
