import { describe, expect, it } from '@jest/globals';
import { RULES } from '../../src/rules/registry.js';
import type { Rule } from '../../src/rules/types.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';
import { scan } from '../../src/scan.js';

/** A rule whose check throws, as a bug in a real rule would. */
const BROKEN: Rule = {
  meta: { id: 'IG999', title: 'broken', severity: 'high', attack: 'T1648', description: 'test rule that throws', fixable: false },
  check() {
    throw new Error('boom');
  },
};
// In the middle, so rules after it must still run.
const WITH_BROKEN = [...RULES.slice(0, 3), BROKEN, ...RULES.slice(3)];
const EXAMPLE = 'examples/terraform/vulnerable';

describe('an exception in one rule is contained', () => {
  it('is reported as IG900 naming the rule, and every other rule still reports its findings', async () => {
    const normal = await scanPaths(EXAMPLE);
    const contained = await scan({ paths: [EXAMPLE], cwd: REPO_ROOT, rules: WITH_BROKEN });
    expect(normal.findings.length).toBeGreaterThan(0);
    expect(contained.findings).toEqual(normal.findings);
    expect(contained.ruleErrors).toEqual([expect.objectContaining({ ruleId: 'IG999', message: 'boom' })]);
    expect(contained.notices).toEqual([{ path: '.', message: 'IG900 internal error in rule IG999: boom; its findings are missing from this report' }]);
    expect(normal.ruleErrors).toBeUndefined();
  });

  it('makes the CLI exit 2 with the error on stderr, still printing the other findings', async () => {
    const run = await runCaptured(['--format', 'json', EXAMPLE], { cwd: REPO_ROOT, rules: WITH_BROKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('IG900 internal error in rule IG999: boom');
    const report = JSON.parse(run.stdout) as { findings: unknown[]; errors: Array<{ message: string }> };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.errors.map((e) => e.message)).toEqual([expect.stringContaining('IG999')]);
  });

  it('with --keep-going exits by the other findings (1 here), and 0 when they are clean', async () => {
    expect((await runCaptured(['--keep-going', EXAMPLE], { cwd: REPO_ROOT, rules: WITH_BROKEN })).code).toBe(1);
    expect((await runCaptured(['--keep-going', 'examples/terraform/fixed'], { cwd: REPO_ROOT, rules: WITH_BROKEN })).code).toBe(0);
    expect((await runCaptured(['examples/terraform/fixed'], { cwd: REPO_ROOT, rules: WITH_BROKEN })).code).toBe(2);
  });

  it('--fix-dry-run also exits 2 on a rule failure (unless --keep-going), after printing its diff', async () => {
    const run = await runCaptured(['--fix-dry-run', EXAMPLE], { cwd: REPO_ROOT, rules: WITH_BROKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('IG900 internal error in rule IG999: boom');
    expect(run.stdout).toContain('+++ b/');
    expect((await runCaptured(['--fix-dry-run', '--keep-going', EXAMPLE], { cwd: REPO_ROOT, rules: WITH_BROKEN })).code).toBe(1);
  });

  it('--fix and --fix-dry-run together are a usage error', async () => {
    const run = await runCaptured(['--fix', '--fix-dry-run', EXAMPLE], { cwd: REPO_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot be used with option '--fix'/);
  });
});
