import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { triples } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A role whose Lambda trust a choice writes two ways (its actions), both without a source condition. */
const TWO_UNSCOPED = `variable "single" {
  type = bool
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "either" {
  name = "either"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = var.single ? "sts:AssumeRole" : ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
`;

describe('a trust policy a plan- or deploy-time choice decides is judged in every variant', () => {
  it('Terraform: a public principal in the second branch (IG302 at it), a source condition dropped in one branch (IG303)', async () => {
    expect(await triples('test/fixtures/trust-choices/fail')).toEqual([
      // The first branch, Lambda with no source condition.
      ['IG303', 'aws_iam_role.chosen_trust', 16],
      ['IG302', 'aws_iam_role.chosen_trust', 19],
      ['IG303', 'aws_iam_role.chosen_condition', 37],
    ]);
  });

  it('CloudFormation: Fn::If writing "*" in its second branch is reported at it (IG302)', async () => {
    expect(await triples('test/fixtures/trust-choices/fail.cfn.yaml')).toEqual([['IG302', 'ChosenTrust', 17]]);
  });

  it('SAM: the AssumeRolePolicyDocument of the role SAM generates is read from each variant of the function', async () => {
    expect(await triples('test/fixtures/trust-choices/fail-sam.cfn.yaml')).toEqual([['IG302', 'ApiRole', 21]]);
  });

  it('both alternatives safe report nothing, in either format', async () => {
    expect(await triples('test/fixtures/trust-choices/pass', 'test/fixtures/trust-choices/pass.cfn.yaml')).toEqual([]);
  });

  it('IG303 --fix edits a statement two variants write at one place once', async () => {
    const dir = tempTree({ 'main.tf': TWO_UNSCOPED });
    const [finding] = (await scan({ paths: ['.'], cwd: dir })).findings;
    expect([finding.ruleId, finding.range.line, finding.fix?.edits.length]).toEqual(['IG303', 11, 1]);
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8').match(/aws:SourceAccount/g)).toHaveLength(1);
    expect((await scan({ paths: ['.'], cwd: dir })).findings).toEqual([]);
  });
});
