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
