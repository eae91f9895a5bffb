import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A Terraform directory whose files need each other, a second directory, and a template. */
const TREE = {
  'infra/main.tf': 'resource "aws_lambda_permission" "via_local" {\n  action        = "lambda:InvokeFunction"\n  function_name = "orders"\n  principal     = local.everyone\n}\n',
  'infra/locals.tf': 'locals {\n  everyone = "*"\n}\n',
  'infra/policy.tf': 'resource "aws_iam_policy" "invoker" {\n  name   = "invoker"\n  policy = data.aws_iam_policy_document.invoke_all.json\n}\n',
  'infra/data.tf': 'data "aws_iam_policy_document" "invoke_all" {\n  statement {\n    actions   = ["lambda:InvokeFunction"]\n    resources = ["*"]\n  }\n}\n',
  'infra/clean.tf': 'resource "aws_lambda_function" "orders" {\n  function_name = "orders"\n}\n',
  'other/main.tf': 'resource "aws_lambda_permission" "open" {\n  action        = "lambda:InvokeFunction"\n  function_name = "orders"\n  principal     = "*"\n}\n',
  'cfn/template.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      TargetFunctionArn: arn:aws:lambda:us-east-1:111122223333:function:orders\n',
};

async function changed(root: string, ...paths: string[]) {
  const result = await scan({ paths, cwd: root, changedOnly: true });
  return result.findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line]);
}

