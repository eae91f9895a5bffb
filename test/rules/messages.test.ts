import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { scanPaths } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

describe('finding content', () => {
  it('names real references from the scan in suggestions', async () => {
    const { findings } = await scanPaths('examples/terraform/vulnerable');
    const ig201 = findings.find((f) => f.resource === 'aws_iam_policy.invoker');
    expect(ig201?.suggestion).toContain('aws_lambda_function.orders.arn');
    const ig101 = findings.find((f) => f.ruleId === 'IG101');
    expect(ig101?.message).toContain('aws_lambda_function.orders');
    const ig102 = findings.find((f) => f.ruleId === 'IG102');
    expect(ig102?.message).toContain('S3 bucket ARN');
  });

  it('suggests ARNs, not Terraform or CloudFormation references, for a raw IAM JSON policy file', async () => {
    const fn = 'resource "aws_lambda_function" "this" {\n  function_name = "orders"\n}\n';
    const root = tempTree({
      'envs/a/main.tf': fn,
      'envs/b/main.tf': fn,
      'envs/c/main.tf': 'resource "aws_lambda_function" "named_by_arn" {\n  function_name = "arn:aws:lambda:eu-west-1:111122223333:function:billing"\n}\n',
      'policies/invoker.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*" }\n  ]\n}\n',
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    const ig201 = findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201.map((f) => [f.range.file, f.range.line])).toEqual([['policies/invoker.json', 4]]);
    // Two roots' functions of one name are one example; a name written as an ARN is kept as written.
    expect(ig201[0].suggestion).toBe(
      'Allow only lambda:InvokeFunction, on the functions this identity calls, e.g. "Resource": ["arn:aws:lambda:REGION:ACCOUNT:function:orders", "arn:aws:lambda:eu-west-1:111122223333:function:billing"].',
    );
  });

  it('points inside a heredoc policy at the granting action', async () => {
    const { findings } = await scanPaths('examples/terraform/vulnerable/ci.tf');
    const ig201 = findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201).toHaveLength(1);
    expect(ig201[0].range).toMatchObject({ line: 12, column: 17, endLine: 12, endColumn: 27 });
  });

  it('names a function it cannot resolve in words, and unknown pieces as ${reference}, never as an empty ${}', async () => {
    const permission = (id: string, principal: string, functionName: string) =>
      `  ${id}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: ${principal}\n      Action: lambda:InvokeFunction${functionName ? `\n      FunctionName: ${functionName}` : ''}\n`;
    const root = tempTree({
      'template.yaml': `Resources:\n${permission('P', '"*"', '!GetAtt')}${permission('Q', 's3.amazonaws.com', '!Ref')}${permission('R', '"*"', '!Sub "${Missing}-fn"')}${permission('T', '"*"', '')}`,
      'main.tf': 'resource "aws_lambda_permission" "p" {\n  principal     = "*"\n  function_name = var.fn\n}\n',
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.filter((f) => f.ruleId === 'IG101' || f.ruleId === 'IG102').map((f) => [f.ruleId, f.range.file, f.range.line, f.message])).toEqual([
      ['IG101', 'main.tf', 2, 'aws_lambda_permission.p lets any AWS principal ("*") invoke ${var.fn}: it has no source account and no source ARN and no organisation id.'],
      ['IG101', 'template.yaml', 5, 'P lets any AWS principal ("*") invoke the function (FunctionName not resolved): it has no source account and no source ARN and no organisation id.'],
      ['IG102', 'template.yaml', 11, 'Q lets s3.amazonaws.com invoke the function (FunctionName not resolved) for a resource in any account: it has no source account and no source ARN.'],
      ['IG101', 'template.yaml', 17, 'R lets any AWS principal ("*") invoke ${Missing}-fn: it has no source account and no source ARN and no organisation id.'],
      ['IG101', 'template.yaml', 23, 'T lets any AWS principal ("*") invoke the function: it has no source account and no source ARN and no organisation id.'],
    ]);
    expect(findings.find((f) => f.resource === 'P')?.suggestion).toBe('Grant the function (FunctionName not resolved) to the one account or service that calls it (its account id or service principal) and add a source account or organisation id condition; never "*".');
  });

  it('calls a permission for lambda:InvokeAsync a deprecated name, and an identity grant of it alone no invoke grant', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_lambda_permission" "legacy" {
  action        = "lambda:InvokeAsync"
  function_name = "orders"
  principal     = "123456789012"
}

resource "aws_lambda_permission" "prefix" {
  action        = "lambda:InvokeA*"
  function_name = "orders"
  principal     = "123456789012"
}

resource "aws_iam_policy" "legacy_caller" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeAsync"
      Resource = "*"
    }]
  })
}
`,
      'template.yaml': `Resources:
  Legacy:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:invokeasync
      FunctionName: orders
      Principal: "123456789012"
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.filter((f) => f.ruleId.startsWith('IG1') || f.ruleId.startsWith('IG2')).map((f) => [f.ruleId, f.range.file, f.range.line, f.message])).toEqual([
      ['IG105', 'main.tf', 2, 'aws_lambda_permission.legacy grants "lambda:InvokeAsync", a deprecated action named for the retired InvokeAsync API (which Lambda authorises with lambda:InvokeFunction), not lambda:InvokeFunction.'],
      ['IG105', 'main.tf', 8, 'aws_lambda_permission.prefix grants "lambda:InvokeA*" (only lambda:InvokeAsync), a deprecated action named for the retired InvokeAsync API (which Lambda authorises with lambda:InvokeFunction), not lambda:InvokeFunction.'],
      ['IG105', 'template.yaml', 5, 'Legacy grants "lambda:invokeasync", a deprecated action named for the retired InvokeAsync API (which Lambda authorises with lambda:InvokeFunction), not lambda:InvokeFunction.'],
    ]);
    // Left to a human: the deprecated action allows nothing today, so lambda:InvokeFunction in its place would grant invoke.
    for (const legacy of findings.filter((f) => f.ruleId === 'IG105')) {
      expect(legacy.fix?.edits).toEqual([]);
      expect(legacy.fix?.description).toMatch(/^Set (action|Action) to lambda:InvokeFunction if the grantee should invoke the function, or remove the permission\. Not applied by --fix: lambda:InvokeAsync allows nothing on its own today, so the change would grant invoke\.$/);
    }
  });

  it('IG105 names the actions that matter first: code and configuration updates, new grants, then the rest', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_lambda_permission" "all" {
  action        = "lambda:*"
  function_name = "orders"
  principal     = "123456789012"
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    const [finding] = findings.filter((f) => f.ruleId === 'IG105');
    expect(finding.message).toMatch(/covers lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration, lambda:AddPermission, lambda:PutResourcePolicy, … \(\d+ actions\)/);
  });

  it('IG102 asks for a source ARN only when the grant has none', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_s3_bucket" "b" {}

resource "aws_sns_topic" "t" {}

resource "aws_lambda_permission" "from_bucket" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.b.arn
}

