import { describe, expect, it } from '@jest/globals';
import { scanPaths } from '../helpers/scan.js';

async function found(path: string, rule?: string): Promise<Array<[string, string, number]>> {
  const { findings } = await scanPaths(path);
  return findings.filter((f) => rule === undefined || f.ruleId === rule).map((f) => [f.ruleId, f.resource, f.range.line]);
}

/** A Deny holds only when its condition does: one the scan cannot read must not cancel the Allows beside it. */
describe('Deny statements with a condition the scan cannot read', () => {
  it('leave the Allow in place: a key, an operator or the whole Condition from a variable, a condition block test, a dynamic block', async () => {
    expect(await found('test/fixtures/unknown-condition/fail.tf')).toEqual([
      ['IG201', 'aws_iam_policy.key_from_variable', 12],
      ['IG201', 'aws_iam_policy.operator_from_variable', 23],
      ['IG201', 'aws_iam_policy.condition_is_variable', 34],
      ['IG201', 'aws_iam_policy.document', 47],
      ['IG201', 'aws_iam_policy.dynamic_condition', 69],
    ]);
  });

  it('a null Condition and a dynamic block over no items are no condition: the Deny cancels the Allow', async () => {
    expect(await found('test/fixtures/unknown-condition/pass.tf')).toEqual([]);
  });

  it('in an SCP, leave the guardrail undecided and say so (IG905 at the statement), not protected', async () => {
    const { findings } = await scanPaths('test/fixtures/unknown-condition/scp.tf');
    expect(findings.filter((f) => f.ruleId === 'IG905' || f.ruleId === 'IG401').map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG905', 'aws_organizations_policy.scp', 4]]);
    expect(findings.find((f) => f.ruleId === 'IG905')?.message).toContain('A Deny condition of SCP aws_organizations_policy.scp is not known to the scan');
    expect(findings.find((f) => f.ruleId === 'IG905')?.message).toContain('IG401 cannot tell');
  });
});
