import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, applyFixes } from '../../src/fix/apply.js';
import { alignedInsertions } from '../../src/fix/hcl-align.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Applies one insertion to the text. */
const insert = (text: string, after: string, lead: string, value: string, newline = '\n') => {
  const at = text.indexOf(after) + after.length;
  return applyEdits(text, alignedInsertions(text, newline, [{ at, lead, value }]));
};

describe('a line added to HCL keeps terraform fmt alignment', () => {
  it('re-aligns the run of one-line attributes it joins, above and below, to one space after the longest key', () => {
    const text = '{\n  Effect = "Allow"\n  Action = "x"\n  Sid    = "s"\n}\n';
    expect(insert(text, 'Action = "x"', '  Condition', '{ A = 1 }')).toBe('{\n  Effect    = "Allow"\n  Action    = "x"\n  Condition = { A = 1 }\n  Sid       = "s"\n}\n');
    // A shorter key takes the run's width.
    expect(insert(text, 'Action = "x"', '  Id', '"i"')).toBe('{\n  Effect = "Allow"\n  Action = "x"\n  Id     = "i"\n  Sid    = "s"\n}\n');
  });

  it('ends the run at a multi-line value, a closing bracket, a comment or a blank line', () => {
    const text = '{\n  Effect = "Allow"\n  Principal = {\n    Service = "lambda.amazonaws.com"\n  }\n  Action = "x"\n\n  # note\n  Sid = "s"\n}\n';
    expect(insert(text, 'Action = "x"', '  Condition', '{}')).toBe(
      '{\n  Effect = "Allow"\n  Principal = {\n    Service = "lambda.amazonaws.com"\n  }\n  Action    = "x"\n  Condition = {}\n\n  # note\n  Sid = "s"\n}\n',
    );
    // After a multi-line attribute's closing brace, the new line starts a run of its own.
    expect(insert(text, '"lambda.amazonaws.com"\n  }', '  Condition', '{}')).toBe(
      '{\n  Effect = "Allow"\n  Principal = {\n    Service = "lambda.amazonaws.com"\n  }\n  Condition = {}\n  Action    = "x"\n\n  # note\n  Sid = "s"\n}\n',
    );
  });

  it('leaves a run fmt has not aligned as written, and keeps CRLF line breaks', () => {
    const unformatted = '{\n  Effect    =   "Allow"\n  Action = "x"\n}\n';
    expect(insert(unformatted, 'Action = "x"', '  Condition', '{}')).toBe('{\n  Effect    =   "Allow"\n  Action = "x"\n  Condition = {}\n}\n');
    const crlf = '{\r\n  Effect = "Allow"\r\n  Action = "x"\r\n  Sid    = "s"\r\n}\r\n';
    expect(insert(crlf, 'Action = "x"', '  Condition', '{}', '\r\n')).toBe('{\r\n  Effect    = "Allow"\r\n  Action    = "x"\r\n  Condition = {}\r\n  Sid       = "s"\r\n}\r\n');
  });

  it('IG303 --fix on a jsonencode trust statement leaves it as terraform fmt writes it', async () => {
    const main = `data "aws_caller_identity" "current" {}

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      }
    ]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
}
`;
    const dir = tempTree({ 'main.tf': main });
    const { findings, sources } = await scan({ paths: ['.'], cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'IG303').map((f) => [f.ruleId, f.range.line])).toEqual([['IG303', 8]]);
    await applyFixes(findings, { paths: ['.'], cwd: dir, sources });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(
      main.replace(
        '        Action = "sts:AssumeRole"\n',
        '        Action    = "sts:AssumeRole"\n        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }\n',
      ),
    );
  });
});