resource "aws_lambda_permission" "from_topic" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = "sns.amazonaws.com"
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.filter((f) => f.ruleId === 'IG102').map((f) => [f.resource, f.range.line, f.suggestion])).toEqual([
      ['aws_lambda_permission.from_bucket', 8, 'Add a source account condition (the account that owns the calling resource): the source ARN it has names no account.'],
      ['aws_lambda_permission.from_topic', 15, 'Add a source account condition (the account that owns the calling resource) and a source ARN such as aws_sns_topic.t.arn.'],
    ]);
  });

  it('IG101 and IG104 stay at the attribute but name where a value written elsewhere comes from (variable, local, tfvars, module argument)', async () => {
    const root = 'test/fixtures/changed-only';
    const { findings } = await scanPaths(`${root}/values-elsewhere`, `${root}/module-caller`, `${root}/tfvars-and-modules`);
    const shown = findings.filter((f) => f.ruleId === 'IG101' || f.ruleId === 'IG104').map((f) => `${f.range.file}:${f.range.line} ${f.message.replace(/: it has no source .*/, '')}`);
    // A module instance's IG104 whose NONE a module block passes is reported at that argument (what to change); other values name where they come from.
    expect(shown).toEqual([
      `${root}/module-caller/main.tf:9 module.url.aws_lambda_function_url.u makes its function callable by anyone on the internet: authorization type is NONE, as the module block of module.url sets it (${root}/module-caller/main.tf:9); the module's code uses it at ${root}/module-caller/modules/perm/main.tf:13.`,
      `${root}/module-caller/modules/perm/main.tf:9 module.perm.aws_lambda_permission.p lets any AWS principal ("*" from ${root}/module-caller/main.tf:3) invoke orders`,
      `${root}/tfvars-and-modules/main.tf:18 aws_lambda_function_url.tfvars_auth makes its function callable by anyone on the internet: authorization type is NONE (from ${root}/tfvars-and-modules/terraform.tfvars:1).`,
      `${root}/tfvars-and-modules/main.tf:24 module.api.module.inner.aws_lambda_function_url.this makes its function callable by anyone on the internet: authorization type is NONE, written at ${root}/tfvars-and-modules/main.tf:24 and passed to module.api.module.inner (modules/wrap/main.tf:4 in its root); the module's code uses it at ${root}/tfvars-and-modules/modules/fn/main.tf:21.`,
      `${root}/tfvars-and-modules/modules/fn/main.tf:16 module.api.module.inner.aws_lambda_permission.this lets any AWS principal ("*" from ${root}/tfvars-and-modules/main.tf:23) invoke module.api.module.inner.aws_lambda_function.this`,
      `${root}/tfvars-and-modules/modules/fn/main.tf:16 module.fanout["b"].aws_lambda_permission.this lets any AWS principal ("*" from ${root}/tfvars-and-modules/main.tf:29) invoke module.fanout["b"].aws_lambda_function.this`,
      `${root}/values-elsewhere/main.tf:3 aws_lambda_function_url.u makes its function callable by anyone on the internet: authorization type is NONE (from ${root}/values-elsewhere/variables.tf:3).`,
      `${root}/values-elsewhere/main.tf:8 aws_lambda_permission.p lets any AWS principal ("*" from ${root}/values-elsewhere/locals.tf:2) invoke orders`,
    ]);
    // Written in the attribute itself: nothing added.
    const inline = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': 'resource "aws_lambda_function_url" "u" {\n  function_name      = "orders"\n  authorization_type = "NONE"\n}\n' }) });
    expect(inline.findings.map((f) => f.message)).toEqual(['aws_lambda_function_url.u makes its function callable by anyone on the internet: authorization type is NONE.']);
  });
});
