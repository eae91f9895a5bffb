import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../../src/discover/display-path.js';
import { referencedFileReader } from '../../src/discover/referenced-files.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

const ORG = `resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_policy" "scp" {
  name    = "scp"
  content = file("\${path.module}/scps/scp.json")
}

resource "aws_organizations_policy_attachment" "scp" {
  policy_id = aws_organizations_policy.scp.id
  target_id = aws_organizations_organization.org.roots[0].id
}
`;

const DENY_PUBLIC_URLS = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": ["lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"],
      "Resource": "*",
      "Condition": { "StringEquals": { "lambda:FunctionUrlAuthType": "NONE" } }
    }
  ]
}
`;

/** Denies work in two regions only: nothing about Lambda's invoke paths. */
const REGIONS_ONLY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": { "StringEquals": { "aws:RequestedRegion": ["ap-east-1", "me-south-1"] } }
    }
  ]
}
`;

const LAMBDA_ADMIN = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "lambda:*",
      "Resource": "*"
    }
  ]
}
`;

const POLICY = (path: string) => `resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = file("${path}")
}
`;

async function triples(root: string, rules: RegExp = /./) {
  const { findings } = await scan({ paths: ['.'], cwd: root });
  return findings.filter((f) => rules.test(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.file, f.range.line]);
}

describe('file() of an SCP', () => {
  it('is read: an SCP denying public URLs satisfies IG401, and the guardrails it does not provide are reported', async () => {
    const root = tempTree({ 'main.tf': ORG, 'scps/scp.json': DENY_PUBLIC_URLS });
    expect(await triples(root, /^IG40[1-5]$/)).toEqual([
      ['IG402', 'aws_organizations_organization.org', 'main.tf', 1],
      ['IG403', 'aws_organizations_organization.org', 'main.tf', 1],
      ['IG405', 'aws_organizations_organization.org', 'main.tf', 1],
    ]);
  });

  it('an SCP about regions does not satisfy IG401', async () => {
    const root = tempTree({ 'main.tf': ORG, 'scps/scp.json': REGIONS_ONLY });
    expect(await triples(root, /^IG401$/)).toEqual([['IG401', 'aws_organizations_organization.org', 'main.tf', 1]]);
  });

  it('an SCP file() cannot read leaves the guardrails undecided, and says so at the content (IG905)', async () => {
    const outside = tempTree({ 'scp.json': DENY_PUBLIC_URLS });
    const root = tempTree({ 'main.tf': ORG.replace('${path.module}/scps/scp.json', join(outside, 'scp.json')) });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.filter((f) => /^IG4|^IG905/.test(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG905', 'aws_organizations_policy.scp', 7]]);
    expect(findings.find((f) => f.ruleId === 'IG905')!.message).toBe(
      'The content of SCP aws_organizations_policy.scp (file(...)) is not known to the scan, so IG401, IG402, IG403, IG405 cannot tell whether it protects aws_organizations_organization.org (root), and report nothing there.',
    );
  });
});

describe('file() of an identity policy', () => {
  it('locates its grants in the JSON file, reported once: by the Terraform resource, not again as a raw policy file', async () => {
    const root = tempTree({ 'main.tf': POLICY('policies/deployer.json'), 'policies/deployer.json': LAMBDA_ADMIN });
    expect(await triples(root, /^IG20[12]$/)).toEqual([
      ['IG201', 'aws_iam_policy.deployer', 'policies/deployer.json', 6],
      ['IG202', 'aws_iam_policy.deployer', 'policies/deployer.json', 6],
    ]);
  });

  it('jsondecode of the text keeps its positions', async () => {
    const text = `resource "aws_iam_policy" "deployer" {
  policy = jsonencode(jsondecode(file("\${path.root}/deployer.json")))
}
`;
    const root = tempTree({ 'main.tf': text, 'deployer.json': LAMBDA_ADMIN });
    expect(await triples(root, /^IG202$/)).toEqual([['IG202', 'aws_iam_policy.deployer', 'deployer.json', 6]]);
  });

  it('templatefile() evaluates interpolations with only its vars in scope, located in the template', async () => {
    const template = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "${action}",\n      "Resource": "${arn}"\n    }\n  ]\n}\n';
    const call = (vars: string) => `resource "aws_iam_policy" "deployer" {\n  policy = templatefile("\${path.module}/deployer.json.tpl", ${vars})\n}\n`;
    const root = tempTree({
      'known/main.tf': call('{ action = "lambda:*", arn = "*" }'),
      'known/deployer.json.tpl': template,
      // `var.action` is not in the template's scope: Terraform refuses it; here it is unknown, and nothing is guessed.
      'scoped/main.tf': 'variable "action" {\n  default = "lambda:*"\n}\n\n' + call('{ arn = "*" }'),
      'scoped/deployer.json.tpl': template.replace('${action}', '${var.action}'),
      // Directives render with the vars: the branch taken and each loop item, located in the template.
      'directive/main.tf': call('{ actions = ["s3:GetObject", "lambda:*"], arn = "*", scoped = false }'),
      'directive/deployer.json.tpl': template
        .replace('"${action}"', '[%{ for i, a in actions }%{ if i > 0 }, %{ endif }"${a}"%{ endfor ~}\n      ]')
        .replace('"${arn}"', '"%{ if scoped }arn:aws:lambda:us-east-1:123456789012:function:x%{ else }${arn}%{ endif }"'),
      // A condition the vars do not make known leaves the policy unknown: nothing is guessed.
      'unknown/main.tf': 'variable "scoped" {}\n\n' + call('{ action = "lambda:*", arn = "*", scoped = var.scoped }'),
      'unknown/deployer.json.tpl': template.replace('"${arn}"', '"%{ if scoped }arn:aws:lambda:us-east-1:123456789012:function:x%{ else }${arn}%{ endif }"'),
    });
    expect(await triples(root, /^IG202$/)).toEqual([
      ['IG202', 'aws_iam_policy.deployer', 'directive/deployer.json.tpl', 6],
      ['IG202', 'aws_iam_policy.deployer', 'known/deployer.json.tpl', 6],
    ]);
  });

  it('path.module is the module folder in each module instance (one read serves both)', async () => {
    const root = tempTree({
      'env/main.tf': 'module "a" {\n  source = "../modules/policy"\n}\n\nmodule "b" {\n  source = "../modules/policy"\n}\n',
      'modules/policy/main.tf': POLICY('${path.module}/admin.json'),
      'modules/policy/admin.json': LAMBDA_ADMIN,
    });
    expect(await triples(root, /^IG202$/)).toEqual([
      ['IG202', 'module.a.aws_iam_policy.deployer', 'modules/policy/admin.json', 6],
      ['IG202', 'module.b.aws_iam_policy.deployer', 'modules/policy/admin.json', 6],
    ]);
  });

  it('a path that leaves the scan, a symlink out of it, or a missing file is not read: the policy stays unknown', async () => {
    const outside = tempTree({ 'secret.json': LAMBDA_ADMIN });
    const root = tempTree({
      'escape/main.tf': POLICY(`../../${outside.split('/').pop()}/secret.json`),
      'absolute/main.tf': POLICY(join(outside, 'secret.json')),
      'link/main.tf': POLICY('policy.json'),
      'missing/main.tf': POLICY('nothing.json'),
    });
    symlinkSync(join(outside, 'secret.json'), join(root, 'link/policy.json'));
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.filter((f) => /^IG2/.test(f.ruleId))).toEqual([]);
  });
});

describe('file() of a file the scan excludes', () => {
  // `exclude` and .gitignore decide which files are scanned on their own; a file the scanned code reads
  // is what Terraform deploys, so it is read, and its grants are reported where they are written.
  const IG202_ONLY = 'rules:\n  IG201: off\n  IG205: off\n';
  const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: Array<{ ruleId: string; resource: string; file: string; line: number }> }).findings.map((f) => [f.ruleId, f.resource, f.file, f.line]);

  it('is read, and its grants are reported in it, once: excluded by the config or by .gitignore', async () => {
    const root = tempTree({
      'config/main.tf': POLICY('${path.module}/legacy/deployer.json'),
      'config/legacy/deployer.json': LAMBDA_ADMIN,
      'git/main.tf': POLICY('${path.module}/build/deployer.json'),
      'git/build/deployer.json': LAMBDA_ADMIN,
      // Excluded and read by nothing: not scanned.
      'config/legacy/unused.json': LAMBDA_ADMIN,
      '.gitignore': 'build/\n',
      '.invokeguard.yml': `exclude: ['**/legacy/**']\n${IG202_ONLY}`,
    });
    const run = await runCaptured(['.', '--format', 'json'], { cwd: root });
    expect(findingsOf(run.stdout)).toEqual([
      ['IG202', 'aws_iam_policy.deployer', 'config/legacy/deployer.json', 6],
      ['IG202', 'aws_iam_policy.deployer', 'git/build/deployer.json', 6],
    ]);
  });

  it('is silenced by a suppression on the resource that reads it, or by excluding the file that reads it', async () => {
    const root = tempTree({
      'suppressed/main.tf': `# invokeguard:ignore IG202 the deployer role is break-glass\n${POLICY('${path.module}/legacy/deployer.json')}`,
      'suppressed/legacy/deployer.json': LAMBDA_ADMIN,
      'excluded/main.tf': POLICY('${path.module}/deployer.json'),
      'excluded/deployer.json': LAMBDA_ADMIN,
      '.invokeguard.yml': `exclude: ['**/legacy/**', 'excluded/main.tf']\n${IG202_ONLY}`,
    });
    const run = await runCaptured(['.', '--format', 'json'], { cwd: root });
    // excluded/deployer.json, no longer read by a scanned resource, is scanned on its own as a raw policy file.
    expect(findingsOf(run.stdout)).toEqual([['IG202', 'excluded/deployer.json', 'excluded/deployer.json', 6]]);
  });
});

