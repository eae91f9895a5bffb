import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFixes } from '../../src/fix/apply.js';
import { createBaseline, readBaseline, applyBaseline } from '../../src/baseline/baseline.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';
import { writeFileSync } from 'node:fs';

async function findingsIn(files: Record<string, string>) {
  const root = tempTree(files);
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings.map((f) => [f.ruleId, f.resource, f.range.line] as const);
}

const FN = 'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n}\n';

describe('count and for_each', () => {
  it('models one resource per for_each element, with each.key / each.value, addressed as Terraform does', async () => {
    const found = await findingsIn({
      'main.tf': `${FN}
resource "aws_lambda_permission" "triggers" {
  for_each      = { public = { principal = "*" }, events = { service = "events", source_arn = "arn:aws:events:eu-west-1:111122223333:rule/x" } }
  statement_id  = each.key
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  principal     = try(each.value.principal, format("%s.amazonaws.com", try(each.value.service, "")))
  source_arn    = try(each.value.source_arn, null)
}
`,
    });
    expect(found).toEqual([['IG101', 'aws_lambda_permission.triggers["public"]', 10]]);
  });

  it('count: one resource per index with count.index; count = 0 makes none; an unknown count analyses the block once', async () => {
    const url = (name: string, count: string, auth = '"NONE"') => `resource "aws_lambda_function_url" "${name}" {\n  count              = ${count}\n  function_name      = "fn"\n  authorization_type = ${auth}\n}\n`;
    const found = await findingsIn({
      'main.tf': [
        'variable "create" { default = true }\nvariable "flag" {}\nvariable "types" { default = ["AWS_IAM", "NONE"] }\n',
        url('on', 'var.create ? 1 : 0'),
        url('off', '0'),
        url('unknown', 'var.flag ? 1 : 0'),
        url('indexed', '2', 'element(var.types, count.index)'),
      ].join(''),
    });
    expect(found).toEqual([
      ['IG104', 'aws_lambda_function_url.on[0]', 7],
      ['IG104', 'aws_lambda_function_url.unknown', 17],
      ['IG104', 'aws_lambda_function_url.indexed[1]', 22],
    ]);
  });

  it('a for_each set of strings keys instances by member; references reach instances by key or index', async () => {
    const found = await findingsIn({
      'main.tf': `
resource "aws_lambda_function_url" "u" {
  for_each           = toset(["a", "b"])
  function_name      = each.key
  authorization_type = each.key == "a" ? "AWS_IAM" : "NONE"
}
locals {
  principals = { a = "*", b = "123456789012" }
}
resource "aws_lambda_permission" "p" {
  for_each      = local.principals
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = each.value
}
resource "aws_lambda_permission" "via_instance" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = aws_lambda_permission.p["a"].principal
}
resource "aws_lambda_permission" "missing_instance" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = try(aws_lambda_permission.p["zz"].principal, "events.amazonaws.com")
  source_arn    = "arn:aws:events:eu-west-1:111122223333:rule/x"
}
`,
    });
    expect(found).toEqual([
      ['IG104', 'aws_lambda_function_url.u["b"]', 5],
      ['IG101', 'aws_lambda_permission.p["a"]', 14],
      ['IG101', 'aws_lambda_permission.via_instance', 19],
    ]);
  });

  it('a data source with count is read per instance (`data.x[0].json`)', async () => {
    const found = await findingsIn({
      'main.tf': `
variable "create" { default = true }
data "aws_iam_policy_document" "p" {
  count = var.create ? 1 : 0
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" {
  count  = var.create ? 1 : 0
  policy = data.aws_iam_policy_document.p[0].json
}
`,
    });
    expect(found).toEqual([['IG201', 'aws_iam_policy.p[0]', 6]]);
  });

  it('instantiates a local module per count/for_each instance, addressed module.NAME[KEY]', async () => {
    const found = await findingsIn({
      'main.tf': 'module "fns" {\n  for_each  = { open = "*", closed = "123456789012" }\n  source    = "./modules/fn"\n  principal = each.value\n}\nmodule "none" {\n  count     = 0\n  source    = "./modules/fn"\n  principal = "*"\n}\n',
      'modules/fn/main.tf': 'variable "principal" {}\nresource "aws_lambda_permission" "this" {\n  action        = "lambda:InvokeFunction"\n  function_name = "fn"\n  principal     = var.principal\n}\n',
    });
    expect(found).toEqual([['IG101', 'module.fns["open"].aws_lambda_permission.this', 5]]);
  });

  it('a suppression on the block covers every instance; baselines tell instances apart', async () => {
    const permission = (comment: string) => `${comment}resource "aws_lambda_permission" "p" {\n  for_each      = toset(["a", "b"])\n  action        = "lambda:InvokeFunction"\n  function_name = each.key\n  principal     = "*"\n}\n`;
    expect(await findingsIn({ 'main.tf': permission('') })).toEqual([
      ['IG101', 'aws_lambda_permission.p["a"]', 5],
      ['IG101', 'aws_lambda_permission.p["b"]', 5],
    ]);
    expect(await findingsIn({ 'main.tf': permission('# invokeguard:ignore IG101 public by design\n') })).toEqual([]);
    const root = tempTree({ 'main.tf': permission('') });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    writeFileSync(join(root, 'baseline.json'), createBaseline(findings.slice(0, 1)));
    const { fresh } = applyBaseline(findings, await readBaseline(join(root, 'baseline.json')));
    expect(fresh.map((f) => f.resource)).toEqual(['aws_lambda_permission.p["b"]']);
  });

  it('--fix edits a block shared by instances once, and only when the change is right for every instance', async () => {
    const url = (auth: string) => `resource "aws_lambda_function_url" "u" {\n  for_each           = ${auth}\n  function_name      = each.key\n  authorization_type = each.value\n}\n`;
    // Both instances NONE: the same edit for both, written once.
    const same = tempTree({ 'main.tf': url('{ a = "NONE", b = "NONE" }') });
    const both = await scan({ paths: ['.'], cwd: same });
    expect(both.findings.map((f) => [f.resource, f.fix?.edits.length])).toEqual([
      ['aws_lambda_function_url.u["a"]', 1],
      ['aws_lambda_function_url.u["b"]', 1],
    ]);
    const [fixed] = await applyFixes(both.findings, { paths: ['.'], cwd: same, sources: both.sources });
    expect(fixed.refused).toBeUndefined();
    expect(readFileSync(join(same, 'main.tf'), 'utf8')).toBe(url('{ a = "NONE", b = "NONE" }').replace('= each.value', '= "AWS_IAM"'));
    // One instance NONE, the other AWS_IAM: editing the shared attribute would change both, so it is left to a person.
    const mixed = tempTree({ 'main.tf': url('{ a = "NONE", b = "AWS_IAM" }') });
    const one = await scan({ paths: ['.'], cwd: mixed });
    expect(one.findings.map((f) => [f.resource, f.fix?.edits.length])).toEqual([['aws_lambda_function_url.u["a"]', 0]]);
    expect(one.findings[0].fix?.description).toMatch(/Not applied by --fix: the code of aws_lambda_function_url\.u\["a"\] is shared by 2 instances/);
  });
});

