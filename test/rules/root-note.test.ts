import { describe, expect, it } from '@jest/globals';
import { createBaseline } from '../../src/baseline/baseline.js';
import { fingerprintFindings } from '../../src/report/fingerprint.js';
import { messageText } from '../../src/report/message.js';
import type { Finding } from '../../src/rules/types.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * A finding on a resource of a module instance names the root that instantiated it: roots calling
 * one local module under one name give their instances the same address and place. The roots are
 * the finding's `roots`; the message users read (`messageText`) names them after the resource.
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
  return findings.filter((f) => f.ruleId === 'IG301').map((f) => [f.ruleId, f.range.file, f.range.line, f.roots, messageText(f)]);
};

/** IG301's message; a module instance's also cites where its root's call writes the actions (alike in every root, so one message). */
const admin = (address: string, note: string, actions: string) =>
  `Execution role ${address}${note} is allowed ${actions} on every resource (${address.replace('aws_iam_role.', 'aws_iam_role_policy.')} (modules/fn/main.tf:11)${address.startsWith('module.') ? `; ${actions} is written at main.tf:4 in its root, in the module block of module.fn` : ''}): a stolen function token would be that powerful, from anywhere.`;

describe('findings name the Terraform root of a module instance', () => {
  it('names the one root whose instance of a module role is admin', async () => {
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/dev/main.tf': call('dev', ['s3:GetObject']), 'envs/prod/main.tf': call('prod', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, ['envs/prod'], admin('module.fn.aws_iam_role.this', ' (through root `envs/prod`)', '"*"')],
    ]);
  });

  it('keeps two roots’ different findings on one module role apart, each naming its root', async () => {
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/dev/main.tf': call('dev', ['s3:*']), 'envs/prod/main.tf': call('prod', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, ['envs/dev'], admin('module.fn.aws_iam_role.this', ' (through root `envs/dev`)', '"s3:*"')],
      ['IG301', 'modules/fn/main.tf', 6, ['envs/prod'], admin('module.fn.aws_iam_role.this', ' (through root `envs/prod`)', '"*"')],
    ]);
  });

  it('reports the same finding from two roots once, naming both; past three roots, the rest are counted', async () => {
    const roots = ['a', 'b', 'c', 'd', 'e'];
    const files = Object.fromEntries([['modules/fn/main.tf', MODULE], ...roots.map((r) => [`envs/${r}/main.tf`, call(r, ['*'])])]);
    expect(await ig301({ ...files, 'envs/c/main.tf': call('c', ['lambda:GetFunction']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, ['envs/a', 'envs/b', 'envs/d', 'envs/e'], admin('module.fn.aws_iam_role.this', ' (through roots `envs/a`, `envs/b`, `envs/d` and 1 more)', '"*"')],
    ]);
    expect(await ig301({ 'modules/fn/main.tf': MODULE, 'envs/b/main.tf': call('b', ['*']), 'envs/a/main.tf': call('a', ['*']) })).toEqual([
      ['IG301', 'modules/fn/main.tf', 6, ['envs/a', 'envs/b'], admin('module.fn.aws_iam_role.this', ' (through roots `envs/a`, `envs/b`)', '"*"')],
    ]);
  });

  it('names the root of IG204 and of a permission (IG101) in a module', async () => {
    const escalating = MODULE + `\nresource "aws_lambda_permission" "public" {\n  function_name = aws_lambda_function.this.function_name\n  principal     = "*"\n  action        = "lambda:InvokeFunction"\n}\n`;
    const { findings } = await scan({
      paths: ['.'],
      cwd: tempTree({ 'modules/fn/main.tf': escalating, 'envs/prod/main.tf': call('prod', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']) }),
    });
    expect(findings.filter((f) => f.ruleId === 'IG204' || f.ruleId === 'IG101').map((f) => [f.ruleId, f.range.file, f.range.line, f.roots, messageText(f)])).toEqual([
      [
        'IG204',
        'modules/fn/main.tf',
        6,
        ['envs/prod'],
        'module.fn.aws_iam_role.this (through root `envs/prod`) can escalate privileges through Lambda: iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction on every resource, granted by module.fn.aws_iam_role_policy.this (modules/fn/main.tf:11).',
      ],
      [
        'IG101',
        'modules/fn/main.tf',
        23,
        ['envs/prod'],
        'module.fn.aws_lambda_permission.public (through root `envs/prod`) lets any AWS principal ("*") invoke module.fn.aws_lambda_function.this: it has no source account and no source ARN and no organisation id.',
      ],
    ]);
  });

  it('leaves a root module’s own resource as it read', async () => {
    const root = MODULE.replace('variable "name" {}', 'variable "name" {\n  default = "orders"\n}').replace('type = list(string)', 'type    = list(string)\n  default = ["*"]');
    expect(await ig301({ 'main.tf': root })).toEqual([
      ['IG301', 'main.tf', 9, undefined, 'Execution role aws_iam_role.this is allowed "*" on every resource (aws_iam_role_policy.this (main.tf:14)): a stolen function token would be that powerful, from anywhere.'],
    ]);
  });

  it('merges the same finding from two roots into one whose roots list both, its message as the rule wrote it', async () => {
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'modules/fn/main.tf': MODULE, 'envs/b/main.tf': call('b', ['*']), 'envs/a/main.tf': call('a', ['*']) }) });
    expect(findings.filter((f) => f.ruleId === 'IG301').map((f) => [f.range.line, f.roots, f.message])).toEqual([
      [6, ['envs/a', 'envs/b'], admin('module.fn.aws_iam_role.this', '', '"*"')],
    ]);
  });

  it('keeps fingerprints of message-only findings as they were when the message named the root', () => {
    const finding = (message: string, roots?: string[]): Finding => ({
      ruleId: 'IG404',
      severity: 'medium',
      message,
      range: { file: 'm/main.tf', line: 3, column: 1, endLine: 3, endColumn: 9 },
      resource: 'module.org.aws_organizations_policy.p',
      suggestion: '',
      ...(roots ? { roots } : {}),
    });
    // What the code that wrote `(through root …)` into messages gave `…p (through root \`envs/prod\`) protects nothing.`
    const before = '214b3a215150b8c06669a70d06e455d6:1';
    expect(fingerprintFindings([finding('module.org.aws_organizations_policy.p protects nothing.', ['envs/prod'])])).toEqual([before]);
    expect(fingerprintFindings([finding('module.org.aws_organizations_policy.p protects nothing.', ['a', 'b', 'c', 'd', 'e'])])).toEqual([before]);
    expect(fingerprintFindings([finding('module.org.aws_organizations_policy.p protects nothing.')])).toEqual([before]);
  });

  it('writes the baseline of a module called by three roots as before roots were structured', async () => {
    const trust = 'Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } } ';
    const permission = `\nresource "aws_lambda_permission" "public" {\n  function_name = aws_lambda_function.this.function_name\n  principal     = "*"\n  action        = "lambda:InvokeFunction"\n}\n`;
    const files = {
      'modules/fn/main.tf': MODULE.replace(`, ${trust}`, ' ') + permission,
      'envs/a/main.tf': call('a', ['*']),
      'envs/b/main.tf': call('b', ['*']),
      'envs/c/main.tf': call('c', ['s3:*']),
    };
    const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
    expect(findings.filter((f) => f.ruleId === 'IG303').map((f) => f.roots)).toEqual([['envs/a', 'envs/b', 'envs/c']]);
    // Fingerprints the code that wrote `(through root …)` into messages gave this tree (`--write-baseline`).
    const entries = (JSON.parse(createBaseline(findings)) as { findings: Array<{ fingerprint: string; ruleId: string; file: string }> }).findings;
    expect(entries.map((e) => `${e.ruleId} ${e.file} ${e.fingerprint}`)).toEqual([
      'IG201 envs/a/main.tf 3bcd254a789a8f2074051d5338085f08:1',
      'IG202 envs/a/main.tf f391cc20a9dde342b6591a161a9aa840:1',
      'IG205 envs/a/main.tf 0b1cad2782b839de9179d167f42dd29d:1',
      'IG201 envs/b/main.tf 029cfacdec731eab00302bbfd6af3afd:1',
      'IG202 envs/b/main.tf 27f89e1ebee28a649a48a9255dae005f:1',
      'IG205 envs/b/main.tf 2d7ae6ebde5277f4e6ebeda54e08976f:1',
      'IG101 modules/fn/main.tf dc9a4b6b7014298096e059d6b7bd0f37:1',
      'IG301 modules/fn/main.tf 51526b2c70001c2181c79bd0a972cae3:1',
      'IG301 modules/fn/main.tf f606dcffc0151863d8a3ce44d7b7fe37:1',
      'IG303 modules/fn/main.tf 9ff6a992726f9ef32b15d8d6a7a96e20:1',
    ]);
  });
});
