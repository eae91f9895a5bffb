import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvokeguardConfig } from '../../src/config/config.js';
import type { TextEdit } from '../../src/fix/types.js';
import type { Finding } from '../../src/rules/types.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempCopy, tempTree } from '../helpers/temp-tree.js';

const ACCOUNT = '111122223333';
const CONFIG: InvokeguardConfig = { file: '.invokeguard.yml', rules: {}, accounts: [ACCOUNT], cidrs: [], include: [], exclude: [] };
const fixture = (path: string) => readFileSync(join(REPO_ROOT, 'test/fixtures', path), 'utf8');

/** A Lambda function the IG201 policies can name, in each format (CloudFormation: inside the template). */
const FUNCTION_TF = 'resource "aws_lambda_function" "orders" {\n  function_name = "orders"\n}\n';
const CALLER_IDENTITY = 'data "aws_caller_identity" "me" {}\n';
const withCfnFunctionYaml = (text: string) => `${text.trimEnd()}\n  Orders:\n    Type: AWS::Lambda::Function\n`;
const withCfnFunctionJson = (text: string) => text.replace('"Resources": {', '"Resources": {\n    "Orders": { "Type": "AWS::Lambda::Function" },');

const IG105_CFN_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Everything:
    Type: AWS::Lambda::Permission
    Properties:
      Action: "lambda:*" # keep this comment
      FunctionName: orders
      Principal: "123456789012"
`;
const IG105_CFN_JSON = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Everything": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "Action": "lambda:*", "FunctionName": "orders", "Principal": "123456789012" }
    },
    "Read": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "Action": "lambda:Get*", "FunctionName": "orders", "Principal": "123456789012" }
    }
  }
}
`;
const IG105_TF_JSON = `{
  "resource": {
    "aws_lambda_permission": {
      "everything": { "action": "lambda:*", "function_name": "orders", "principal": "123456789012" }
    }
  }
}
`;

interface Case {
  rule: string;
  file: string;
  text: string;
  extra?: Record<string, string>;
}

/** Every fixable rule in every format it can be fixed in: the failing fixture (plus what the fix needs to name). */
const CASES: Case[] = [
  { rule: 'IG102', file: 'main.tf', text: fixture('IG102/fail.tf') },
  { rule: 'IG102', file: 'main.tf.json', text: fixture('IG102/fail.tf.json') },
  { rule: 'IG102', file: 'template.yaml', text: fixture('IG102/fail.cfn.yaml') },
  { rule: 'IG102', file: 'template.json', text: fixture('IG102/fail.cfn.json') },
  { rule: 'IG104', file: 'main.tf', text: fixture('IG104/fail.tf') },
  { rule: 'IG104', file: 'main.tf.json', text: fixture('IG104/fail.tf.json') },
  { rule: 'IG104', file: 'template.yaml', text: fixture('IG104/fail.cfn.yaml') },
  { rule: 'IG104', file: 'template.json', text: fixture('IG104/fail.cfn.json') },
  { rule: 'IG105', file: 'main.tf', text: fixture('IG105/fail.tf') },
  { rule: 'IG105', file: 'main.tf.json', text: IG105_TF_JSON },
  { rule: 'IG105', file: 'template.yaml', text: IG105_CFN_YAML },
  { rule: 'IG105', file: 'template.json', text: IG105_CFN_JSON },
  { rule: 'IG201', file: 'main.tf', text: fixture('IG201/fail.tf'), extra: { 'functions.tf': FUNCTION_TF } },
  { rule: 'IG201', file: 'main.tf.json', text: fixture('IG201/fail.tf.json'), extra: { 'functions.tf': FUNCTION_TF } },
  { rule: 'IG201', file: 'template.yaml', text: withCfnFunctionYaml(fixture('IG201/fail.cfn.yaml')) },
  { rule: 'IG201', file: 'template.json', text: withCfnFunctionJson(fixture('IG201/fail.cfn.json')) },
  // aws_iam_policy_document, jsonencode and heredoc JSON; the configured account, then a data source of the module.
  { rule: 'IG303', file: 'main.tf', text: fixture('IG303/fail.tf') },
  { rule: 'IG303', file: 'main.tf', text: fixture('IG303/fail.tf'), extra: { 'identity.tf': CALLER_IDENTITY } },
  { rule: 'IG303', file: 'template.yaml', text: fixture('IG303/fail.cfn.yaml') },
  { rule: 'IG303', file: 'template.json', text: fixture('IG303/fail.cfn.json') },
];