describe('--fix of a finding in a file file() read', () => {
  const TRUST = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "Service": "lambda.amazonaws.com" },\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n';
  const ROLES = ['a', 'b']
    .map((n) => `resource "aws_iam_role" "${n}" {\n  assume_role_policy = file("\${path.module}/trust.json")\n}\n\nresource "aws_lambda_function" "${n}" {\n  role = aws_iam_role.${n}.arn\n}\n`)
    .join('\n');

  it('edits the JSON file once for every role reading it, and a second run changes nothing', async () => {
    const root = tempTree({ 'main.tf': ROLES, 'trust.json': TRUST, '.invokeguard.yml': 'accounts:\n  - "111122223333"\n' });
    expect(await triples(root, /^IG303$/)).toEqual([
      ['IG303', 'aws_iam_role.a', 'trust.json', 4],
      ['IG303', 'aws_iam_role.b', 'trust.json', 4],
    ]);
    expect((await runCaptured(['--fix', '.'], { cwd: root })).code).toBe(0);
    const fixed = readFileSync(join(root, 'trust.json'), 'utf8');
    expect(JSON.parse(fixed).Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
    expect(await triples(root, /^IG303$/)).toEqual([]);
    await runCaptured(['--fix', '.'], { cwd: root });
    expect(readFileSync(join(root, 'trust.json'), 'utf8')).toBe(fixed);
  });
});

