import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

describe("A Terraform variable's validation limits the plan-time choices made from it", () => {
  it('a validation admitting the public entry, or one not read (a list not known, a pattern not anchored, a disjunct not a comparison), leaves every entry; an admitted key the map lacks falls to the default', async () => {
    expect(await triples('test/fixtures/tf-validation/fail')).toEqual([
      ['IG104', 'aws_lambda_function_url.admitted', 18],
      ['IG101', 'aws_lambda_permission.admitted', 24],
      ['IG104', 'aws_lambda_function_url.conditional', 29],
      ['IG104', 'aws_lambda_function_url.unknown_list', 47],
      ['IG104', 'aws_lambda_function_url.prefix_regex', 60],
      ['IG104', 'aws_lambda_function_url.either', 73],
      ['IG104', 'aws_lambda_function_url.lookup_default', 87],
      // "qa" is admitted but not in the map: the index fails, and try() falls back to "NONE".
      ['IG104', 'aws_lambda_function_url.try_fallback', 92],
    ]);
  });

  it('contains(), comparisons, an anchored regex, a conjunct, two blocks: the entry they exclude is never chosen (index, lookup, conditional, a local comparing it), and one variable decides alike everywhere', async () => {
    expect(await triples('test/fixtures/tf-validation/pass')).toEqual([]);
  });

  it("a module's variable validated there, passed a value not known: its validation limits it too", async () => {
    const module = (values: string) => `variable "env" {
  type = string
  validation {
    condition     = contains([${values}], var.env)
    error_message = "a known environment"
  }
}

resource "aws_lambda_function_url" "u" {
  function_name      = "orders"
  authorization_type = { local = "NONE", prod = "AWS_IAM" }[var.env]
}
`;
    const root = tempTree({
      'main.tf': `variable "env" {}

module "limited" {
  source = "./limited"
  env    = var.env
}

module "open" {
  source = "./open"
  env    = var.env
}
`,
      'limited/main.tf': module('"prod"'),
      'open/main.tf': module('"local", "prod"'),
    });
    expect(await triples(root)).toEqual([['IG104', 'module.open.aws_lambda_function_url.u', 11]]);
  });
});
