import { describe, expect, it } from '@jest/globals';
import { scanPaths } from '../helpers/scan.js';

/** A `terraform show -json` plan cut down to `resource_changes`: each change's `after` is what deploys. */
describe('plans with resource_changes only', () => {
  it('reads each change after it applies, in its module; a deleted resource grants nothing', async () => {
    const { findings } = await scanPaths('test/fixtures/plan-changes/changes-only.plan.json');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG104', 'aws_lambda_function_url.public', 11],
      ['IG101', 'module.api.aws_lambda_permission.any', 22],
      ['IG101', 'aws_lambda_permission.unknown_target', 42],
    ]);
  });

  it('names a function known only after apply as unresolved, not as ${(known after apply)}', async () => {
    const { findings } = await scanPaths('test/fixtures/plan-changes/changes-only.plan.json');
    const unknownTarget = findings.find((f) => f.resource === 'aws_lambda_permission.unknown_target')!;
    expect(unknownTarget.message).toContain('invoke the function (function_name not resolved)');
    expect(unknownTarget.message).not.toContain('known after apply');
  });
});
