import { describe, expect, it } from '@jest/globals';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { MAX_ROOT_INSTANCES } from '../../src/model/terraform/build-model.js';
import { cli, runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

const PUBLIC_URL = 'resource "aws_lambda_function_url" "u" {\n  authorization_type = "NONE"\n}\n';
const DEPTH = 10_000;
const ALIAS_BOMB = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  'Resources:',
  '  A: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  '  B: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  '  C: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  '  D: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  '  E: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '  F: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  '',
].join('\n');

/** One tree holding every kind of hostile input next to files with real findings. */
function hostileTree(): string {
  const root = tempTree({
    'good/main.tf': PUBLIC_URL,
    'spaced dir ü/naïve file.tf': PUBLIC_URL,
    'bomb.yaml': ALIAS_BOMB,
    'deep.tf': `a = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`,
    'deep-policy.json': `{"Statement": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}\n`,
    'deep-template.yaml': `AWSTemplateFormatVersion: '2010-09-09'\nResources: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`,
    'binary.tf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff]),
    'latin1.tf': Buffer.concat([Buffer.from('# ok\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    'locked/secret.tf': PUBLIC_URL,
  });
  // 50 MB of valid-looking HCL: refused by size before it is read.
  writeFileSync(join(root, 'huge.tf'), `# ${'x'.repeat(50 * 1024 * 1024)}\n`);
  chmodSync(join(root, 'locked/secret.tf'), 0o000);
  symlinkSync(join(root, 'good'), join(root, 'good', 'loop'));
  symlinkSync('/etc', join(root, 'escape'));
  return root;
}

describe('a scan over hostile input finishes, locates each problem, and keeps the good findings', () => {
  it('reports every hostile file as a located IG901 (or a notice for symlinks) and the vulnerable files still fail', async () => {
    const root = hostileTree();
    const started = Date.now();
    const { findings, notices } = await scan({ paths: ['.'], cwd: root });
    expect(Date.now() - started).toBeLessThan(20_000);
    const summary = findings.map((f) => `${f.ruleId} ${f.range.file}:${f.range.line} ${f.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IG104 good\/main\.tf:2 /),
        expect.stringMatching(/^IG104 spaced dir ü\/naïve file\.tf:2 /),
        expect.stringMatching(/^IG901 bomb\.yaml:\d+ .*alias/i),
        expect.stringMatching(/^IG901 deep\.tf:1 nesting deeper than 500 levels/),
        expect.stringMatching(/^IG901 deep-policy\.json:1 nesting deeper than 500 levels/),
        expect.stringMatching(/^IG901 deep-template\.yaml:2 nesting deeper than 500 levels/),
        expect.stringMatching(/^IG901 huge\.tf:1 file is \d+ bytes, over the 5242880-byte limit/),
        expect.stringMatching(/^IG901 binary\.tf:1 binary file/),
        expect.stringMatching(/^IG901 latin1\.tf:2 .*not valid UTF-8/),
      ]),
    );
    for (const f of findings) expect(f.range.line).toBeGreaterThanOrEqual(1);
    // The loop is followed once at most (no duplicate findings through good/loop/...).
    expect(summary.filter((s) => s.startsWith('IG104 good/'))).toHaveLength(1);
    expect(notices.map((n) => `${n.path}: ${n.message}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^escape: symlink points outside the scan root/)]));
    // root reads any file, so only an ordinary user sees the unreadable one.
    if (process.getuid?.() !== 0) expect(summary).toEqual(expect.arrayContaining([expect.stringMatching(/^IG901 locked\/secret\.tf:1 cannot read file/)]));
  }, 30_000);

  it('exits 1 from the CLI (findings), not 2: bad input is a finding, not a crash', async () => {
    const root = hostileTree();
    const run = await runCaptured(['--format', 'json', '.'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  }, 30_000);
});

describe('the file size limit is configurable', () => {
  const tree = () => tempTree({ 'main.tf': PUBLIC_URL, 'big.tf': `# ${'x'.repeat(2000)}\n` });

  it('--max-file-size (bytes, k or M) skips larger files with IG901', async () => {
    const root = tree();
    const run = await runCaptured(['--format', 'json', '--max-file-size', '1k', '.'], { cwd: root });
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string; message: string }> };
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['IG901 big.tf', 'IG104 main.tf']);
    expect(report.findings[0].message).toMatch(/over the 1024-byte limit/);
    expect((await runCaptured(['--max-file-size', 'lots', '.'], { cwd: root })).code).toBe(2);
  });

  it('maxFileBytes in the config does the same, and the flag wins over it', async () => {
    const root = tree();
    writeFileSync(join(root, '.invokeguard.yml'), 'maxFileBytes: 100\n');
    const fromConfig = JSON.parse((await runCaptured(['--format', 'json', '.'], { cwd: root })).stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(fromConfig.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['IG901 big.tf', 'IG104 main.tf']);
    const flagWins = JSON.parse((await runCaptured(['--format', 'json', '--max-file-size', '1M', '.'], { cwd: root })).stdout) as { findings: Array<{ ruleId: string }> };
    expect(flagWins.findings.map((f) => f.ruleId)).toEqual(['IG104']);
    writeFileSync(join(root, '.invokeguard.yml'), 'maxFileBytes: -5\n');
    const invalid = await runCaptured(['.'], { cwd: root });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/maxFileBytes" must be a positive whole number/);
  });

  it('the help lists both flags', async () => {
    const help = await cli('--help');
    expect(help.stdout).toMatch(/--max-file-size <bytes>/);
    expect(help.stdout).toMatch(/--keep-going/);
  });
});

