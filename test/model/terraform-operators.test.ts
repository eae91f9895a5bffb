import { describe, expect, it } from '@jest/globals';
import { Evaluator } from '../../src/model/terraform/evaluate.js';
import { declarations } from '../../src/model/terraform/module-tree.js';
import { parseHcl } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Each attribute of `text` evaluated (locals and variable defaults resolved), as plain data or 'unknown'. */
async function values(text: string): Promise<Record<string, unknown>> {
  const { hcl } = await parseHcl('m/main.tf', text);
  const evaluator = new Evaluator({ ...declarations({ dir: 'm', files: [hcl], tfvars: [] }), prefix: '', inputs: new Map() });
  const out: Record<string, unknown> = {};
  for (const attribute of hcl.body.attributes) {
    const value = evaluator.evaluate(attribute.expr);
    out[attribute.name] = value.kind === 'unknown' ? 'unknown' : 'value' in value ? value.value : value.kind;
  }
  return out;
}

describe('Terraform operators', () => {
  it('computes arithmetic, comparisons and logic by precedence, converting "1" and "true" as Terraform does', async () => {
    expect(await values('a = 1 + 2 * 3 - 4\nb = 7 % 4 / 2\nc = -(2 + 1)\nd = "2" * 3\ne = 3 >= 3 && 2 < 1\nf = !("true")\ng = 1 == "1"\nh = [1, "x"] == [1, "x"]\ni = { a = 1 } != { a = 2 }\nj = null == null\n')).toEqual({
      a: 3,
      b: 1.5,
      c: -3,
      d: 6,
      e: false,
      f: false,
      g: false,
      h: true,
      i: true,
      j: true,
    });
  });

  it('stays unknown on unknown operands, unless the known side decides a logical operator', async () => {
    expect(await values('a = var.x + 1\nb = var.x == "y"\nc = false && var.x\nd = var.x || true\ne = true && var.x\nf = !var.x\ng = 1 / 0\nh = [1] + 1\n')).toEqual({
      a: 'unknown',
      b: 'unknown',
      c: false,
      d: true,
      e: 'unknown',
      f: 'unknown',
      g: 'unknown',
      h: 'unknown',
    });
  });

  it('lets a condition built from operators choose the branch that deploys', async () => {
    const root = tempTree({
      'main.tf': `
variable "environment" { default = "prod" }
variable "public" { default = false }
locals {
  exposed = var.environment == "prod" && !var.public
}
resource "aws_lambda_permission" "open" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = local.exposed ? "*" : "events.amazonaws.com"
}
resource "aws_lambda_permission" "closed" {
  action        = "lambda:InvokeFunction"
  function_name = "fn"
  principal     = var.environment != "prod" ? "*" : "111122223333"
  source_account = "111122223333"
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([['IG101', 'aws_lambda_permission.open', 10]]);
  });
});