describe('fixes in code shared by module calls', () => {
  it('change the value a call passes, where it is written, rather than the code its other calls share', async () => {
    const module = 'variable "auth" {}\nresource "aws_lambda_function_url" "u" {\n  function_name      = "fn"\n  authorization_type = var.auth\n}\n';
    const calls = (a: string, b: string) => `module "a" {\n  source = "./m"\n  auth   = "${a}"\n}\nmodule "b" {\n  source = "./m"\n  auth   = "${b}"\n}\n`;
    const mixed = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': calls('NONE', 'AWS_IAM'), 'm/main.tf': module }) });
    expect(mixed.findings.map((f) => [f.resource, f.range.file, f.range.line, f.fix?.edits.map((e) => [e.file, e.text])])).toEqual([['module.a.aws_lambda_function_url.u', 'main.tf', 3, [['main.tf', '"AWS_IAM"']]]]);
    expect(mixed.findings[0].fix?.description).not.toMatch(/Not applied/);
    const both = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': calls('NONE', 'NONE'), 'm/main.tf': module }) });
    expect(both.findings.map((f) => [f.resource, f.fix?.edits.length])).toEqual([
      ['module.a.aws_lambda_function_url.u', 1],
      ['module.b.aws_lambda_function_url.u', 1],
    ]);
  });
});

