import { describe, expect, it } from '@jest/globals';
import { parseHcl, parseHclWithTreeSitter } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { allowedValues } from '../../src/model/terraform/variable-validation.js';
import type { Expr } from '../../src/parse/terraform-hcl/hcl-ast.js';

/** Literal tuples only: what a caller's evaluation would know of a list written in place. */
function literalStrings(expr: Expr): string[] | undefined {
  if (expr.t !== 'tuple') return undefined;
  const strings = expr.items.map((i) => (i.t === 'literal' && typeof i.value === 'string' ? i.value : undefined));
  return strings.every((s) => s !== undefined) ? (strings as string[]) : undefined;
}

async function admitted(condition: string, treeSitter = false): Promise<string[] | undefined> {
  const text = `variable "env" {\n  validation {\n    condition     = ${condition}\n    error_message = "x"\n  }\n}\n`;
  const { hcl } = treeSitter ? await parseHclWithTreeSitter('v.tf', text) : await parseHcl('v.tf', text);
  return allowedValues(hcl.body.blocks[0], 'env', literalStrings);
}

describe('allowedValues reads only the validations that plainly list the values', () => {
  it.each([
    ['contains(["staging", "prod"], var.env)', ['staging', 'prod']],
    ['var.env == "staging" || "prod" == var.env', ['staging', 'prod']],
    ['var.env == "prod"', ['prod']],
    ['can(regex("^(staging|prod)$", var.env))', ['staging', 'prod']],
    ['can(regex("^(?:staging|prod)$", var.env))', ['staging', 'prod']],
    ['can(regex("^prod$", var.env))', ['prod']],
    ['length(var.env) > 0 && contains(["a", "b"], var.env) && var.env == "b"', ['b']],
  ])('%s admits %j', async (condition, values) => {
    expect(await admitted(condition)).toEqual(values);
    expect(await admitted(condition, true)).toEqual(values);
  });

  it.each([
    'contains(var.allowed, var.env)',
    'contains(["a", "b"], lower(var.env))',
    '!contains(["a", "b"], var.env)',
    'contains(["a"], var.env) || var.env == null',
    'var.env == "a" || startswith(var.env, "b")',
    'var.env != "a"',
    'var.other == "a"',
    'can(regex("^a|b$", var.env))',
    'can(regex("^(a|b)", var.env))',
    'can(regex("^(a.b)$", var.env))',
    'contains(["a"], var.env) && contains(["b"], var.env)',
  ])('%s: no restriction', async (condition) => {
    expect(await admitted(condition)).toBeUndefined();
    expect(await admitted(condition, true)).toBeUndefined();
  });
});