describe('referencedFileReader', () => {
  it('reads a file inside the scanned folder once, and nothing outside it, through a symlink, or that is not a regular UTF-8 file', () => {
    const outside = tempTree({ 'secret.json': '{}' });
    const root = tempTree({ 'in/policy.json': '{"Statement": []}', 'in/big.json': 'x'.repeat(100), 'in/latin1.json': Buffer.from([0x7b, 0xe9, 0x7d]) });
    symlinkSync(join(outside, 'secret.json'), join(root, 'in/out.json'));
    symlinkSync(join(root, 'in/policy.json'), join(root, 'in/alias.json'));
    mkdirSync(join(root, 'in/folder.json'));
    const read = referencedFileReader({ cwd: root, scanned: ['in'], maxFileBytes: 50, display: displayPath(root) });
    const found = read('in/policy.json');
    expect(found).toEqual({ file: 'in/policy.json', text: '{"Statement": []}' });
    expect(read(join(root, 'in/policy.json'))).toBe(found);
    expect(read('in/alias.json')).toEqual({ file: 'in/alias.json', text: '{"Statement": []}' });
    for (const path of ['in/out.json', join(outside, 'secret.json'), 'in/../../secret.json', 'in/missing.json', 'in/big.json', 'in/latin1.json', 'in/folder.json', 'in']) expect(read(path)).toBeUndefined();
  });

  it('uses the text given for a file instead of what is on disk (the fix stage checks edits before writing)', () => {
    const root = tempTree({ 'policy.json': 'on disk' });
    writeFileSync(join(root, 'other.json'), 'x');
    const read = referencedFileReader({ cwd: root, scanned: ['.'], contents: new Map([[join(root, 'policy.json'), 'edited']]), display: displayPath(root) });
    expect(read('policy.json')?.text).toBe('edited');
  });
});
