import { describe, expect, it } from '@jest/globals';
import { Evaluator } from '../../src/model/terraform/evaluate.js';
import { declarations } from '../../src/model/terraform/module-tree.js';
import type { Value } from '../../src/model/value.js';
import { parseText } from '../../src/parse/parse-file.js';

/** Each local of the text, evaluated: known values as plain data, unknown ones as 'unknown' or 'invalid' (an error `try` catches). */
async function moduleOf(text: string) {
  const document = await parseText('terraform-hcl', 'main.tf', text);
  if (!('hcl' in document) || !document.hcl) throw new Error('not parsed');
  return { ...declarations({ dir: '.', files: [document.hcl], tfvars: [] }), prefix: '', inputs: new Map() };
}

async function locals(text: string): Promise<Record<string, unknown>> {
  const module = await moduleOf(text);
  const evaluator = new Evaluator(module);
  const out: Record<string, unknown> = {};
  for (const [name, expr] of module.locals) out[name] = plain(evaluator.evaluate(expr));
  return out;
}

function plain(value: Value): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries(value.entries.map((e) => [e.key, plain(e.value)]));
    case 'template':
      return value.parts.map((p) => (typeof p === 'string' ? p : `\${${p.ref}}`)).join('');
    case 'unknown':
      return value.invalid ? 'invalid' : 'unknown';
  }
}

