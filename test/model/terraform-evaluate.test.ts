import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

async function findingsIn(files: Record<string, string>) {
  const root = tempTree(files);
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line] as const);
}

const permission = (name: string, principal: string) => `
resource "aws_lambda_permission" "${name}" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = ${principal}
}
`;

describe('Terraform evaluation', () => {
  it('resolves variable defaults, and tfvars override them (terraform.tfvars, then *.auto.tfvars)', async () => {
    expect(await findingsIn({ 'main.tf': `variable "p" { default = "*" }\n${permission('a', 'var.p')}` })).toEqual([
      ['IG101', 'aws_lambda_permission.a', 'main.tf', 6],
    ]);
    expect(
      await findingsIn({
        'main.tf': `variable "p" { default = "*" }\n${permission('a', 'var.p')}`,
        'terraform.tfvars': 'p = "*"\n',
        'z.auto.tfvars': 'p = "123456789012"\n',
      }),
    ).toEqual([]);
  });

  it('follows locals through templates and keeps unknown references symbolic', async () => {
    const found = await findingsIn({
      'main.tf': `
locals {
  star   = "*"
  public = "\${local.star}"
}
${permission('via_template', 'local.public')}
${permission('unknown', 'data.external.who.result')}
`,
    });
    expect(found).toEqual([['IG101', 'aws_lambda_permission.via_template', 'main.tf', 10]]);
  });

  it('does not loop on self-referencing locals', async () => {
    expect(await findingsIn({ 'main.tf': `locals {\n  a = local.b\n  b = local.a\n}\n${permission('x', 'local.a')}` })).toEqual([]);
  });

  it('evaluates conditionals with a known condition to one branch, and an unknown one to each branch (a plan Terraform may make)', async () => {
    const found = await findingsIn({
      'main.tf': `variable "public" { default = true }\nvariable "flag" {}\n${permission('known', 'var.public ? "*" : "123456789012"')}${permission('unknown', 'var.flag ? "*" : "123456789012"')}${permission('never', 'var.public ? "123456789012" : "*"')}`,
    });
    expect(found).toEqual([
      ['IG101', 'aws_lambda_permission.known', 'main.tf', 7],
      ['IG101', 'aws_lambda_permission.unknown', 'main.tf', 13],
    ]);
  });

  it('analyses local modules with the values their caller passes, addressed module.NAME', async () => {
    const found = await findingsIn({
      'main.tf': `module "api" {\n  source    = "./modules/fn"\n  principal = "*"\n}\nmodule "safe" {\n  source    = "./modules/fn"\n  principal = "123456789012"\n}\n`,
      'modules/fn/main.tf': `variable "principal" { default = "123456789012" }\n${permission('this', 'var.principal')}`,
    });
    // The module folder is analysed through its callers only, not also as a root with its default.
    expect(found).toEqual([['IG101', 'module.api.aws_lambda_permission.this', 'modules/fn/main.tf', 6]]);
  });

  it('resolves a module source written with a trailing slash ("../../", as terraform-aws-modules examples do)', async () => {
    const found = await findingsIn({
      'examples/open/main.tf': 'module "fn" {\n  source    = "../../"\n  principal = "*"\n}\n',
      'main.tf': `variable "principal" { default = "123456789012" }\n${permission('this', 'var.principal')}`,
    });
    expect(found).toEqual([['IG101', 'module.fn.aws_lambda_permission.this', 'main.tf', 6]]);
  });

  it('reads aws_iam_policy_document with source and override documents', async () => {
    const found = await findingsIn({
      'main.tf': `
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Invoke"
    actions   = ["lambda:InvokeFunction"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "narrowed" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Invoke"
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}

data "aws_iam_policy_document" "overridden" {
  statement {
    sid       = "Invoke"
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
  override_policy_documents = [data.aws_iam_policy_document.base.json]
}

resource "aws_iam_policy" "base" { policy = data.aws_iam_policy_document.base.json }
resource "aws_iam_policy" "narrowed" { policy = data.aws_iam_policy_document.narrowed.json }
resource "aws_iam_policy" "overridden" { policy = data.aws_iam_policy_document.overridden.json }
`,
    });
    expect(found).toEqual([
      ['IG201', 'aws_iam_policy.base', 'main.tf', 5],
      ['IG201', 'aws_iam_policy.overridden', 'main.tf', 5],
    ]);
  });

  it('reads heredoc policies with interpolations and trailing commas, positions inside the heredoc', async () => {
    const found = await findingsIn({
      'main.tf': `
resource "aws_lambda_function" "orders" {
  function_name = "orders"
}
resource "aws_iam_policy" "p" {
  policy = <<-EOT
    {
      "Statement": [
        { "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "\${aws_lambda_function.orders.arn}" },
        { "Effect": "Allow", "Action": ["lambda:Invoke*"], "Resource": \${jsonencode("*")}, },
      ]
    }
  EOT
}
`,
    });
    expect(found).toEqual([['IG201', 'aws_iam_policy.p', 'main.tf', 10]]);
  });

  it('reports a broken heredoc policy as IG901 inside the heredoc', async () => {
    const found = await findingsIn({
      'main.tf': `resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{\n  "Statement": [\n    { "Effect": "Allow" "Action": "*" }\n  ]\n}\nEOF\n}\n`,
    });
    expect(found).toEqual([['IG901', 'main.tf', 'main.tf', 5]]);
  });

  it('analyses each instance of a for_each resource (see terraform-instances.test.ts)', async () => {
    const found = await findingsIn({
      'main.tf': `resource "aws_lambda_function_url" "u" {\n  for_each           = toset(["a", "b"])\n  function_name      = each.key\n  authorization_type = "NONE"\n}\n`,
    });
    expect(found).toEqual([
      ['IG104', 'aws_lambda_function_url.u["a"]', 'main.tf', 4],
      ['IG104', 'aws_lambda_function_url.u["b"]', 'main.tf', 4],
    ]);
  });
});