describe('a count bomb across nested modules (100 × 100 × 100 permissions)', () => {
  it('finishes quickly with the expansion cut at the budget, and says so at the block where it stopped', async () => {
    const root = tempTree({
      'main.tf': 'module "a" {\n  source = "./a"\n  count  = 100\n}\n',
      'a/main.tf': 'module "b" {\n  source = "../b"\n  count  = 100\n}\n',
      'b/main.tf': 'resource "aws_lambda_permission" "p" {\n  count         = 100\n  action        = "lambda:InvokeFunction"\n  function_name = "fn"\n  principal     = "*"\n}\n',
    });
    const started = Date.now();
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(Date.now() - started).toBeLessThan(20_000);
    const cut = findings.filter((f) => f.ruleId === 'IG901');
    expect(cut.map((f) => [f.range.file, f.range.line, f.message])).toEqual([['b/main.tf', 1, expect.stringContaining(`more than ${MAX_ROOT_INSTANCES} resource and module instances from one root module`)]]);
    const permissions = findings.filter((f) => f.ruleId === 'IG101').length;
    expect(permissions).toBeGreaterThan(MAX_ROOT_INSTANCES * 0.9);
    expect(permissions).toBeLessThanOrEqual(MAX_ROOT_INSTANCES);
  }, 60_000);
});

describe('evaluation bombs (nested for-expressions, flatten of lists of lists, a template doubling a local)', () => {
  it('finish quickly as unknown values, and the good files are still analysed', async () => {
    const hundred = `[${Array.from({ length: 100 }, () => '"x"').join(', ')}]`;
    const flattenBomb = ['locals {', `  l0 = ${hundred}`, ...[1, 2, 3, 4].map((i) => `  l${i} = flatten([for a in local.l0 : local.l${i - 1}])`), '}'].join('\n');
    const forBomb = ['locals {', `  l0 = ${hundred}`, '  n = [for a in local.l0 : [for b in local.l0 : [for c in local.l0 : [for d in local.l0 : d]]]]', '}'].join('\n');
    const doubling = ['locals {', `  t0 = "${'y'.repeat(1000)}"`, ...Array.from({ length: 40 }, (_, i) => `  t${i + 1} = "\${local.t${i}}\${local.t${i}}"`), '}'].join('\n');
    const policy = (action: string, resource: string) => `resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ${action}, Resource = ${resource} }] })\n}\n`;
    const root = tempTree({
      'flatten/main.tf': `${flattenBomb}\n${policy('local.l4', '"*"')}`,
      'for/main.tf': `${forBomb}\n${policy('local.n', '"*"')}`,
      'doubling/main.tf': `${doubling}\n${policy('"s3:GetObject"', 'local.t40')}`,
      'good/main.tf': PUBLIC_URL,
    });
    const started = Date.now();
    const result = await scan({ paths: ['.'], cwd: root });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.ruleErrors).toBeUndefined();
    expect(result.findings.map((f) => [f.ruleId, f.range.file])).toEqual([['IG104', 'good/main.tf']]);
  }, 60_000);
});
