import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

function run(args: string[], env: NodeJS.ProcessEnv = {}, isTTY = false) {
  return runCaptured(args, { env, isTTY, cwd: REPO_ROOT });
}

describe('invokeguard CLI', () => {
  it('finds each rule in the vulnerable example with the right resource and line (exit 1)', async () => {
    const { code, stdout } = await run(['examples/terraform/vulnerable', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ tool: 'invokeguard', errors: [], summary: { files: 2, findings: 8 } });
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
    const triples = report.findings.map((f: { ruleId: string; resource: string; file: string; line: number }) => [f.ruleId, f.resource, f.file, f.line]);
    expect(triples).toEqual([
      ['IG201', 'aws_iam_role_policy.deployer', 'examples/terraform/vulnerable/ci.tf', 12],
      ['IG202', 'aws_iam_role_policy.deployer', 'examples/terraform/vulnerable/ci.tf', 12],
      ['IG205', 'aws_iam_role_policy.deployer', 'examples/terraform/vulnerable/ci.tf', 12],
      // The execution role's trust has no aws:SourceAccount: reported at the trust statement.
      ['IG303', 'aws_iam_role.orders', 'examples/terraform/vulnerable/main.tf', 17],
      ['IG101', 'aws_lambda_permission.public', 'examples/terraform/vulnerable/main.tf', 31],
      ['IG102', 'aws_lambda_permission.from_s3', 'examples/terraform/vulnerable/main.tf', 44],
      ['IG104', 'aws_lambda_function_url.orders', 'examples/terraform/vulnerable/main.tf', 51],
      ['IG201', 'aws_iam_policy.invoker', 'examples/terraform/vulnerable/main.tf', 61],
    ]);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'resource', 'suggestion']));
    }
  });

  it('exits 0 on the fixed example', async () => {
    const { code, stdout } = await run(['examples/terraform/fixed']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/no findings/);
  });

  it('applies the severity threshold and --quiet', async () => {
    expect((await run(['examples/terraform/vulnerable', '--severity-threshold', 'critical'])).code).toBe(1);
    const quiet = await run(['examples/terraform/vulnerable/ci.tf', '--severity-threshold', 'critical', '--quiet', '--format', 'json']);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).findings).toEqual([]);
  });

  it('colours stylish output only on a TTY without NO_COLOR', async () => {
    const ansi = /\u001b\[/;
    expect((await run(['examples/terraform/vulnerable'], {}, true)).stdout).toMatch(ansi);
    expect((await run(['examples/terraform/vulnerable'], { NO_COLOR: '1' }, true)).stdout).not.toMatch(ansi);
    expect((await run(['examples/terraform/vulnerable'], {}, false)).stdout).not.toMatch(ansi);
  });

  it('writes --output to a file', async () => {
    const out = join(tempTree({}), 'report.json');
    const { code, stdout } = await run(['examples/terraform/vulnerable', '--format', 'json', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.findings).toBe(8);
  });

  it('exits 2 with a message, and no stack trace, on usage errors', async () => {
    const badFormat = await run(['--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/xml/);
    const missing = await run(['does-not-exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^invokeguard: cannot read does-not-exist/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints --version and --help with exit 0', async () => {
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--severity-threshold/);
    // The subcommand IG403's suggestion tells users to run is listed, though dispatched before commander parses.
    expect(help.stdout).toMatch(/^  guardrails \[options\] +print the recommended organisation guardrails/m);
    expect((await run(['graph', '--help'])).stdout).not.toMatch(/guardrails/);
  });

  it('runs as the built bin with the documented exit codes', () => {
    const bin = join(REPO_ROOT, 'dist/src/cli/main.js');
    const vulnerable = spawnSync(process.execPath, [bin, 'examples/terraform/vulnerable'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(vulnerable.status).toBe(1);
    const fixed = spawnSync(process.execPath, [bin, 'examples/terraform/fixed'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(fixed.status).toBe(0);
  });
});
