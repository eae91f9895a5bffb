import { describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../src/discover/discover.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** terraform-aws-modules/lambda as published (unmodified, in the real-world sample when it is present). */
const LAMBDA_MODULE_SOURCE = join(REPO_ROOT, '..', 'shared', 'realworld', 'terraform-aws-modules__terraform-aws-lambda');

/** A module as terraform-aws-modules/lambda writes its URL: off unless asked for, and NONE unless told otherwise. */
const LAMBDA_MODULE = `variable "function_name" {}
variable "create_lambda_function_url" { default = false }
variable "authorization_type" { default = "NONE" }

resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = "arn:aws:iam::111122223333:role/x"
}

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.authorization_type
}
`;

const MAIN = `module "public" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "7.2.1"
  function_name = "api"
}

module "private" {
  source             = "terraform-aws-modules/lambda/aws"
  version            = "7.2.1"
  function_name      = "private"
  authorization_type = "AWS_IAM"
}
`;

const entry = (key: string, dir: string) => ({ Key: key, Source: 'registry.terraform.io/terraform-aws-modules/lambda/aws', Version: '7.2.1', Dir: dir });

function initialisedRoot(): string {
  return tempTree({
    'main.tf': MAIN,
    '.gitignore': '.terraform/\n',
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, entry('public', '.terraform/modules/public'), entry('private', '.terraform/modules/private')] }),
    '.terraform/modules/public/main.tf': LAMBDA_MODULE,
    '.terraform/modules/private/main.tf': LAMBDA_MODULE,
    // Not named by the manifest: never read.
    '.terraform/modules/stale/main.tf': 'resource "aws_lambda_permission" "p" {\n  principal = "*"\n}\n',
  });
}