describe('dynamic blocks', () => {
  it('expands dynamic statements, principals and conditions of aws_iam_policy_document', async () => {
    const found = await findingsIn({
      'main.tf': `
variable "statements" {
  default = [
    { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] },
    { actions = ["lambda:*"], resources = ["*"] },
  ]
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["lambda:InvokeFunction"]
    resources = ["*"]
    dynamic "principals" {
      for_each = { AWS = ["*"] }
      iterator = who
      content {
        type        = who.key
        identifiers = who.value
      }
    }
  }
}
resource "aws_lambda_permission" "unknown_dynamic" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = "events.amazonaws.com"
  source_arn    = "arn:aws:events:eu-west-1:111122223333:rule/x"
}
`,
    });
    expect(found.filter(([rule]) => rule === 'IG201' || rule === 'IG202')).toEqual([
      ['IG201', 'aws_iam_policy.p', 5],
      ['IG202', 'aws_iam_policy.p', 5],
    ]);
  });

  it('expands dynamic inline_policy blocks of a role; a dynamic block with an unknown for_each adds nothing', async () => {
    const found = await findingsIn({
      'main.tf': `
variable "policies" { default = { admin = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"lambda:*\\",\\"Resource\\":\\"*\\"}]}" } }
variable "unknown" {}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  dynamic "inline_policy" {
    for_each = var.policies
    content {
      name   = inline_policy.key
      policy = inline_policy.value
    }
  }
  dynamic "inline_policy" {
    for_each = var.unknown
    content {
      name   = "x"
      policy = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"lambda:*\\",\\"Resource\\":\\"*\\"}]}"
    }
  }
}
`,
    });
    expect(found.filter(([rule]) => rule === 'IG202')).toEqual([['IG202', 'aws_iam_role.r', 2]]);
  });

  it('Terraform JSON: count, for_each and dynamic blocks (`"dynamic": {"statement": [{"for_each", "iterator", "content"}]}`) alike', async () => {
    const json = {
      variable: { statements: { default: [{ actions: ['lambda:*'], resources: ['*'] }] } },
      resource: {
        aws_lambda_permission: { p: { for_each: { public: '*', events: 'events.amazonaws.com' }, action: 'lambda:InvokeFunction', function_name: 'fn', principal: '${each.value}', source_account: '${each.key == "events" ? "111122223333" : null}' } },
        aws_lambda_function_url: { u: { count: '${length(var.statements)}', function_name: 'fn', authorization_type: 'NONE' } },
        aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.d.json}' } },
      },
      data: { aws_iam_policy_document: { d: { dynamic: { statement: [{ for_each: '${var.statements}', iterator: 's', content: { actions: '${s.value.actions}', resources: '${s.value.resources}' } }] } } } },
    };
    const found = await findingsIn({ 'main.tf.json': JSON.stringify(json, null, 2) });
    expect(found.map(([rule, resource]) => [rule, resource])).toEqual([
      ['IG201', 'aws_iam_policy.p'],
      ['IG202', 'aws_iam_policy.p'],
      ['IG205', 'aws_iam_policy.p'],
      ['IG101', 'aws_lambda_permission.p["public"]'],
      ['IG104', 'aws_lambda_function_url.u[0]'],
    ]);
  });
});
