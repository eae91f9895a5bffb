import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../../src/fix/apply.js';
import { resolveFixes } from '../../src/fix/resolve.js';
import type { FixValue } from '../../src/fix/types.js';
import { createPositionMapper } from '../../src/model/range.js';
import type { Finding } from '../../src/rules/types.js';
import { fix } from '../../src/rules/support/fix.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * A rule adding a condition to a policy statement (as IG303 will for trust policies) states one
 * `add` change anchored at a value of the statement; the fix stage writes it in each syntax.
 */
function addCondition(file: string, text: string, anchor: string, account: FixValue): Finding {
  const start = text.indexOf(anchor);
  const range = createPositionMapper(file, text).range(start, start + anchor.length);
  const condition: FixValue = { kind: 'object', entries: [['StringEquals', { kind: 'object', entries: [['aws:SourceAccount', account]] }]] };
  return { ruleId: 'IG303', severity: 'high', message: '', range, resource: 'r', suggestion: '', fix: fix('Add aws:SourceAccount.', [{ kind: 'add', after: range, key: 'Condition', value: condition }]) };
}

const ACCOUNT: FixValue = { kind: 'string', value: '111122223333' };

const CASES: Array<[string, string, string, FixValue, string]> = [
  [
    'template.yaml',
    'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole # trust\n',
    'sts:AssumeRole',
    { kind: 'intrinsic', name: 'Ref', argument: 'AWS::AccountId' },
    '            Action: sts:AssumeRole # trust\n            Condition: { StringEquals: { "aws:SourceAccount": !Ref AWS::AccountId } }\n',
  ],
  [
    'role.tf',
    'resource "aws_iam_role" "r" {\n  assume_role_policy = <<EOF\n{\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "sts:AssumeRole"\n  }]\n}\nEOF\n}\n',
    '"sts:AssumeRole"',
    ACCOUNT,
    '    "Action": "sts:AssumeRole",\n    "Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }\n',
  ],
  [
    'role.tf',
    'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect = "Allow"\n      Action = "sts:AssumeRole"\n    }]\n  })\n}\n',
    '"sts:AssumeRole"',
    { kind: 'terraform', expression: 'data.aws_caller_identity.current.account_id' },
    // The run of one-line attributes re-aligned as terraform fmt aligns it.
    '      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }\n',
  ],
  [
    'trust.json',
    '{\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n',
    '"sts:AssumeRole"',
    ACCOUNT,
    '      "Action": "sts:AssumeRole",\n      "Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }\n',
  ],
];

describe('an add change anchored at a statement value', () => {
  it.each(CASES)('%s: writes the condition in the syntax at that place', async (file, text, anchor, account, expected) => {
    const finding = addCondition(file, text, anchor, account);
    await resolveFixes([finding], async () => text);
    // One edit writes the condition; HCL may add whitespace-only ones re-aligning the run's `=`.
    expect(finding.fix!.edits.filter((e) => e.text.trim() !== '')).toHaveLength(1);
    const fixed = applyEdits(text, finding.fix!.edits);
    expect(fixed).toContain(expected);
    const dir = tempTree({ [file]: fixed });
    expect((await scan({ paths: ['.'], cwd: dir })).findings.filter((f) => f.ruleId === 'IG901')).toEqual([]);
  });

  it('says why when the value cannot be written in that syntax', async () => {
    const text = '{\n  "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole" }]\n}\n';
    const finding = addCondition('trust.json', text, '"sts:AssumeRole"', { kind: 'terraform', expression: 'var.account' });
    await resolveFixes([finding], async () => text);
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toMatch(/Not applied by --fix: json cannot express the value/);
  });
});

