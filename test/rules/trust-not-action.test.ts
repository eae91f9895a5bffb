import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

/** The execution-role trust findings in one fixture, as [rule, resource, line, severity]. */
async function findings(path: string) {
  const { findings } = await scan({ paths: [path], cwd: REPO_ROOT });
  return findings.filter((f) => ['IG302', 'IG303'].includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line, f.severity]);
}

describe('trust statements that allow through NotAction', () => {
  it('CloudFormation: {AWS: "*"} with NotAction sts:TagSession can assume the role: critical IG302 at the principal', async () => {
    expect(await findings('test/fixtures/IG302/fail-not-action.cfn.yaml')).toEqual([['IG302', 'NotTagSession', 14, 'critical']]);
  });

  it('Terraform: not_actions in aws_iam_policy_document, and Lambda trusted through NotAction alone (IG303)', async () => {
    expect(await findings('test/fixtures/IG302/fail-not-action.tf')).toEqual([
      ['IG302', 'aws_iam_role.not_tag_session', 21, 'critical'],
      ['IG303', 'aws_iam_role.lambda_by_not_action', 35, 'low'],
    ]);
  });

  it('a NotAction leaving out every assume action, one the scan cannot read, and a Deny allow no one', async () => {
    for (const path of ['test/fixtures/IG302/pass-not-action.cfn.yaml', 'test/fixtures/IG302/pass-not-action.tf']) expect(await findings(path)).toEqual([]);
  });
});