describe('--changed-only (pre-commit): changed files scanned with their context, findings reported only for them', () => {
  const root = tempTree(TREE);

  it('a Terraform file is analysed with its directory (a local defined elsewhere), and only its findings are reported', async () => {
    expect(await changed(root, 'infra/main.tf')).toEqual([['IG101', 'aws_lambda_permission.via_local', 'infra/main.tf', 4]]);
    // The same file scanned alone cannot know local.everyone: the context is what finds it.
    expect((await scan({ paths: ['infra/main.tf'], cwd: root })).findings).toEqual([]);
  });

  it('a changed policy reports its finding even when the document it uses stands in another file; so does the changed document', async () => {
    expect(await changed(root, 'infra/policy.tf')).toEqual([['IG201', 'aws_iam_policy.invoker', 'infra/data.tf', 3]]);
    expect(await changed(root, 'infra/data.tf')).toEqual([['IG201', 'aws_iam_policy.invoker', 'infra/data.tf', 3]]);
  });

  it('a clean changed file reports nothing, though its directory has findings', async () => {
    expect(await changed(root, 'infra/clean.tf')).toEqual([]);
  });

  it('templates are complete in themselves; several files are reported together', async () => {
    expect(await changed(root, 'cfn/template.yaml', 'other/main.tf')).toEqual([
      ['IG104', 'Url', 'cfn/template.yaml', 6],
      ['IG101', 'aws_lambda_permission.open', 'other/main.tf', 4],
    ]);
  });

  it('from the CLI as the pre-commit hook runs it: exit 1 on a finding in the files, 0 when they are clean', async () => {
    const bad = await runCaptured(['--changed-only', 'infra/main.tf', 'infra/clean.tf'], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('aws_lambda_permission.via_local');
    expect(bad.stdout).not.toContain('aws_iam_policy.invoker');
    expect((await runCaptured(['--changed-only', 'infra/clean.tf'], { cwd: root })).code).toBe(0);
    expect((await runCaptured(['--changed-only', 'infra/missing.tf'], { cwd: root })).code).toBe(2);
  });
});

/** The probes: findings whose values are written in another file than the attribute (test/fixtures/changed-only). */
const PROBES = join(REPO_ROOT, 'test', 'fixtures', 'changed-only');

async function changedIn(fixture: string, ...paths: string[]) {
  return changed(join(PROBES, fixture), ...paths);
}

describe('--changed-only reports a finding when a value it rests on was written in a changed file', () => {
  it('a variable default, a local: the grant at the attribute in the unchanged file is reported', async () => {
    expect(await changedIn('values-elsewhere', 'variables.tf')).toEqual([['IG104', 'aws_lambda_function_url.u', 'main.tf', 3]]);
    expect(await changedIn('values-elsewhere', 'locals.tf')).toEqual([['IG101', 'aws_lambda_permission.p', 'main.tf', 8]]);
  });

  it('a changed file the grants do not rest on reports nothing', async () => {
    expect(await changedIn('values-elsewhere', 'versions.tf')).toEqual([]);
  });

  it('a local that forwards a variable: the local\'s file counts, though the literal stands in the variable\'s', async () => {
    expect(await changedIn('local-hop', 'locals.tf')).toEqual([['IG101', 'aws_lambda_permission.p', 'main.tf', 4]]);
    expect(await changedIn('local-hop', 'variables.tf')).toEqual([['IG101', 'aws_lambda_permission.p', 'main.tf', 4]]);
  });

  it('a terraform.tfvars entry', async () => {
    expect(await changedIn('tfvars-and-modules', 'terraform.tfvars')).toEqual([['IG104', 'aws_lambda_function_url.tfvars_auth', 'main.tf', 18]]);
  });

  it('a module call\'s arguments: the local modules it calls (and those they call) are scanned, their grants reported', async () => {
    expect(await changedIn('module-caller', 'main.tf')).toEqual([
      // NONE passed by the module block: reported at that argument, the place to change.
      ['IG104', 'module.url.aws_lambda_function_url.u', 'main.tf', 9],
      ['IG101', 'module.perm.aws_lambda_permission.p', 'modules/perm/main.tf', 9],
    ]);
    expect(await changedIn('tfvars-and-modules', 'main.tf')).toEqual([
      ['IG104', 'aws_lambda_function_url.tfvars_auth', 'main.tf', 18],
      ['IG104', 'module.api.module.inner.aws_lambda_function_url.this', 'main.tf', 24],
      ['IG101', 'module.api.module.inner.aws_lambda_permission.this', 'modules/fn/main.tf', 16],
      ['IG101', 'module.fanout["b"].aws_lambda_permission.this', 'modules/fn/main.tf', 16],
    ]);
  });

  it('a module the repository root holds is read (an example calling "../../"); one outside the scan\'s folder is not', async () => {
    const permission = 'variable "principal" { type = string }\nresource "aws_lambda_permission" "p" {\n  action        = "lambda:InvokeFunction"\n  function_name = "orders"\n  principal     = var.principal\n}\n';
    const root = tempTree({
      'repo/main.tf': permission,
      'repo/examples/open/main.tf': 'module "fn" {\n  source    = "../../"\n  principal = "*"\n}\n',
      'repo/calls-outside/main.tf': 'module "fn" {\n  source    = "../../elsewhere"\n  principal = "*"\n}\n',
      'elsewhere/main.tf': permission,
    });
    expect(await changed(join(root, 'repo'), 'examples/open/main.tf')).toEqual([['IG101', 'module.fn.aws_lambda_permission.p', 'main.tf', 5]]);
    expect(await changed(join(root, 'repo'), 'calls-outside/main.tf')).toEqual([]);
  });

  it('a variable default that attaches a policy: the policy\'s findings, and the execution role it reaches', async () => {
    expect(await changedIn('execution-roles', 'variables.tf')).toEqual([
      ['IG301', 'aws_iam_role.exec', 'main.tf', 5],
      ['IG303', 'aws_iam_role.exec', 'main.tf', 9],
      ...['IG201', 'IG202', 'IG205'].map((rule) => [rule, 'aws_iam_role_policy_attachment.extra["arn:aws:iam::aws:policy/AdministratorAccess"]', 'variables.tf', 3]),
    ]);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares a node hook that passes Terraform, OpenTofu, JSON, YAML and .template filenames to the package binary in --changed-only mode', () => {
    const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: 'invokeguard', language: 'node', pass_filenames: true, types: ['text'] });
    // pre-commit matches `files` with Python's re.search; these patterns mean the same in JavaScript.
    const files = new RegExp(String(hook.files));
    for (const name of ['main.tf', 'main.tofu', 'cdk.tofu.json', 'cdk.tf.json', 'prod.auto.tfvars', 'template.yaml', 'sam.yml', 'stack.template', 'policy.json', 'dir/x.tf']) expect(files.test(name)).toBe(true);
    for (const name of ['main.py', 'README.md', 'main.tf.bak', 'Makefile']) expect(files.test(name)).toBe(false);
    const [command, ...args] = String(hook.entry).split(/\s+/);
    expect(Object.keys(pkg.bin)).toContain(command);
    expect(args).toEqual(['--changed-only']);
    // pre-commit installs the hook with `npm pack`: the package must build itself then.
    expect(pkg.scripts.prepack).toMatch(/build/);
  });
});