async function scanDir(dir: string) {
  return (await scan({ paths: ['.'], cwd: dir, config: CONFIG })).findings;
}

const editsOf = (findings: Finding[], file: string): TextEdit[] => findings.flatMap((f) => f.fix?.edits ?? []).filter((e) => e.file === file);

/** Every byte outside the edited ranges is where the edits leave it. */
function expectOnlyEditedRanges(before: string, after: string, edits: TextEdit[]): void {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let shift = 0;
  let cursor = 0;
  for (const edit of sorted) {
    expect(after.slice(cursor + shift, edit.start + shift)).toBe(before.slice(cursor, edit.start));
    expect(after.slice(edit.start + shift, edit.start + shift + edit.text.length)).toBe(edit.text);
    shift += edit.text.length - (edit.end - edit.start);
    cursor = edit.end;
  }
  expect(after.slice(cursor + shift)).toBe(before.slice(cursor));
}

describe('--fix, per rule and format', () => {
  it.each(CASES.map((c) => [c.rule, [c.file, ...Object.keys(c.extra ?? {})].join(' + '), c] as const))('%s in %s: still parses, the fixed findings are gone, nothing else changed', async (rule, _label, c) => {
    const file = c.file;
    const dir = tempTree({ [file]: c.text, ...(c.extra ?? {}), '.invokeguard.yml': `accounts: ['${ACCOUNT}']\n` });
    const before = await scanDir(dir);
    const ofRule = before.filter((f) => f.ruleId === rule && f.range.file === file);
    const fixable = ofRule.filter((f) => (f.fix?.edits.length ?? 0) > 0);
    expect(fixable.length).toBeGreaterThan(0);
    // A finding left for a human says why in its fix description.
    for (const f of ofRule.filter((x) => !fixable.includes(x))) expect(f.fix?.description).toMatch(/Not applied by --fix|--fix edits only/);

    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/not fixed/);
    const after = await scanDir(dir);
    expect(after.filter((f) => f.ruleId === 'IG901')).toEqual([]);
    const left = after.filter((f) => f.ruleId === rule && f.range.file === file).map((f) => f.resource);
    expect(left).toEqual(ofRule.filter((f) => !fixable.includes(f)).map((f) => f.resource));
    const fixed = readFileSync(join(dir, file), 'utf8');
    expectOnlyEditedRanges(c.text, fixed, editsOf(before, file));
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, file), 'utf8')).toBe(fixed);
  });

  it('keeps comments and layout around an edit', async () => {
    const dir = tempTree({ 'template.yaml': IG105_CFN_YAML });
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(IG105_CFN_YAML.replace('"lambda:*"', 'lambda:InvokeFunction'));
  });

  it('IG105 narrows only an action that covers invoke: narrowing lambda:Get* or lambda:GetFunction would grant invoke', async () => {
    const tf = (name: string, action: string) => `resource "aws_lambda_permission" "${name}" {\n  action        = "${action}"\n  function_name = "orders"\n  principal     = "123456789012"\n}\n`;
    const main = [tf('read', 'lambda:Get*'), tf('get_function', 'lambda:GetFunction'), tf('everything', 'lambda:*'), tf('invoke_star', 'lambda:Invoke*'), tf('star', '*')].join('\n');
    const template = `Resources:\n  Read:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:Get*\n      FunctionName: orders\n      Principal: "123456789012"\n  Everything:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:*\n      FunctionName: orders\n      Principal: "123456789012"\n`;
    const dir = tempTree({ 'main.tf': main, 'template.yaml': template });
    const before = (await scanDir(dir)).filter((f) => f.ruleId === 'IG105');
    const noEdits = before.filter((f) => f.fix?.edits.length === 0);
    expect(noEdits.map((f) => [f.range.file, f.range.line])).toEqual([
      ['main.tf', 2],
      ['main.tf', 8],
      ['template.yaml', 5],
    ]);
    expect(noEdits.map((f) => f.fix?.description)).toEqual([
      'Set action to lambda:InvokeFunction if the grantee should invoke the function, or remove the permission. Not applied by --fix: "lambda:Get*" grants no invoke today, so the change would grant it.',
      'Set action to lambda:InvokeFunction if the grantee should invoke the function, or remove the permission. Not applied by --fix: "lambda:GetFunction" grants no invoke today, so the change would grant it.',
      'Set Action to lambda:InvokeFunction if the grantee should invoke the function, or remove the permission. Not applied by --fix: "lambda:Get*" grants no invoke today, so the change would grant it.',
    ]);
    // The message says the grant covers no invoke action, not that it covers more than invoke.
    expect(noEdits[1].message).toBe('aws_lambda_permission.get_function grants "lambda:GetFunction", which covers lambda:GetFunction but no invoke action: access other than invoke, which a resource permission never needs.');
    expect(noEdits[1].suggestion).toBe('Remove the permission, or grant only "lambda:InvokeFunction" (or "lambda:InvokeFunctionUrl" for a function URL) if the grantee should invoke the function.');
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(
      [tf('read', 'lambda:Get*'), tf('get_function', 'lambda:GetFunction'), tf('everything', 'lambda:InvokeFunction'), tf('invoke_star', 'lambda:InvokeFunction'), tf('star', 'lambda:InvokeFunction')].join('\n'),
    );
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(template.replace('lambda:*', 'lambda:InvokeFunction'));
  });

  it('writes real references from the scan', async () => {
    const dir = tempTree({ 'template.yaml': fixture('IG102/fail.cfn.yaml'), 'main.tf': fixture('IG201/fail.tf'), 'functions.tf': FUNCTION_TF });
    await runCaptured(['--fix', '.'], { cwd: dir });
    const template = readFileSync(join(dir, 'template.yaml'), 'utf8');
    expect(template).toContain('      Principal: sns.amazonaws.com\n      SourceArn: !Ref Topic\n      SourceAccount: !Ref AWS::AccountId\n');
    expect(template).toContain('      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n      SourceArn: !GetAtt Uploads.Arn\n');
    // The function and its versions and aliases: a call naming one is authorised against the qualified ARN.
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toContain('      Resource = [aws_lambda_function.orders.arn, "${aws_lambda_function.orders.arn}:*"]\n');
  });

  it('writes no reference into a variable default (Terraform refuses one there) and says where to set it instead', async () => {
    const main = `variable "invoke_resources" {\n  default = ["*"]\n}\n${FUNCTION_TF}resource "aws_iam_policy" "invoke" {\n  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = var.invoke_resources }]\n  })\n}\n`;
    const dir = tempTree({ 'main.tf': main });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const ig201 = findings.find((f) => f.ruleId === 'IG201')!;
    expect(ig201.fix!.edits).toEqual([]);
    expect(ig201.fix!.description).toContain('Not applied by --fix: the value stands in a variable default, which cannot refer to resources');
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(main);
  });
});

