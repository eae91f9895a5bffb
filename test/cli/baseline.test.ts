import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { applyBaseline, createBaseline } from '../../src/baseline/baseline.js';
import type { Finding } from '../../src/rules/types.js';
import { cli } from '../helpers/cli.js';
import { tempCopy } from '../helpers/temp-tree.js';

const PUBLIC_PERMISSION = `
resource "aws_lambda_permission" "also_public" {
  statement_id  = "AllowAll"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = "*"
}
`;

describe('baseline', () => {
  it('suppresses known findings after they move down, and fails on a new one', async () => {
    const dir = await tempCopy('examples/terraform/vulnerable');
    const baseline = join(dir, 'baseline.json');
    const written = await cli('--write-baseline', baseline, '--format', 'json', dir);
    expect(written.code).toBe(0);
    const before = JSON.parse(written.stdout) as { findings: Array<{ ruleId: string; line: number }> };
    expect(before.findings.length).toBe(8);
    const stored = JSON.parse(await readFile(baseline, 'utf8')) as { findings: Array<{ fingerprint: string }> };
    expect(stored.findings).toHaveLength(8);

    // Every resource moves down by 7 lines.
    const main = join(dir, 'main.tf');
    const source = await readFile(main, 'utf8');
    await writeFile(main, `${'# moved\n'.repeat(7)}${source}`);
    const moved = await cli('--baseline', baseline, '--format', 'json', dir);
    expect(moved.code).toBe(0);
    expect((JSON.parse(moved.stdout) as { findings: unknown[] }).findings).toEqual([]);
    expect(moved.stderr).toContain('8 finding(s) already in baseline');
    // The findings did move: without the baseline they are reported 7 lines lower.
    const unfiltered = JSON.parse((await cli('--format', 'json', dir)).stdout) as { findings: Array<{ ruleId: string; line: number }> };
    expect(unfiltered.findings.find((f) => f.ruleId === 'IG101')?.line).toBe((before.findings.find((f) => f.ruleId === 'IG101')?.line ?? 0) + 7);

    await writeFile(main, `${source}${PUBLIC_PERMISSION}`);
    const added = await cli('--baseline', baseline, '--format', 'json', dir);
    expect(added.code).toBe(1);
    const fresh = (JSON.parse(added.stdout) as { findings: Array<{ ruleId: string; resource: string }> }).findings;
    expect(fresh).toEqual([expect.objectContaining({ ruleId: 'IG101', resource: 'aws_lambda_permission.also_public' })]);
  });

  it('counts identical findings: a second copy of a baselined one is new', () => {
    const f: Finding = {
      ruleId: 'IG201',
      severity: 'high',
      message: 'm',
      range: { file: 'a.tf', line: 1, column: 1, endLine: 1, endColumn: 2 },
      resource: 'aws_iam_policy.p',
      suggestion: 's',
      evidence: 'Action "*"',
    };
    const known = new Set((JSON.parse(createBaseline([f])) as { findings: Array<{ fingerprint: string }> }).findings.map((e) => e.fingerprint));
    const twice = applyBaseline([f, { ...f, range: { ...f.range, line: 9, endLine: 9 } }], known);
    expect(twice.known).toHaveLength(1);
    expect(twice.fresh).toHaveLength(1);
  });

  it('exits 2 naming the file when the baseline is missing', async () => {
    const dir = await tempCopy('examples/terraform/vulnerable');
    const missing = join(dir, 'nope.json');
    const { code, stderr } = await cli('--baseline', missing, dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot read baseline file ${missing}`);
  });

  it.each([
    ['not JSON', '{oops', 'is not valid JSON'],
    ['foreign JSON', '{"findings": []}', 'is not an invokeguard baseline'],
    ['an entry without fingerprint', '{"tool":"invokeguard","baselineVersion":1,"findings":[{"ruleId":"IG101"}]}', 'findings[0] has no fingerprint'],
    ['another version', '{"tool":"invokeguard","baselineVersion":7,"findings":[]}', 'has version 7'],
  ])('exits 2 naming the file for %s', async (_label, text, message) => {
    const dir = await tempCopy('examples/terraform/vulnerable');
    const file = join(dir, 'bad-baseline.json');
    await writeFile(file, text);
    const { code, stdout, stderr } = await cli('--baseline', file, dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(stderr).toContain(message);
  });
});