describe('Terraform functions', () => {
  it('try falls back past errors only: a missing attribute or index, not an unknown value', async () => {
    expect(
      await locals(`
variable "unset" {}
locals {
  obj         = { principal = "*" }
  list        = ["a"]
  present     = try(local.obj.principal, "fallback")
  missing     = try(local.obj.service, "fallback")
  out_of_list = try(local.list[3], "fallback")
  nested      = try(format("%s.amazonaws.com", local.obj.service), "none")
  unknown     = try(var.unset.principal, "fallback")
  symbolic    = try(aws_sns_topic.t.arn, null)
  all_fail    = try(local.obj.a, local.obj.b)
  can_yes     = can(local.obj.principal)
  can_no      = can(local.obj.service)
  can_unknown = can(var.unset.x)
}
`),
    ).toEqual({
      obj: { principal: '*' },
      list: ['a'],
      present: '*',
      missing: 'fallback',
      out_of_list: 'fallback',
      nested: 'none',
      unknown: 'unknown',
      symbolic: 'unknown',
      all_fail: 'invalid',
      can_yes: true,
      can_no: false,
      can_unknown: 'unknown',
    });
  });

  it('an object with an unknown key, or a variable typed with optional attributes, has no missing attribute error', async () => {
    expect(
      await locals(`
variable "k" {}
variable "typed" {
  type    = object({ principal = optional(string) })
  default = {}
}
locals {
  open  = { (var.k) = "x" }
  a     = try(local.open.principal, "fallback")
  b     = try(var.typed.principal, "fallback")
}
`),
    ).toMatchObject({ a: 'unknown', b: 'unknown' });
  });

  it('format: %s %d %v %q %%, unknown arguments as template pieces, errors for missing arguments', async () => {
    expect(
      await locals(`
variable "region" {}
locals {
  s       = format("%s.amazonaws.com", "events")
  mixed   = format("%d-%v-%q-100%%", 3, true, "x")
  partial = format("arn:aws:lambda:%s:111122223333:function:%s", var.region, "fn")
  width   = format("%05d", 3)
  short   = format("%s %s", "a")
}
`),
    ).toEqual({ s: 'events.amazonaws.com', mixed: '3-true-"x"-100%', partial: 'arn:aws:lambda:${var.region}:111122223333:function:fn', width: 'unknown', short: 'invalid' });
  });

  it('lookup, merge, coalesce, element: values keep the literal they came from', async () => {
    const text = `
variable "unset" {}
locals {
  m          = { auth = "AWS_IAM" }
  found      = lookup(local.m, "auth", "NONE")
  defaulted  = lookup({}, "auth", "NONE")
  no_default = lookup({}, "auth")
  unknown    = lookup(var.unset, "auth", "NONE")
  merged     = merge({ a = 1, b = 2 }, null, { b = 3 })
  first      = coalesce(null, "", "x", "y")
  coalesce_u = coalesce(null, var.unset, "y")
  elem       = element(["a", "b"], 3)
}
`;
    expect(await locals(text)).toEqual({
      m: { auth: 'AWS_IAM' },
      found: 'AWS_IAM',
      defaulted: 'NONE',
      no_default: 'invalid',
      unknown: 'unknown',
      merged: { a: 1, b: 3 },
      first: 'x',
      coalesce_u: 'unknown',
      elem: 'b',
    });
    // The value lookup returns is the map's entry, where a finding should point.
    const module = await moduleOf(text);
    expect(new Evaluator(module).evaluate(module.locals.get('found')!).range.line).toBe(4);
  });

  it('list, string and conversion functions', async () => {
    expect(
      await locals(`
variable "unset" {}
locals {
  joined   = join(",", ["a", "b"], ["c"])
  flat     = flatten([["a", ["b"]], "c", []])
  flat_u   = flatten([["a"], var.unset])
  dist     = distinct(["a", "b", "a"])
  comp     = compact(["a", "", null, "b"])
  ks       = keys({ b = 1, a = 2 })
  vs       = values({ b = 1, a = 2 })
  len      = length({ a = 1 })
  len_s    = length("lambda")
  has      = contains(["lambda:*", "s3:*"], "lambda:*")
  hasnt    = contains(["s3:*"], "lambda:*")
  has_u    = contains([var.unset], "lambda:*")
  low      = lower("LAMBDA:*")
  up       = upper("none")
  rep      = replace("arn:aws:lambda:REGION", "REGION", "eu-west-1")
  rep_re   = replace("abc", "/b/", "x")
  parts    = split(":", "lambda:InvokeFunction")
  sliced   = slice(["lambda.amazonaws.com", "edgelambda.amazonaws.com"], 0, 1)
  firstl   = coalescelist([], ["a"])
  zipped   = zipmap(["a", "b"], [1, 2])
  str_num  = tostring(1)
  str_obj  = try(tostring({ a = 1 }), "not a string")
  only     = one(["x"])
  none     = one([])
}
`),
    ).toEqual({
      joined: 'a,b,c',
      flat: ['a', 'b', 'c'],
      flat_u: 'unknown',
      dist: ['a', 'b'],
      comp: ['a', 'b'],
      ks: ['a', 'b'],
      vs: [2, 1],
      len: 1,
      len_s: 6,
      has: true,
      hasnt: false,
      has_u: 'unknown',
      low: 'lambda:*',
      up: 'NONE',
      rep: 'arn:aws:lambda:eu-west-1',
      rep_re: 'unknown',
      parts: ['lambda', 'InvokeFunction'],
      sliced: ['lambda.amazonaws.com'],
      firstl: ['a'],
      zipped: { a: 1, b: 2 },
      str_num: '1',
      str_obj: 'not a string',
      only: 'x',
      none: null,
    });
  });

  it('operators: logic (short-circuiting on a decisive left operand), equality, comparison, arithmetic', async () => {
    expect(
      await locals(`
variable "unset" {}
variable "create" { default = true }
locals {
  and       = var.create && !false
  short_and = false && var.unset
  short_or  = true || var.unset
  unknown   = var.create && var.unset
  right     = var.unset && false
  eq        = "a" == "a"
  ne_types  = "1" != 1
  eq_obj    = { a = [1] } == { a = [1] }
  eq_u      = var.unset == "x"
  cmp       = 2 >= 1 + 1
  math      = -3 * 2 + 10 % 4 - 8 / 2
  bad       = "x" && true
  count     = var.create && length(["a"]) > 0 ? 1 : 0
}
`),
    ).toEqual({
      and: true,
      short_and: false,
      short_or: true,
      unknown: 'unknown',
      right: 'unknown',
      eq: true,
      ne_types: true,
      eq_obj: true,
      eq_u: 'unknown',
      cmp: true,
      math: -8,
      bad: 'invalid',
      count: 1,
    });
  });

  it('for-expressions over lists and maps, with conditions and grouping', async () => {
    expect(
      await locals(`
variable "unset" {}
variable "triggers" {
  default = {
    api    = { service = "apigateway" }
    public = { principal = "*" }
  }
}
locals {
  services  = [for k, v in var.triggers : v.service if can(v.service)]
  keyed     = { for k, v in var.triggers : k => try(v.principal, "none") }
  indexed   = [for i, s in ["a", "b"] : "\${i}-\${s}"]
  grouped   = { for s in ["x", "y", "x"] : s => s... }
  duplicate = { for s in ["x", "x"] : s => s }
  unknown   = [for v in var.unset : v]
  cond_u    = [for v in ["a"] : v if var.unset]
}
`),
    ).toMatchObject({
      services: ['apigateway'],
      keyed: { api: 'none', public: '*' },
      indexed: ['0-a', '1-b'],
      grouped: { x: ['x', 'x'], y: ['y'] },
      duplicate: 'invalid',
      unknown: 'unknown',
      cond_u: 'unknown',
    });
  });
});

describe('string trimming and setproduct', () => {
  it('trims as Terraform does, and builds every combination of setproduct', async () => {
    expect(
      await locals(`
variable "unset" {}
locals {
  space   = trimspace("  * \\n")
  prefix  = trimprefix("arn:aws:lambda", "arn:")
  suffix  = trimsuffix("lambda:InvokeFunction*", "*")
  chomped = chomp("lambda:*\\n\\n")
  pairs   = setproduct(["lambda:InvokeFunction"], ["*", "arn:aws:lambda:*:*:function:*"])
  unknown = setproduct(["a"], var.unset)
}
`),
    ).toEqual({
      space: '*',
      prefix: 'aws:lambda',
      suffix: 'lambda:InvokeFunction',
      chomped: 'lambda:*',
      pairs: [
        ['lambda:InvokeFunction', '*'],
        ['lambda:InvokeFunction', 'arn:aws:lambda:*:*:function:*'],
      ],
      unknown: 'unknown',
    });
  });
});
