import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyByName } from '../../src/discover/classify.js';
import { withContext } from '../../src/scope/changed-files.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

const URL_NONE = (name: string) => `resource "aws_lambda_function_url" "${name}" {\n  function_name      = aws_lambda_function.fn.function_name\n  authorization_type = "NONE"\n}\n`;
const FUNCTION = 'resource "aws_lambda_function" "fn" {\n  function_name = "orders"\n  role          = "arn:aws:iam::111122223333:role/orders"\n}\n';

async function findings(dir: string, paths = ['.']) {
  const result = await scan({ paths, cwd: dir });
  return result.findings.map((f) => [f.ruleId, f.resource, `${f.range.file}:${f.range.line}`]);
}

describe('OpenTofu configuration (.tofu, .tofu.json)', () => {
  it('classifies .tofu as HCL and .tofu.json as Terraform JSON, case-insensitively', () => {
    expect(classifyByName('main.tofu')).toBe('terraform-hcl');
    expect(classifyByName('dir/MAIN.TOFU')).toBe('terraform-hcl');
    expect(classifyByName('cdk.tofu.json')).toBe('terraform-json');
    expect(classifyByName('main.tofutest.hcl')).toBeUndefined();
    expect(classifyByName('tofu')).toBeUndefined();
  });

  it('scans a .tofu file as one module with the .tf files beside it, resolving references across them', async () => {
    const dir = tempTree({
      'fn.tf': FUNCTION,
      'url.tofu': URL_NONE('public'),
      // The principal is a local declared in a .tofu file: the .tf permission is public only if both are one module.
      'locals.tofu': 'locals {\n  everyone = "*"\n}\n',
      'perm.tf': 'resource "aws_lambda_permission" "anyone" {\n  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.fn.function_name\n  principal     = local.everyone\n}\n',
      'perm2.tofu.json': JSON.stringify({ resource: { aws_lambda_permission: { also: { action: 'lambda:InvokeFunction', function_name: 'orders', principal: '${local.everyone}' } } } }, null, 2),
    });
    expect(await findings(dir)).toEqual([
      ['IG101', 'aws_lambda_permission.anyone', 'perm.tf:4'],
      ['IG101', 'aws_lambda_permission.also', 'perm2.tofu.json:7'],
      ['IG104', 'aws_lambda_function_url.public', 'url.tofu:3'],
    ]);
  });

  it('scans both x.tf and x.tofu where both stand; a resource both define is read as x.tofu defines it (OpenTofu\'s reading)', async () => {
    const dir = tempTree({
      'fn.tf': FUNCTION,
      'url.tf': URL_NONE('for_terraform') + URL_NONE('public').replace('"NONE"', '"AWS_IAM"'),
      'url.tofu': URL_NONE('for_tofu') + URL_NONE('public'),
    });
    expect(await findings(dir)).toEqual([
      ['IG104', 'aws_lambda_function_url.for_terraform', 'url.tf:3'],
      ['IG104', 'aws_lambda_function_url.for_tofu', 'url.tofu:3'],
      ['IG104', 'aws_lambda_function_url.public', 'url.tofu:7'],
    ]);
  });

  it('brings a changed .tofu file\'s folder along as context in --changed-only', async () => {
    const dir = tempTree({ 'fn.tf': FUNCTION, 'url.tofu': URL_NONE('public'), 'other/x.tofu': FUNCTION });
    expect((await withContext(['url.tofu'], dir)).map((p) => p.slice(dir.length + 1))).toEqual(['fn.tf', 'url.tofu']);
  });

  it('fixes a .tofu file in place with --fix, as HCL', async () => {
    const dir = tempTree({ 'fn.tf': FUNCTION, 'url.tofu': URL_NONE('public') });
    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/not fixed/);
    expect(readFileSync(join(dir, 'url.tofu'), 'utf8')).toContain('authorization_type = "AWS_IAM"');
    expect((await findings(dir)).filter(([rule]) => rule === 'IG104')).toEqual([]);
  });
});
