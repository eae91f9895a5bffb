import { describe, expect, it } from '@jest/globals';
import { UNLOADED_VAR_FILE } from '../../src/discover/discover.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { tempTree } from '../helpers/temp-tree.js';

const MAIN = `variable "invoker" { default = "events.amazonaws.com" }
variable "source_arn" { default = "arn:aws:events:eu-west-1:111122223333:rule/nightly" }

resource "aws_lambda_permission" "invoke" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = var.invoker
  source_arn    = var.source_arn
}
`;

const found = (result: Awaited<ReturnType<typeof scan>>) => result.findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line]);

describe('--var-file', () => {
  it('applies each file to the root modules after their own tfvars, later files winning', async () => {
    const root = tempTree({
      'main.tf': MAIN,
      'terraform.tfvars': 'invoker    = "s3.amazonaws.com"\nsource_arn = "arn:aws:s3:::uploads"\n',
      'envs/prod.tfvars': '# production\ninvoker    = "*"\nsource_arn = null\n',
      'envs/pinned.tfvars.json': '{ "invoker": "events.amazonaws.com", "source_arn": "arn:aws:events:eu-west-1:111122223333:rule/nightly" }\n',
    });
    // Without it: the defaults and terraform.tfvars (an S3 grant: a bucket ARN names no account).
    expect(found(await scan({ paths: ['.'], cwd: root }))).toEqual([['IG102', 'aws_lambda_permission.invoke', 'main.tf', 7]]);
    expect(found(await scan({ paths: ['.'], cwd: root, varFiles: ['envs/prod.tfvars'] }))).toEqual([['IG101', 'aws_lambda_permission.invoke', 'main.tf', 7]]);
    expect(found(await scan({ paths: ['.'], cwd: root, varFiles: ['envs/prod.tfvars', 'envs/pinned.tfvars.json'] }))).toEqual([]);
  });

  it('a variable file Terraform loads only with -var-file gets a notice unless it is given (terraform.tfvars and *.auto.tfvars are loaded: none)', async () => {
    const root = tempTree({
      'main.tf': MAIN,
      'terraform.tfvars': 'invoker = "s3.amazonaws.com"\n',
      'ci.auto.tfvars.json': '{}\n',
      'envs/prod.tfvars': 'invoker = "*"\n',
      'envs/pinned.tfvars.json': '{}\n',
    });
    const unloaded = (result: Awaited<ReturnType<typeof scan>>) => result.notices.filter((n) => n.message === UNLOADED_VAR_FILE).map((n) => n.path);
    expect(unloaded(await scan({ paths: ['.'], cwd: root }))).toEqual(['envs/pinned.tfvars.json', 'envs/prod.tfvars']);
    expect(unloaded(await scan({ paths: ['.'], cwd: root, varFiles: ['envs/prod.tfvars'] }))).toEqual(['envs/pinned.tfvars.json']);
  });

  it('reports a broken var file at its line and still scans', async () => {
    const root = tempTree({ 'main.tf': MAIN, 'bad.tfvars': 'invoker = "*"\nsource_arn = [\n' });
    const run = await runCaptured(['.', '--var-file', 'bad.tfvars', '--format', 'json'], { cwd: root });
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> }).findings;
    expect(findings.map((f) => [f.ruleId, f.file])).toEqual(expect.arrayContaining([['IG901', 'bad.tfvars']]));
    expect(run.code).toBe(1);
  });
});
