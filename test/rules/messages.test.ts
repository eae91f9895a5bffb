import { describe, expect, it } from '@jest/globals';
import { scanPaths } from '../helpers/scan.js';

describe('finding content', () => {
  it('names real references from the scan in suggestions', async () => {
    const { findings } = await scanPaths('examples/terraform/vulnerable');
    const ig201 = findings.find((f) => f.resource === 'aws_iam_policy.invoker');
    expect(ig201?.suggestion).toContain('aws_lambda_function.orders.arn');
    const ig101 = findings.find((f) => f.ruleId === 'IG101');
    expect(ig101?.message).toContain('aws_lambda_function.orders');
    const ig102 = findings.find((f) => f.ruleId === 'IG102');
    expect(ig102?.message).toContain('S3 bucket ARN');
  });

  it('points inside a heredoc policy at the granting action', async () => {
    const { findings } = await scanPaths('examples/terraform/vulnerable/ci.tf');
    const ig201 = findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201).toHaveLength(1);
    expect(ig201[0].range).toMatchObject({ line: 12, column: 17, endLine: 12, endColumn: 27 });
  });
});
