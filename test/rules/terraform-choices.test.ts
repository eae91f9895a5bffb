import { describe, expect, it } from '@jest/globals';
import { triples } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** A permission whose principal is "*" only when each of `predicates` distinct variables is false. */
function manyPredicates(predicates: number): string {
  const variables = Array.from({ length: predicates }, (_, i) => `variable "p${i}" { type = bool }\n`).join('');
  const principal = Array.from({ length: predicates }, (_, i) => `var.p${i} ? "11112222${String(i).padStart(4, '0')}" : `).join('') + '"*"';
  return `${variables}resource "aws_lambda_permission" "deep" {\n  action        = "lambda:InvokeFunction"\n  function_name = "orders"\n  principal     = ${principal}\n}\n`;
}

describe('Terraform values decided at plan time are explored like CloudFormation choices', () => {
  it('a conditional on an unknown predicate (scalar, through a local, in jsonencode, in a policy document), lookup with an unknown key, coalesce of an unset variable, try past a step that may fail and an index with an unknown key: the public alternative is reported', async () => {
    expect(await triples('test/fixtures/tf-choices/fail')).toEqual([
      // local.is_prod ? "NONE" : "AWS_IAM": the prod workspace's URL is public.
      ['IG104', 'aws_lambda_function_url.by_workspace', 17],
      ['IG101', 'aws_lambda_permission.by_variable', 23],
      ['IG101', 'aws_lambda_permission.through_local', 29],
      ['IG101', 'aws_lambda_permission.lookup_workspace', 35],
      ['IG101', 'aws_lambda_permission.coalesce_unset', 41],
      ['IG201', 'aws_iam_policy.ci', 50],
      ['IG201', 'aws_iam_policy.deploy', 58],
      // Two predicates choose apart: "*" with no org id is one plan.
      ['IG101', 'aws_lambda_permission.two_predicates', 72],
      // local.caller was read (as unknown) for a function first.
      ['IG101', 'aws_lambda_permission.reads_after', 93],
      // try(var.config.principal, "*"): var.config may have no principal.
      ['IG101', 'aws_lambda_permission.try_fallback', 102],
      // An index with a key not known yet: any value of a known map or list (local, literal, variable default; element()).
      ['IG101', 'aws_lambda_permission.index_local', 115],
      ['IG101', 'aws_lambda_permission.index_literal_map', 121],
      ['IG101', 'aws_lambda_permission.index_variable', 131],
      ['IG104', 'aws_lambda_function_url.index_list', 145],
      ['IG104', 'aws_lambda_function_url.element_list', 150],
      ['IG101', 'aws_lambda_permission.index_then_attribute', 161],
      // A count a choice decides: modelled once; a for_each: every alternative's instances (one not known: once, as before).
      ['IG101', 'aws_lambda_permission.count_chosen', 169],
      ['IG101', 'aws_lambda_permission.for_each_chosen["public"]', 177],
      ['IG101', 'aws_lambda_permission.for_each_either["open"]', 184],
      ['IG101', 'aws_lambda_permission.for_each_partly_unknown', 194],
    ]);
  });

  it('a known predicate picks one branch, a known key one entry; choices whose alternatives are all safe, or one predicate deciding alike, report nothing', async () => {
    expect(await triples('test/fixtures/tf-choices/pass')).toEqual([]);
  });

  it('a module call whose for_each a choice decides is instantiated for every alternative\'s elements', async () => {
    const root = tempTree({
      'main.tf': `variable "env" {}

module "callers" {
  source    = "./mod"
  for_each  = var.env == "prod" ? { open = "*" } : { partner = "111122223333" }
  principal = each.value
}
`,
      'mod/main.tf': `variable "principal" {}

resource "aws_lambda_permission" "p" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = var.principal
}
`,
    });
    expect(await triples(root)).toEqual([['IG101', 'module.callers["open"].aws_lambda_permission.p', 6]]);
  });

  it('beyond MAX_VARIANTS combinations every alternative of every choice is still tried, in bounded time', async () => {
    const root = tempTree({ 'main.tf': manyPredicates(12) });
    const started = Date.now();
    expect(await triples(root)).toEqual([['IG101', 'aws_lambda_permission.deep', 16]]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