describe('IG303 --fix', () => {
  it('writes the condition block of aws_iam_policy_document and merges into an existing Condition, naming the data source of the module', async () => {
    const dir = tempTree({ 'main.tf': fixture('IG303/fail.tf'), 'identity.tf': CALLER_IDENTITY });
    await runCaptured(['--fix', '.'], { cwd: dir });
    const fixed = readFileSync(join(dir, 'main.tf'), 'utf8');
    const account = 'data.aws_caller_identity.me.account_id';
    expect(fixed).toContain(
      `      identifiers = ["lambda.amazonaws.com"]\n    }\n    condition {\n      test     = "StringEquals"\n      variable = "aws:SourceAccount"\n      values   = [${account}]\n    }\n  }\n}\n`,
    );
    expect(fixed).toContain(`      Condition = { StringNotEquals = { "aws:SourceAccount" = "444455556666" }, StringEquals = { "aws:SourceAccount" = ${account} } }\n`);
    expect(fixed).toContain(`        "StringEquals": { "aws:RequestedRegion": "eu-west-1", "aws:SourceAccount": "\${${account}}" }\n`);
    expect(fixed).toContain(`        } # the service\n        Condition = { StringEquals = { "aws:SourceAccount" = ${account} } }\n      },\n`);
    // A wildcard pattern scopes nothing: the account equality joins it.
    expect(fixed).toContain(`      Condition = { StringLike = { "aws:SourceAccount" = "*" }, StringEquals = { "aws:SourceAccount" = ${account} } }\n`);
    // One Condition per statement: merged, never a second key.
    expect(fixed.match(/Condition/g)).toHaveLength(fixture('IG303/fail.tf').match(/Condition/g)!.length + 1);
  });

  it('merges into CloudFormation conditions written as blocks and as JSON objects', async () => {
    const dir = tempTree({ 'template.yaml': fixture('IG303/fail.cfn.yaml'), 'template.json': fixture('IG303/fail.cfn.json') });
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toContain('            Condition:\n              StringEquals:\n                aws:RequestedRegion: eu-west-1\n                "aws:SourceAccount": !Ref AWS::AccountId\n');
    expect(readFileSync(join(dir, 'template.json'), 'utf8')).toContain(
      '                "StringNotEquals": { "aws:SourceAccount": "444455556666" },\n                "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }\n',
    );
  });

  it('names the data source of a called module, once for every instance of it', async () => {
    const calls = 'module "a" {\n  source = "./mod"\n}\nmodule "b" {\n  source = "./mod"\n}\n';
    const dir = tempTree({ 'main.tf': calls, 'mod/main.tf': fixture('IG303/fail.tf'), 'mod/identity.tf': CALLER_IDENTITY });
    const before = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG303');
    expect(before.map((f) => f.resource)).toEqual(expect.arrayContaining(['module.a.aws_iam_role.plain', 'module.b.aws_iam_role.plain']));
    expect(before.every((f) => f.fix!.edits.every((e) => e.text.includes('data.aws_caller_identity.me.account_id')))).toBe(true);
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect((await scan({ paths: ['.'], cwd: dir })).findings).toEqual([]);
    expect(readFileSync(join(dir, 'mod/main.tf'), 'utf8').match(/aws:SourceAccount/g)).toHaveLength(fixture('IG303/fail.tf').match(/aws:SourceAccount/g)!.length + 5);
  });

  it('names the functions of the policy\'s own module instance in IG201 fixes, once each, for every instance', async () => {
    const calls = 'module "a" {\n  source = "./mod"\n}\nmodule "b" {\n  source = "./mod"\n}\n';
    const dir = tempTree({ 'main.tf': calls, 'mod/main.tf': fixture('IG201/fail.tf'), 'mod/functions.tf': FUNCTION_TF });
    const before = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(new Set(before.map((f) => f.resource.split('.').slice(0, 2).join('.')))).toEqual(new Set(['module.a', 'module.b']));
    const edited = before.filter((f) => f.fix!.edits.length > 0);
    expect(edited.length).toBeGreaterThanOrEqual(4);
    for (const finding of edited) {
      // One function, the instance's own, named as the module's code names it: not once per instance of the folder.
      expect(finding.fix!.description).toContain(`(${finding.resource.split('.').slice(0, 2).join('.')}.aws_lambda_function.orders)`);
      // Its ARN and its qualified form (`"${…arn}:*"`).
      for (const edit of finding.fix!.edits) expect(edit.text.match(/aws_lambda_function\.\w+\.arn/g)).toEqual(['aws_lambda_function.orders.arn', 'aws_lambda_function.orders.arn']);
    }
  });

  it('uses no data source of another module, and without a known account edits nothing and says why', async () => {
    const dir = tempTree({ 'main.tf': fixture('IG303/fail.tf'), 'modules/other/identity.tf': CALLER_IDENTITY });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const ig303 = findings.filter((f) => f.ruleId === 'IG303');
    expect(ig303).toHaveLength(5);
    for (const f of ig303) {
      expect(f.fix?.edits).toEqual([]);
      expect(f.fix?.description).toMatch(/Not applied by --fix: the role's module declares no data "aws_caller_identity" and the config names no account/);
    }
    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).toMatch(/fixed 0 finding\(s\) in 0 file\(s\)/);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(fixture('IG303/fail.tf'));
  });

  it('refuses a StringEquals that already names aws:SourceAccount without a value, rather than writing the key twice', async () => {
    const text = fixture('IG303/fail.cfn.yaml').replace('aws:RequestedRegion: eu-west-1', 'aws:SourceAccount: []');
    const dir = tempTree({ 'template.yaml': text });
    const regional = (await scan({ paths: ['.'], cwd: dir })).findings.find((f) => f.ruleId === 'IG303' && f.resource === 'Regional');
    expect(regional?.fix?.edits).toEqual([]);
    expect(regional?.fix?.description).toMatch(/Not applied by --fix: its StringEquals already names aws:SourceAccount without a value/);
  });

  it('leaves a trust statement that also names other principals (an account, Lambda@Edge) unedited: the condition would apply to them too', async () => {
    const shared = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
              AWS: arn:aws:iam::444455556666:role/deployer
            Action: sts:AssumeRole
  Edge:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]
            Action: sts:AssumeRole
  Plain:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Shared.Arn
  EdgeFn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Edge.Arn
  PlainFn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Plain.Arn
`;
    const dir = tempTree({ 'template.yaml': shared });
    const found = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG303');
    expect(found.map((f) => [f.resource, f.range.line])).toEqual([
      ['Shared', 9],
      ['Edge', 20],
      ['Plain', 30],
    ]);
    const [sharedFix, edgeFix, plainFix] = found.map((f) => f.fix!);
    expect(sharedFix.edits).toEqual([]);
    expect(sharedFix.description).toMatch(/Not applied by --fix: the statement also trusts AWS: arn:aws:iam::444455556666:role\/deployer, and the condition would apply to them too/);
    expect(edgeFix.edits).toEqual([]);
    expect(edgeFix.description).toMatch(/also trusts Service: edgelambda\.amazonaws\.com/);
    expect(plainFix.edits.length).toBeGreaterThan(0);
    await runCaptured(['--fix', '.'], { cwd: dir });
    const after = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG303');
    expect(after.map((f) => f.resource)).toEqual(['Shared', 'Edge']);
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8').match(/aws:SourceAccount/g)).toHaveLength(1);
  });
});

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const path = join(sub, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

/** Findings of the examples that --fix must remove (the rest of what it fixes is checked generically). */
const FIXED_IN_EXAMPLES: Record<string, string[]> = {
  cloudformation: ['IG303 OrdersRole', 'IG104 OrdersUrl'],
  terraform: ['IG303 aws_iam_role.orders', 'IG104 aws_lambda_function_url.orders'],
};

describe('--fix over the vulnerable examples', () => {
  const examples = readdirSync(join(REPO_ROOT, 'examples'));
  it.each(examples)('%s: leaves only findings that are not auto-fixable; a second run changes nothing', async (example) => {
    const dir = await tempCopy(`examples/${example}/vulnerable`);
    const original = snapshot(dir);
    const fixable = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => (f.fix?.edits.length ?? 0) > 0).map((f) => `${f.ruleId} ${f.resource}`);
    if (FIXED_IN_EXAMPLES[example]) expect(fixable).toEqual(expect.arrayContaining(FIXED_IN_EXAMPLES[example]));
    const first = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(first.code).not.toBe(2);
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const left = findings.map((f) => `${f.ruleId} ${f.resource}`);
    expect(fixable.filter((f) => left.includes(f))).toEqual([]);
    expect(findings.filter((f) => (f.fix?.edits.length ?? 0) > 0).map((f) => `${f.ruleId} ${f.resource}`)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'IG901')).toEqual([]);
    const fixed = snapshot(dir);
    if (['terraform', 'cloudformation', 'sam'].includes(example)) expect(fixed).not.toEqual(original);
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(snapshot(dir)).toEqual(fixed);
  });
});

describe('--fix-dry-run', () => {
  it('prints a unified diff that git apply takes, changes nothing, and matches what --fix writes', async () => {
    const repo = await tempCopy('examples/terraform/vulnerable');
    const cfn = await tempCopy('examples/cloudformation/vulnerable');
    mkdirSync(join(repo, 'cfn'));
    writeFileSync(join(repo, 'cfn', 'template.yaml'), readFileSync(join(cfn, 'template.yaml')));
    execFileSync('git', ['init', '-q', repo]);
    const original = snapshot(repo);
    const dry = await runCaptured(['--fix-dry-run', '.'], { cwd: repo });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/^diff --git a\/cfn\/template.yaml b\/cfn\/template.yaml\n--- a\/cfn\/template.yaml\n\+\+\+ b\/cfn\/template.yaml\n@@ /);
    expect(snapshot(repo)).toEqual(original);
    const patch = `${repo}.patch`;
    writeFileSync(patch, dry.stdout);
    execFileSync('git', ['apply', '--check', patch], { cwd: repo });
    execFileSync('git', ['apply', patch], { cwd: repo });
    // The same tree fixed with --fix: identical result.
    const other = await tempCopy('examples/terraform/vulnerable');
    mkdirSync(join(other, 'cfn'));
    writeFileSync(join(other, 'cfn', 'template.yaml'), readFileSync(join(cfn, 'template.yaml')));
    await runCaptured(['--fix', '.'], { cwd: other });
    const applied = Object.entries(snapshot(repo)).filter(([path]) => !path.startsWith('.git'));
    expect(Object.fromEntries(applied)).toEqual(snapshot(other));
    // Nothing left to fix: an empty diff and exit code 0.
    const again = await runCaptured(['--fix-dry-run', '.'], { cwd: repo });
    expect([again.code, again.stdout]).toEqual([0, '']);
  });
});

describe('IG201 --fix on a Resource written through Fn::Sub', () => {
  const template = (resource: string) =>
    `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Orders:\n    Type: AWS::Lambda::Function\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: lambda:InvokeFunction\n${resource}`;
  const ANY = 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:*';
  const JSON_TEMPLATE = `{\n  "Resources": {\n    "Orders": { "Type": "AWS::Lambda::Function" },\n    "Role": { "Type": "AWS::IAM::Role", "Properties": { "Policies": [{ "PolicyName": "p", "PolicyDocument": { "Statement": [\n      { "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": { "Fn::Sub": "${ANY}" } }\n    ] } }] } }\n  }\n}\n`;

  // [label, file, text, IG201's line (its Action), what the fixed file holds instead of the Sub]
  const BOTH = '[!GetAtt Orders.Arn, !Sub "${Orders.Arn}:*"]';
  const SUBS: Array<[string, string, string, number, string]> = [
    ['the !Sub tag', 'template.yaml', template(`                Resource: !Sub ${ANY}\n`), 13, `                Resource: ${BOTH}\n`],
    ['the !Sub tag on a quoted string', 'template.yaml', template(`                Resource: !Sub '${ANY}'\n`), 13, `                Resource: ${BOTH}\n`],
    ['the !Sub tag on the line above', 'template.yaml', template(`                Resource: !Sub\n                  ${ANY}\n`), 13, `                Resource: ${BOTH}\n`],
    ['the !Sub tag in a list', 'template.yaml', template(`                Resource:\n                  - !Sub ${ANY}\n`), 13, '                Resource:\n                  - !GetAtt Orders.Arn\n                  - !Sub "${Orders.Arn}:*"\n'],
    ['the Fn::Sub key', 'template.yaml', template(`                Resource:\n                  Fn::Sub: ${ANY}\n`), 13, `                Resource:\n                  ${BOTH}\n`],
    ['a plain string below a comment that mentions !Sub', 'template.yaml', template(`                Resource: # was !Sub\n                  "arn:aws:lambda:*:*:function:*"\n`), 13, `                Resource: # was !Sub\n                  ${BOTH}\n`],
    ['the Fn::Sub key, keeping a comment after it', 'template.yaml', template(`                Resource:\n                  Fn::Sub: "${ANY}" # every function\n`), 13, `                Resource:\n                  ${BOTH} # every function\n`],
    ['a JSON Fn::Sub object', 'template.json', JSON_TEMPLATE, 5, '"Resource": [{ "Fn::GetAtt": ["Orders", "Arn"] }, { "Fn::Sub": "${Orders.Arn}:*" }] }'],
  ];

  it.each(SUBS)('replaces %s with the function, not only the string inside it', async (_label, file, text, line, expected) => {
    const dir = tempTree({ [file]: text });
    const before = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(before.map((f) => [f.range.file, f.range.line])).toEqual([[file, line]]);
    expect(before[0].fix!.edits).toHaveLength(1);
    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/not fixed/);
    const fixed = readFileSync(join(dir, file), 'utf8');
    expect(fixed).toContain(expected);
    // The one Sub left is the fix's own (comments aside): not the tag or key the every-function string was written with.
    expect(fixed.replace(/#.*$/gm, '').match(/Sub/g)).toEqual(['Sub']);
    expect((await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201' || f.ruleId === 'IG901')).toEqual([]);
  });

  it('leaves a Fn::Sub with variables to a human, saying why', async () => {
    const dir = tempTree({ 'template.yaml': template(`                Resource:\n                  Fn::Sub: [ 'arn:aws:lambda:\${AWS::Region}:\${Account}:function:*', { Account: !Ref AWS::AccountId } ]\n`) });
    const ig201 = (await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201.map((f) => f.range.line)).toEqual([13]);
    expect(ig201[0].fix!.edits).toEqual([]);
    expect(ig201[0].fix!.description).toContain('Not applied by --fix');
  });
});
