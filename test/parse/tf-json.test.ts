import { describe, expect, it } from '@jest/globals';
import type { Expr, HclBlock } from '../../src/parse/terraform-hcl/hcl-ast.js';
import { parseTfJson, requoteTemplate } from '../../src/parse/terraform-json/tf-json.js';
import { triples } from '../helpers/scan.js';

const attr = (block: HclBlock, name: string): Expr | undefined => block.body.attributes.find((a) => a.name === name)?.expr;

describe('tf.json → HclFile', () => {
  it('nests resource/data/variable/module labels and keeps locals as attributes', async () => {
    const { hcl, errors } = await parseTfJson(
      'x.tf.json',
      JSON.stringify({
        resource: { aws_lambda_permission: { a: { principal: '*' }, b: [{ principal: 'sns.amazonaws.com' }] } },
        data: { aws_iam_policy_document: { doc: { statement: [] } } },
        variable: { v: { default: '${not.a.template}' } },
        module: { m: { source: './m' } },
        locals: { l: 1 },
        output: { o: { value: 'x' } },
        terraform: { required_version: '>= 1.5' },
      }),
    );
    expect(errors).toEqual([]);
    expect(hcl.body.blocks.map((b) => [b.type, ...b.labels])).toEqual([
      ['resource', 'aws_lambda_permission', 'a'],
      ['resource', 'aws_lambda_permission', 'b'],
      ['data', 'aws_iam_policy_document', 'doc'],
      ['variable', 'v'],
      ['module', 'm'],
      ['locals'],
      ['output', 'o'],
    ]);
    // A variable's default is a literal value, never a template.
    expect(attr(hcl.body.blocks[3], 'default')).toMatchObject({ t: 'literal', value: '${not.a.template}' });
    expect(hcl.body.blocks[5].body.attributes.map((a) => a.name)).toEqual(['l']);
  });

  it('parses interpolations with the HCL parser, positions exact in the JSON file', async () => {
    const text = '{\n  "resource": {\n    "t": {\n      "n": {\n        "arn": "${aws_sns_topic.events.arn}/*",\n        "one": "${local.x}"\n      }\n    }\n  }\n}\n';
    const { hcl } = await parseTfJson('x.tf.json', text);
    const block = hcl.body.blocks[0];
    const arn = attr(block, 'arn');
    expect(arn?.t).toBe('template');
    if (arn?.t !== 'template') return;
    const [interpolation, tail] = arn.parts;
    expect(tail).toEqual({ kind: 'text', text: '/*' });
    expect(interpolation.kind === 'interpolation' && interpolation.expr).toMatchObject({
      t: 'ref',
      path: ['aws_sns_topic', 'events', 'arn'],
      // `aws_sns_topic.events.arn` starts after `        "arn": "${` on line 5.
      range: { file: 'x.tf.json', line: 5, column: 19, endLine: 5, endColumn: 43 },
    });
    // A string that is exactly one interpolation is that expression's value (HCL semantics).
    expect(attr(block, 'one')).toMatchObject({ t: 'ref', path: ['local', 'x'], range: { line: 6, column: 19 } });
  });

  it('re-quotes strings with JSON escapes; positions then point at the whole string', async () => {
    const text = '{"locals": {"p": "${jsonencode({\\"a\\" = \\"b\\"})}", "q": "say \\"${var.x}\\"", "r": "$${literal}"}}';
    const { hcl, errors } = await parseTfJson('x.tf.json', text);
    expect(errors).toEqual([]);
    const [p, q, r] = hcl.body.blocks[0].body.attributes.map((a) => a.expr);
    expect(p).toMatchObject({ t: 'call', name: 'jsonencode', range: { line: 1, column: 18 } });
    expect(q.t === 'template' && q.parts.map((part) => (part.kind === 'text' ? part.text : 'INTERP'))).toEqual(['say "', 'INTERP', '"']);
    // `$${` is the escape for a literal `${`.
    expect(r).toMatchObject({ t: 'literal', value: '${literal}' });
  });

  it('turns known nested block types (object or array of objects) into blocks, other objects into attributes', async () => {
    const { hcl } = await parseTfJson(
      'x.tf.json',
      JSON.stringify({
        data: {
          aws_iam_policy_document: {
            d: { statement: [{ actions: ['x'], principals: { type: 'AWS', identifiers: ['*'] }, condition: [{ test: 'StringEquals', variable: 'k', values: ['v'] }] }] },
          },
        },
        resource: { aws_iam_role: { r: { tags: { team: 'a' }, inline_policy: { name: 'p', policy: '{}' } } } },
      }),
    );
    const [doc, role] = hcl.body.blocks;
    const statement = doc.body.blocks[0];
    expect(statement.type).toBe('statement');
    expect(statement.body.blocks.map((b) => b.type)).toEqual(['principals', 'condition']);
    expect(role.body.blocks.map((b) => b.type)).toEqual(['inline_policy']);
    expect(role.body.attributes.map((a) => a.name)).toEqual(['tags']);
  });

  it('records the CDKTF construct path and skips "//" comments', async () => {
    const { hcl } = await parseTfJson('cdk.tf.json', JSON.stringify({ resource: { t: { n: { '//': { metadata: { path: 'stack/a/b' } }, x: 1 } } } }));
    expect(hcl.body.blocks[0].constructPath).toBe('stack/a/b');
    expect(hcl.body.blocks[0].body.attributes.map((a) => a.name)).toEqual(['x']);
  });

  it('reports a malformed template as a located input error', async () => {
    const { errors } = await parseTfJson('x.tf.json', '{"locals": {"bad": "${var.}"}}');
    expect(errors).toHaveLength(1);
    expect(errors[0].range).toMatchObject({ file: 'x.tf.json', line: 1 });
    expect(errors[0].message).toContain('invalid template');
  });

  it('escapes literal text only, keeping quotes inside interpolations', () => {
    expect(requoteTemplate('a "b" ${f("c")} \\ $${d}')).toBe('a \\"b\\" ${f("c")} \\\\ $${d}');
  });
});

describe('.tf and .tf.json in one folder', () => {
  it('form one module: locals, variables and module calls cross between the two syntaxes', async () => {
    expect(await triples('test/fixtures/mixed')).toEqual([
      ['IG101', 'aws_lambda_permission.from_hcl_local', 7],
      ['IG104', 'aws_lambda_function_url.from_hcl_variable', 13],
      // The module's Action comes from the caller's tf.json argument: the finding points there.
      ['IG201', 'module.invoker.aws_iam_policy.invoker', 20],
    ]);
  });
});

describe('terraform.tfvars.json and *.auto.tfvars.json', () => {
  it('set root variables like their HCL counterparts, later files winning', async () => {
    expect(await triples('test/fixtures/tfvars-json')).toEqual([
      ['IG101', 'aws_lambda_permission.caller', 11],
      ['IG104', 'aws_lambda_function_url.orders', 17],
    ]);
  });
});
