import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** An execution role (line 1) whose inline policy allows `allow` on * and denies everything but `notAction` on *. */
const role = (name: string, allow: string, notAction: string[]) => `resource "aws_iam_role" "${name}" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name = "p"
    policy = jsonencode({
      Statement = [
        { Effect = "Allow", Action = "${allow}", Resource = "*" },
        { Effect = "Deny", NotAction = ${JSON.stringify(notAction)}, Resource = "*" },
      ]
    })
  }
}
`;

async function findings(source: string) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': source }) });
  return findings.filter((f) => ['IG201', 'IG202', 'IG301'].includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line, f.evidence]);
}

describe('an unconditional Deny with NotAction', () => {
  it('takes lambda:* and the wildcards it does not list away (IG201, IG202, IG301)', async () => {
    expect(await findings(role('no_wildcard_left', '*', ['s3:GetObject', 'logs:CreateLogStream']))).toEqual([]);
    expect(await findings(role('lambda_gone', 'lambda:*', ['s3:*']))).toEqual([]);
  });

  it('leaves the wildcards it lists, and every finding when it lists a Lambda action', async () => {
    // `*` minus everything but s3:GetObject and logs:*: logs:* on * is still IG301's; no Lambda action is left.
    expect(await findings(role('logs_left', '*', ['s3:GetObject', 'logs:*']))).toEqual([['IG301', 'aws_iam_role.logs_left', 1, 'logs:* on * via aws_iam_role.logs_left']]);
    // One Lambda action left: IG201 and IG202 stand (on the Allow's Action, line 9); IG301 does not, lambda:InvokeFunction is no wildcard.
    const leaving = await findings(role('invoke_left', 'lambda:*', ['lambda:InvokeFunction']));
    expect(leaving.map(([rule, resource, line]) => [rule, resource, line])).toEqual([
      ['IG201', 'aws_iam_role.invoke_left', 9],
      ['IG202', 'aws_iam_role.invoke_left', 9],
    ]);
  });
});