describe('modules installed by terraform init', () => {
  it('reads the code of each module call the manifest lists, and nothing else under .terraform', async () => {
    const root = initialisedRoot();
    const { files, modules } = await discover(['.'], root);
    expect(files.map((f) => f.path.slice(root.length + 1))).toEqual(['.terraform/modules/private/main.tf', '.terraform/modules/public/main.tf', 'main.tf']);
    expect(modules.map((m) => [m.callerDir === root, m.name, m.dir.slice(root.length + 1), m.source, m.version])).toEqual([
      [true, 'public', '.terraform/modules/public', 'registry.terraform.io/terraform-aws-modules/lambda/aws', '7.2.1'],
      [true, 'private', '.terraform/modules/private', 'registry.terraform.io/terraform-aws-modules/lambda/aws', '7.2.1'],
    ]);
  });

  it('analyses each call with the inputs it passes, and reports at the module block with the place in the module code', async () => {
    const root = initialisedRoot();
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG104', 'module.public.aws_lambda_function_url.this', 'main.tf', 1]]);
    expect(findings[0].message).toContain('(in the code of module terraform-aws-modules/lambda/aws 7.2.1, .terraform/modules/public/main.tf:12)');
    expect(findings[0].fix).toBeUndefined();
  });

  it('brings the installed modules along when files are named one by one (pre-commit, --changed-only)', async () => {
    const root = initialisedRoot();
    const { findings } = await scan({ paths: ['main.tf'], cwd: root, changedOnly: true });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG104', 'module.public.aws_lambda_function_url.this', 'main.tf', 1]]);
    const { modules } = await discover(['main.tf', '.'], root);
    expect(modules).toHaveLength(2); // once, though both the file and its folder were given
  });

  it('reads none of it with --no-installed-modules', async () => {
    const root = initialisedRoot();
    const { files, modules } = await discover(['.', 'main.tf'], root, { installedModules: false });
    expect([files.map((f) => f.path.slice(root.length + 1)), modules]).toEqual([['main.tf'], []]);
    const run = await runCaptured(['.', '--no-installed-modules', '--format', 'json'], { cwd: root });
    expect([run.code, (JSON.parse(run.stdout) as { findings: unknown[] }).findings]).toEqual([0, []]);
  });

  it('never edits installed code with --fix, and a suppression on the module block applies', async () => {
    const root = initialisedRoot();
    const before = readFileSync(join(root, '.terraform/modules/public/main.tf'), 'utf8');
    await runCaptured(['.', '--fix'], { cwd: root });
    expect(readFileSync(join(root, '.terraform/modules/public/main.tf'), 'utf8')).toBe(before);
    writeFileSync(join(root, 'main.tf'), `# invokeguard:ignore IG104 public by design, behind CloudFront\n${MAIN}`);
    const { findings, suppressed } = await scan({ paths: ['.'], cwd: root });
    expect(findings).toEqual([]);
    expect(suppressed?.map((s) => s.finding.resource)).toEqual(['module.public.aws_lambda_function_url.this']);
  });

  it('follows nested calls by their dotted key, and refuses module folders that resolve outside .terraform/modules', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'invokeguard-outside-'));
    writeFileSync(join(outside, 'main.tf'), LAMBDA_MODULE);
    const root = tempTree({
      'main.tf': 'module "app" {\n  source = "git::https://example.com/app.git"\n}\nmodule "escape" {\n  source = "git::https://example.com/x.git"\n  function_name = "x"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [entry('app', '.terraform/modules/app'), entry('app.fn', '.terraform/modules/app.fn'), entry('escape', '.terraform/modules/escape'), entry('gone', '.terraform/modules/gone')],
      }),
      '.terraform/modules/app/main.tf': 'module "fn" {\n  source = "terraform-aws-modules/lambda/aws"\n  function_name = "nested"\n}\n',
      '.terraform/modules/app.fn/main.tf': LAMBDA_MODULE,
    });
    mkdirSync(join(root, '.terraform/modules'), { recursive: true });
    symlinkSync(outside, join(root, '.terraform/modules/escape'));
    const { findings, notices } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG104', 'module.app.module.fn.aws_lambda_function_url.this', 'main.tf', 1]]);
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/^installed module folder resolves outside \.terraform\/modules/)]);
  });

  it('reads a module folder whose name starts with two dots, and not one the manifest places outside .terraform/modules by a ../ path', async () => {
    const root = tempTree({
      'main.tf': 'module "dots" {\n  source = "git::https://example.com/dots.git"\n  function_name = "dots"\n}\nmodule "up" {\n  source = "git::https://example.com/up.git"\n  function_name = "up"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [entry('dots', '.terraform/modules/..dots'), entry('up', '.terraform/modules/../up')] }),
      '.terraform/modules/..dots/main.tf': LAMBDA_MODULE,
      '.terraform/up/main.tf': LAMBDA_MODULE,
    });
    const { files, modules } = await discover(['.'], root);
    expect(files.map((f) => f.path.slice(root.length + 1))).toEqual(['.terraform/modules/..dots/main.tf', 'main.tf']);
    expect(modules.map((m) => [m.name, m.dir.slice(root.length + 1)])).toEqual([['dots', '.terraform/modules/..dots']]);
  });

  it('says so when the manifest cannot be read, and scans the rest', async () => {
    const root = tempTree({ 'main.tf': MAIN, '.terraform/modules/modules.json': '{ not json' });
    const { notices, findings } = await scan({ paths: ['.'], cwd: root });
    expect(notices.map((n) => [n.path, n.message])).toEqual([['.terraform/modules/modules.json', 'module manifest unreadable; downloaded modules not analysed']]);
    expect(findings).toEqual([]);
  });

  (existsSync(LAMBDA_MODULE_SOURCE) ? it : it.skip)('finds the public URL terraform-aws-modules/lambda creates when asked for one, and only there', async () => {
    const root = tempTree({
      'main.tf': [
        'module "public" {\n  source = "terraform-aws-modules/lambda/aws"\n  function_name = "public"\n  handler = "index.handler"\n  runtime = "nodejs20.x"\n  create_package = false\n  local_existing_package = "fn.zip"\n  create_lambda_function_url = true\n}\n',
        'module "plain" {\n  source = "terraform-aws-modules/lambda/aws"\n  function_name = "plain"\n  handler = "index.handler"\n  runtime = "nodejs20.x"\n  create_package = false\n  local_existing_package = "fn.zip"\n}\n',
      ].join('\n'),
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [entry('public', '.terraform/modules/public'), entry('plain', '.terraform/modules/plain')] }),
    });
    for (const key of ['public', 'plain']) cpSync(LAMBDA_MODULE_SOURCE, join(root, '.terraform/modules', key), { recursive: true, filter: (from) => !/[\\/](examples|wrappers)$/.test(from) });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    // create_lambda_function_url defaults to false (count 0); authorization_type defaults to NONE.
    expect(findings.filter((f) => f.ruleId === 'IG104').map((f) => [f.resource, f.range.file, f.range.line])).toEqual([['module.public.aws_lambda_function_url.this[0]', 'main.tf', 1]]);
    expect(findings.every((f) => f.range.file === 'main.tf')).toBe(true);
  }, 30_000);
});
