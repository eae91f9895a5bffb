import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { FORMATTERS } from '../../src/report/formatters.js';
import { SEVERITIES } from '../../src/rules/types.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
  'working-directory'?: string;
}

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }> };
const scanStep = action.runs.steps.find((s) => s.id === 'scan') as Step;

describe('action.yml', () => {
  it('is a composite action whose every run step names its shell', () => {
    expect(action.name).toBe('invokeguard');
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe('bash');
  });

  it('uses exactly the inputs it declares, and never pastes one into script text', () => {
    const used = new Set([...JSON.stringify(action.runs).matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
    expect(Object.keys(action.inputs).sort()).toEqual(['baseline', 'config', 'format', 'paths', 'sarif-file', 'severity-threshold']);
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('has defaults the CLI accepts and outputs the scan step writes', () => {
    expect(Object.keys(FORMATTERS)).toContain(action.inputs.format.default);
    expect(SEVERITIES).toContain(action.inputs['severity-threshold'].default);
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.value).toBe(`\${{ steps.scan.outputs.${name} }}`);
      expect(scanStep.run).toContain(`echo "${name}=`);
    }
    expect(scanStep.env?.IG_MAIN).toBe('${{ github.action_path }}/dist/src/cli/main.js');
    expect(existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))).toBe(true);
  });

  it("the scan step's script, run as GitHub runs it, fails on examples/ with findings and writes the SARIF and its outputs", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'invokeguard-action-'));
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_OUTPUT: join(dir, 'output'),
      IG_PATHS: 'examples/terraform/vulnerable examples/sam/vulnerable',
      IG_FORMAT: 'github',
      IG_THRESHOLD: 'low',
      IG_SARIF: join(dir, 'out.sarif'),
      IG_BASELINE: '',
      IG_CONFIG: '',
      IG_MAIN: join(REPO_ROOT, 'dist/src/cli/main.js'),
    };
    const run = (overrides: Record<string, string>) =>
      promisify(execFile)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', scanStep.run as string], { cwd: REPO_ROOT, env: { ...env, ...overrides } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const failed = await run({});
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error file=examples\/terraform\/vulnerable\/main\.tf,line=\d+/m);
    const sarif = JSON.parse(readFileSync(env.IG_SARIF, 'utf8'));
    expect(sarif.runs[0].results.length).toBeGreaterThan(3);
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe(`sarif-file=${env.IG_SARIF}\nexit-code=1\n`);
    // A high finding under a critical threshold does not fail; a missing path is an error, not a pass.
    const high = tempTree({ 'url.tf': 'resource "aws_lambda_function_url" "u" {\n  function_name      = "orders"\n  authorization_type = "NONE"\n}\n' });
    expect((await run({ IG_PATHS: high, IG_SARIF: '' })).code).toBe(1);
    expect((await run({ IG_THRESHOLD: 'critical', IG_PATHS: high, IG_SARIF: '' })).code).toBe(0);
    expect((await run({ IG_PATHS: 'no/such/dir' })).code).toBe(2);
  }, 60_000);
});

describe('.github/workflows/ci.yml', () => {
  it('runs the tests, then the action itself on examples/ (expecting findings) and uploads its SARIF', () => {
    expect(workflow.jobs.test.steps.map((s) => s.run)).toContain('bash .ci/run');
    const steps = workflow.jobs.action.steps;
    const examples = steps.find((s) => s.uses === './' && s.with?.paths === 'examples') as Step;
    expect(examples['continue-on-error']).toBe(true);
    const check = steps.find((s) => s.env?.OUTCOME === `\${{ steps.${examples.id}.outcome }}`);
    expect(check?.run).toContain('test "$OUTCOME" = failure');
    const fixed = steps.find((s) => s.uses === './' && s !== examples);
    expect(fixed?.with?.paths.split(' ').every((p) => p.endsWith('/fixed') && existsSync(join(REPO_ROOT, p)))).toBe(true);
    expect(fixed?.['continue-on-error']).toBeUndefined();
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe(examples.with?.['sarif-file']);
    expect(workflow.jobs.action.permissions?.['security-events']).toBe('write');
  });
});
