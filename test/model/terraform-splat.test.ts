import { describe, expect, it } from '@jest/globals';
import { createPositionMapper } from '../../src/model/range.js';
import type { Value } from '../../src/model/value.js';
import { Evaluator } from '../../src/model/terraform/evaluate.js';
import { declarations } from '../../src/model/terraform/module-tree.js';
import { parseHclFast } from '../../src/parse/terraform-hcl/fast-hcl.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Each local of a module, evaluated and made plain: unknowns as `?` and the resource (or reference) they name. */
function locals(text: string): Record<string, unknown> {
  const hcl = parseHclFast('main.tf', text, createPositionMapper('main.tf', text))!;
  const declared = declarations({ dir: '.', files: [hcl], tfvars: [] });
  const evaluator = new Evaluator({ ...declared, prefix: '', inputs: new Map() });
  const plain = (v: Value): unknown =>
    v.kind === 'list'
      ? v.items.map(plain)
      : v.kind === 'object'
        ? Object.fromEntries(v.entries.map((e) => [e.key, plain(e.value)]))
        : v.kind === 'unknown'
          ? `?${v.invalid ? 'invalid' : (v.resource ?? v.ref)}`
          : v.kind === 'null'
            ? null
            : v.kind === 'template'
              ? 'template'
              : v.value;
  return Object.fromEntries([...declared.locals].map(([name, expr]) => [name, plain(evaluator.evaluate(expr))]));
}

describe('splat expressions', () => {
  it('apply the steps after [*] to each element of a known list; .* applies only the attributes, a later index the list', () => {
    expect(
      locals(`variable "l" {
  default = [{ a = { b = ["x", "y"] } }, { a = { b = ["z"] } }]
}
locals {
  full    = var.l[*].a.b[0]
  legacy  = var.l.*.a.b
  indexed = var.l.*.a.b[1]
  whole   = var.l[*]
}
`),
    ).toEqual({ full: ['x', 'z'], legacy: [['x', 'y'], ['z']], indexed: ['z'], whole: [{ a: { b: ['x', 'y'] } }, { a: { b: ['z'] } }] });
  });

  it('wrap a single non-null value in a one-element list, make null an empty list, and leave unknowns unknown', () => {
    expect(
      locals(`variable "one" {
  default = { principal = "*" }
}
variable "none" {
  default = null
}
variable "unset" {}
locals {
  one     = var.one[*].principal
  none    = var.none[*].principal
  unset   = var.unset[*].principal
  missing = var.one[*].nope
  nested  = var.l[*].a[*].b
}
`),
    ).toEqual({ one: ['*'], none: [], unset: '?var.unset[*].principal', missing: ['?invalid'], nested: '?var.l[*].a[*].b' });
  });

  it('list each count instance of a resource, keeping each one symbolic; one without count is a one-element list', () => {
    expect(
      locals(`variable "n" {}
resource "aws_lambda_function" "fns" {
  count         = 2
  function_name = "fn-\${count.index}"
}
resource "aws_lambda_function" "single" {
  function_name = "single"
}
resource "aws_lambda_function" "keyed" {
  for_each      = toset(["a"])
  function_name = each.key
}
resource "aws_lambda_function" "unknown" {
  count         = var.n
  function_name = "u"
}
locals {
  arns    = aws_lambda_function.fns[*].arn
  names   = aws_lambda_function.fns.*.function_name
  single  = aws_lambda_function.single[*].arn
  keyed   = aws_lambda_function.keyed[*].arn
  unknown = aws_lambda_function.unknown[*].arn
}
`),
    ).toEqual({
      arns: ['?aws_lambda_function.fns[0]', '?aws_lambda_function.fns[1]'],
      names: ['fn-0', 'fn-1'],
      single: ['?aws_lambda_function.single'],
      keyed: '?aws_lambda_function.keyed[*].arn',
      unknown: '?aws_lambda_function.unknown[*].arn',
    });
  });

  it('in a scan: a policy on aws_lambda_function.fns[*].arn stays specific; Action = var.stmts[*].action with lambda:* on * is reported', async () => {
    const root = tempTree({
      'main.tf': `resource "aws_lambda_function" "fns" {
  count         = 2
  function_name = "fn-\${count.index}"
}
resource "aws_iam_policy" "specific" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = aws_lambda_function.fns[*].arn }]
  })
}
variable "stmts" {
  default = [{ action = "s3:GetObject" }, { action = "lambda:*" }]
}
resource "aws_iam_policy" "wide" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = var.stmts[*].action, Resource = "*" }]
  })
}
variable "principals" {
  default = [{ principal = "*" }]
}
resource "aws_lambda_permission" "first" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = one(var.principals[*].principal)
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG201', 'aws_iam_policy.wide', 11],
      ['IG202', 'aws_iam_policy.wide', 11],
      ['IG205', 'aws_iam_policy.wide', 11],
      ['IG101', 'aws_lambda_permission.first', 24],
    ]);
  });
});
