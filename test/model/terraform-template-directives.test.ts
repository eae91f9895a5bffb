import { describe, expect, it } from '@jest/globals';
import { createPositionMapper } from '../../src/model/range.js';
import { displayString, type Value } from '../../src/model/value.js';
import { Evaluator } from '../../src/model/terraform/evaluate.js';
import { declarations } from '../../src/model/terraform/module-tree.js';
import { parseHcl } from '../../src/parse/terraform-hcl/parse-hcl.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Each local evaluated: a string (unknown pieces as `${ref}`), `?ref` when unknown, the value's kind otherwise. */
async function locals(text: string): Promise<Record<string, Value>> {
  const { hcl, errors } = await parseHcl('main.tf', text);
  expect(errors).toEqual([]);
  const declared = declarations({ dir: '.', files: [hcl], tfvars: [] });
  const evaluator = new Evaluator({ ...declared, prefix: '', inputs: new Map() });
  return Object.fromEntries([...declared.locals].map(([name, expr]) => [name, evaluator.evaluate(expr)]));
}

const shown = (value: Value): string => (value.kind === 'unknown' ? `?${value.ref}` : (displayString(value) ?? value.kind));

describe('template directives', () => {
  it('render %{ if }/%{ else } and %{ for } (one or two names) when the condition and collection are known', async () => {
    const values = await locals(`variable "on" {
  default = true
}
variable "names" {
  default = ["a", "b"]
}
locals {
  branch = "x-%{ if var.on }yes%{ else }no%{ endif }-y"
  other  = "%{ if !var.on }yes%{ else }no%{ endif }"
  loop   = "%{ for n in var.names }[\${n}]%{ endfor }"
  keyed  = "%{ for i, n in var.names }\${i}=\${n};%{ endfor }"
  map    = "%{ for k, v in { b = 2, a = 1 } }\${k}\${v}%{ endfor }"
  nested = "%{ for n in var.names }%{ if n != "a" }\${n}%{ endif }%{ endfor }"
  ref    = "%{ if var.on }\${aws_lambda_function.f.arn}%{ endif }"
}
`);
    expect(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, shown(v)]))).toEqual({
      branch: 'x-yes-y',
      other: 'no',
      loop: '[a][b]',
      keyed: '0=a;1=b;',
      map: 'a1b2', // a map in key order, as Terraform iterates it
      nested: 'b',
      ref: '${aws_lambda_function.f.arn}',
    });
  });

  it('strip markers remove the whitespace (newlines too) on their side of the tag, in quoted strings and heredocs', async () => {
    const values = await locals(`locals {
  quoted  = "a  %{ if true ~}  b  %{~ endif }  c \${~ "d" ~}  e"
  heredoc = <<EOT
[
  %{~ for x in ["p", "q"] ~}
  \${x}
  %{~ endfor ~}
]
EOT
  escaped = <<EOT
%{ if true }$\${literal} %%{literal}%{ endif }
EOT
}
`);
    expect(shown(values.quoted)).toBe('a  b  cde');
    expect(shown(values.heredoc)).toBe('[pq]\n');
    expect(shown(values.escaped)).toBe('${literal} %{literal}\n');
  });

  it('leave the value unknown when a condition or collection is not known: no one string stands for it', async () => {
    const values = await locals(`variable "flag" {}
locals {
  condition  = "%{ if var.flag }a%{ else }b%{ endif }"
  collection = "%{ for x in data.external.x.result }\${x}%{ endfor }"
  not_bool   = "%{ if "maybe" }a%{ endif }"
}
`);
    expect(values.condition.kind).toBe('unknown');
    expect(values.collection.kind).toBe('unknown');
    expect(values.not_bool.kind).toBe('unknown');
  });

  it('locate a heredoc policy rendered by directives at the lines it was written on', async () => {
    const root = tempTree({
      'main.tf': `variable "extra" {
  default = { invoke = "lambda:InvokeFunction" }
}

resource "aws_iam_policy" "p" {
  policy = <<EOT
{
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }
    %{~ for name, action in var.extra ~}
    ,
    {
      "Effect": "Allow",
      "Action": "\${action}",
      "Resource": "*"
    }
    %{~ endfor ~}
  ]
}
EOT
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line, f.range.column])).toEqual([['IG201', 'aws_iam_policy.p', 14, 17]]);
  });

  it('read a heredoc policy around a directive whose condition or collection is not known, the directive a hole as written', async () => {
    const root = tempTree({
      'main.tf': `variable "extra" {
  type = bool
}
resource "aws_iam_policy" "q" {
  policy = <<EOF
{
  "Statement": [
    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}
%{ if var.extra ~}
    ,{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
%{ endif ~}
  ]
}
EOF
}
resource "aws_iam_policy" "r" {
  policy = <<EOF
{
  "Statement": [
    {"Effect": "Allow", "Action": "%{ for a in data.x.y.actions }\${a}%{ endfor }", "Resource": "*"},
    {"Effect": "Allow", "Action": "lambda:InvokeFunction",
     "Resource": "*"}
  ]
}
EOF
}
resource "aws_lambda_permission" "p" {
  statement_id  = "x"
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = "%{ if var.extra }*%{ else }*%{ endif }"
}
`,
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    // The statement outside the unknown %{ if } is still reported where it was written, as the release before
    // directives were rendered did, with the directive's text making the JSON invalid (IG901); in a string, the
    // unknown %{ for } is an unknown piece of it and the JSON around it parses. A quoted template stays unknown.
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG201', 'aws_iam_policy.q', 8],
      ['IG901', 'main.tf', 9],
      ['IG201', 'aws_iam_policy.r', 21],
    ]);
  });
});
