import { describe, expect, it } from '@jest/globals';
import { fingerprintFindings } from '../../src/report/fingerprint.js';
import type { Finding } from '../../src/rules/types.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * A finding on a resource of a module instance names the root that instantiated it: roots calling
 * one local module under one name give their instances the same address and place.
 */

/** A module whose execution role gets the actions its caller passes, on every resource (IG301 at line 7). */
const MODULE = `variable "name" {}
variable "actions" {
  type = list(string)
}

resource "aws_iam_role" "this" {
  name               = "\${var.name}-role"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }, Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } } }] })
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
}
`;

const call = (name: string, actions: string[]) => `module "fn" {\n  source  = "../../modules/fn"\n  name    = "${name}"\n  actions = ${JSON.stringify(actions)}\n}\n`;

const ig301 = async (files: Record<string, string>) => {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === 'IG301').map((f) => [f.ruleId, f.range.file, f.range.line, f.message]);
};

const admin = (address: string, note: string, actions: string) =>
  `Execution role ${address}${note} is allowed ${actions} on every resource (${address.replace('aws_iam_role.', 'aws_iam_role_policy.')} (modules/fn/main.tf:11)): a stolen function token would be that powerful, from anywhere.`;

describe('findings name the Terraform root of a module instance', () => {
  it('names the one root whose instance of a module role is admin', async () => {
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/dev/main.tf': call('dev', ['s3:GetObject']), 'envs/prod/main.tf': call('prod', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, admin('module.fn.aws_iam_role.this', ' (through root `envs/prod`)', '"*"')],
    ]);
  });

  it('keeps two roots’ different findings on one module role apart, each naming its root', async () => {
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/dev/main.tf': call('dev', ['s3:*']), 'envs/prod/main.tf': call('prod', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, admin('module.fn.aws_iam_role.this', ' (through root `envs/dev`)', '"s3:*"')],
      ['IG301', 'modules/fn/main.tf', 6, admin('module.fn.aws_iam_role.this', ' (through root `envs/prod`)', '"*"')],
    ]);
  });

  it('reports the same finding from two roots once, naming both; past three roots, the rest are counted', async () => {
    const roots = ['a', 'b', 'c', 'd', 'e'];
    const files = Object.fromEntries([['modules/fn/main.tf', MODULE], ...roots.map((r) => [`envs/${r}/main.tf`, call(r, ['*'])])]);
    expect(await ig301({ ...files, 'envs/c/main.tf': call('c', ['lambda:GetFunction']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, admin('module.fn.aws_iam_role.this', ' (through roots `envs/a`, `envs/b`, `envs/d` and 1 more)', '"*"')],
    ]);
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/b/main.tf': call('b', ['*']), 'envs/a/main.tf': call('a', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, admin('module.fn.aws_iam_role.this', ' (through roots `envs/a`, `envs/b`)', '"*"')],
    ]);
  });

  it('names the root of IG204 and of a permission (IG101) in a module', async () => {
    const escalating = MODULE + `\nresource "aws_lambda_permission" "public" {\n  function_name = aws_lambda_function.this.function_name\n  principal     = "*"\n  action        = "lambda:InvokeFunction"\n}\n`;
    const { findings } = await scan({
      paths: ['.'],
      cwd: tempTree({ 'modules/fn/main.tf': escalating, 'envs/prod/main.tf': call('prod', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']) }),
    });
    expect(findings.filter((f) => f.ruleId === 'IG204' || f.ruleId === 'IG101').map((f) => [f.ruleId, f.range.file, f.range.line, f.message])).toEqual([
      [
        'IG204',
        'modules/fn/main.tf',
        6,
        'module.fn.aws_iam_role.this (through root `envs/prod`) can escalate privileges through Lambda: iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction on every resource, granted together by module.fn.aws_iam_role_policy.this (modules/fn/main.tf:11).',
      ],
      [
        'IG101',
        'modules/fn/main.tf',
        23,
        'module.fn.aws_lambda_permission.public (through root `envs/prod`) lets any AWS principal ("*") invoke module.fn.aws_lambda_function.this: it has no source account and no source ARN and no organisation id.',
      ],
    ]);
  });

  it('leaves a root module’s own resource as it read', async () => {
    const root = MODULE.replace('variable "name" {}', 'variable "name" {\n  default = "orders"\n}').replace('type = list(string)', 'type    = list(string)\n  default = ["*"]');
    expect(await ig301({ 'main.tf': root })).toEqual([
      ['IG301', 'main.tf', 9, 'Execution role aws_iam_role.this is allowed "*" on every resource (aws_iam_role_policy.this (main.tf:14)): a stolen function token would be that powerful, from anywhere.'],
    ]);
  });

  it('keeps fingerprints of message-only findings when the message names a root', () => {
    const finding = (message: string): Finding => ({ ruleId: 'IG404', severity: 'medium', message, range: { file: 'm/main.tf', line: 3, column: 1, endLine: 3, endColumn: 9 }, resource: 'module.org.aws_organizations_policy.p', suggestion: '' });
    const [plain] = fingerprintFindings([finding('module.org.aws_organizations_policy.p protects nothing.')]);
    expect(fingerprintFindings([finding('module.org.aws_organizations_policy.p (through root `envs/prod`) protects nothing.')])).toEqual([plain]);
    expect(fingerprintFindings([finding('module.org.aws_organizations_policy.p (through roots `a`, `b`, `c` and 2 more) protects nothing.')])).toEqual([plain]);
  });
});