describe('a heredoc rendered by template directives', () => {
  it('is edited in a branch of %{ if }, not inside a %{ for } loop (its text is rendered once per element)', async () => {
    const policy = (name: string, open: string, close: string) =>
      `resource "aws_iam_policy" "${name}" {\n  policy = <<EOT\n{\n  "Statement": [\n    ${open}\n    { "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*" }\n    ${close}\n  ]\n}\nEOT\n}\n`;
    const dir = tempTree({
      'main.tf': `resource "aws_lambda_function" "orders" {\n  function_name = "orders"\n}\n\n${policy('branch', '%{ if true }', '%{ endif }')}\n${policy('loop', '%{ for i in [1] ~}', '%{ endfor ~}')}`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const fixOf = (resource: string) => findings.find((f) => f.ruleId === 'IG201' && f.resource === resource)?.fix;
    expect(fixOf('aws_iam_policy.branch')?.edits).toHaveLength(1);
    expect(fixOf('aws_iam_policy.loop')).toMatchObject({ edits: [], description: expect.stringContaining('Not applied by --fix: the text is repeated by a template `%{ for }` loop') });
  });
});

describe('aws lambda get-policy output', () => {
  it('is not edited: its policy is JSON text in a string, and the file a copy of what Lambda holds', async () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] });
    const text = JSON.stringify({ Policy: policy, RevisionId: 'r' }, null, 2);
    const finding = addCondition('get-policy.json', text, '\\"sts:AssumeRole\\"', ACCOUNT);
    await resolveFixes([finding], async () => text);
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toMatch(/Not applied by --fix: the file is `aws lambda get-policy` output/);
  });
});

describe('a remove change: one list item and its separator', () => {
  /** The text after removing the item written as `item` (its first occurrence), or the reason it is not removed. */
  async function removed(file: string, text: string, item: string, written = JSON.parse(item.replace(/^!Sub /, '')) as string): Promise<string> {
    const start = text.indexOf(item.replace(/^!Sub /, ''));
    const range = createPositionMapper(file, text).range(start, start + item.replace(/^!Sub /, '').length);
    const finding: Finding = { ruleId: 'IG201', severity: 'high', message: '', range, resource: 'r', suggestion: '', fix: fix('Remove it.', [{ kind: 'remove', range, expect: written }]) };
    await resolveFixes([finding], async () => text);
    return finding.fix!.edits.length > 0 ? applyEdits(text, finding.fix!.edits) : finding.fix!.description;
  }
  const HCL = (list: string) => `resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [{ Resource = ${list} }] })\n}\n`;
  const YAML = (items: string) => `Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource:\n${items}`;

  it.each([
    ['first of one line', HCL('["a", "b", "c"]'), '"a"', HCL('["b", "c"]')],
    ['middle of one line', HCL('["a", "b", "c"]'), '"b"', HCL('["a", "c"]')],
    ['last of one line', HCL('["a", "b"]'), '"b"', HCL('["a"]')],
    ['last of one line, trailing comma', HCL('["a", "b",]'), '"b"', HCL('["a",]')],
    ['first of one per line', HCL('[\n    "a",\n    "b",\n  ]'), '"a"', HCL('[\n    "b",\n  ]')],
    ['last of one per line, trailing comma', HCL('[\n    "a",\n    "b",\n  ]'), '"b"', HCL('[\n    "a",\n  ]')],
    ['last of one per line', HCL('[\n    "a",\n    "b"\n  ]'), '"b"', HCL('[\n    "a"\n  ]')],
  ])('HCL, %s', async (_label, text, item, expected) => {
    expect(await removed('main.tf', text, item)).toBe(expected);
  });

  it('YAML block sequence: the item line, its comment with it; a !Sub item with its tag', async () => {
    expect(await removed('t.yaml', YAML('            - "a"\n            - "b" # b\n            - "c"\n'), '"b"')).toBe(YAML('            - "a"\n            - "c"\n'));
    expect(await removed('t.yaml', YAML('            - "a"\n            - !Sub "b"\n'), '!Sub "b"')).toBe(YAML('            - "a"\n'));
  });

  it('is refused when the item is the only one, or a comment stands where the separator goes', async () => {
    const refusal = 'Remove it. Not applied by --fix: the entry is not written as an item of a list with others, laid out so that it can be taken out.';
    expect(await removed('main.tf', HCL('["a"]'), '"a"')).toBe(refusal);
    expect(await removed('main.tf', HCL('[\n    "a", # keep\n    "b"\n  ]'), '"b"')).toBe(refusal);
    expect(await removed('main.tf', HCL('"a"'), '"a"')).toBe(refusal);
  });
});
