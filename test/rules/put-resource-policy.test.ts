import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { stableEvidence } from '../../src/rules/support/stable-evidence.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** lambda:PutResourcePolicy (August 2026) opens a function as lambda:AddPermission does. */
describe('lambda:PutResourcePolicy', () => {
  it('runs a function IG204 finds created, as AddPermission does', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG204/fail.tf'], cwd: REPO_ROOT });
    const [writer] = findings.filter((f) => f.ruleId === 'IG204' && f.resource === 'aws_iam_role.app_policy_writer');
    expect(writer.message).toContain('lambda:CreateFunction and lambda:PutResourcePolicy on functions matching `arn:aws:lambda:us-east-1:123456789012:function:app-*`');
    expect(writer.evidence).toBe('iam:PassRole + lambda:CreateFunction + lambda:PutResourcePolicy via aws_iam_role.app_policy_writer');
  });

  it('is named in messages but left out of evidence (fingerprints) where AddPermission is already there', async () => {
    const role = `resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = "{}"
  inline_policy {
    name   = "all"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "lambda:*"], Resource = "*" }] })
  }
}
`;
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': role }) });
    const ig205 = findings.find((f) => f.ruleId === 'IG205')!;
    expect(ig205.message).toContain('lambda:AddPermission, lambda:PutResourcePolicy, lambda:CreateFunctionUrlConfig');
    // As it was before PutResourcePolicy was known, so baselines holding the finding still do.
    expect(ig205.evidence).toBe('"lambda:*" → lambda:AddPermission, lambda:CreateFunctionUrlConfig, lambda:UpdateFunctionUrlConfig, lambda:AddLayerVersionPermission');
    const ig204 = findings.find((f) => f.ruleId === 'IG204')!;
    expect(ig204.message).toContain('lambda:AddPermission, lambda:PutResourcePolicy on every resource');
    expect(ig204.evidence).toBe('iam:PassRole + lambda:CreateFunction + lambda:UpdateFunctionCode + lambda:InvokeFunction + lambda:CreateEventSourceMapping + lambda:AddPermission via aws_iam_role.ops');
  });

  it('stays in evidence where it is the only way', () => {
    expect(stableEvidence(['lambda:PutResourcePolicy', 'lambda:CreateFunctionUrlConfig'], (a) => a)).toEqual(['lambda:PutResourcePolicy', 'lambda:CreateFunctionUrlConfig']);
    expect(stableEvidence(['lambda:AddPermission (on every version and alias of every function)', 'lambda:PutResourcePolicy (on every version and alias of every function)'], (a) => a)).toEqual([
      'lambda:AddPermission (on every version and alias of every function)',
    ]);
  });
});
