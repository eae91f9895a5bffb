import { describe, expect, it } from '@jest/globals';
import { createPositionMapper } from '../../src/model/range.js';
import { parseHclFast } from '../../src/parse/terraform-hcl/fast-hcl.js';
import type { Expr } from '../../src/parse/terraform-hcl/hcl-ast.js';
import { parseHclWithTreeSitter } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const shape = (e: Expr): string =>
  e.t === 'traverse'
    ? `(${shape(e.base)}${e.steps.map((s) => (typeof s === 'object' ? `[${shape(s)}]` : `.${s}`)).join('')})`
    : e.t === 'ref'
      ? e.path.join('.')
      : e.t === 'call'
        ? `${e.name}()`
        : e.t;

describe('traversals that are not plain references', () => {
  it('keep computed indexes and steps after calls as expressions, in both parsers alike', async () => {
    const text = 'a = var.fns[each.key].principal\nb = jsondecode(x).Statement[0]\nc = var.x.0\nd = (var.m)["k"]\ne = var.list[*].arn\n';
    const tree = await parseHclWithTreeSitter('t.tf', text);
    expect(tree.hcl.body.attributes.map((a) => shape(a.expr))).toEqual(['(var.fns[each.key].principal)', '(jsondecode().Statement.0)', 'var.x.0', '(var.m.k)', 'splat']);
    expect(parseHclFast('t.tf', text, createPositionMapper('t.tf', text))).toEqual(tree.hcl);
  });

  it('index a for_each map by each.key: the public entry is found at its principal, the pinned one is not', async () => {
    const root = tempTree({
      'main.tf': `variable "triggers" {
  default = {
    public = { principal = "*" }
    events = { principal = "events.amazonaws.com", source_arn = "arn:aws:events:eu-west-1:111122223333:rule/nightly" }
  }
}

resource "aws_lambda_permission" "trigger" {
  for_each      = var.triggers
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = var.triggers[each.key].principal
  source_arn    = try(var.triggers[each.key].source_arn, null)
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG101', 'aws_lambda_permission.trigger["public"]', 12]]);
  });

  it('reaches any value of a known map on an unknown key (a plan-time choice), and is an error (try falls back) on a key of the wrong type', async () => {
    const root = tempTree({
      'main.tf': `variable "who" {}
variable "m" { default = { a = "*" } }
resource "aws_lambda_permission" "unknown_key" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = var.m[var.who]
}
resource "aws_lambda_permission" "bad_key" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = try(var.m[true], "*")
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG101', 'aws_lambda_permission.unknown_key', 6],
      ['IG101', 'aws_lambda_permission.bad_key', 11],
    ]);
  });
});
