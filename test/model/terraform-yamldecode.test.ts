import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { parseText } from '../../src/parse/parse-file.js';
import { parseYamlValue } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { createPositionMapper } from '../../src/model/range.js';
import { knownString, get } from '../../src/model/value.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const mapper = (text: string) => createPositionMapper('p.yaml', text);

describe('parseYamlValue (yamldecode)', () => {
  it('reads one document of core tags, each node located by the mapper', () => {
    const text = 'a: !!str 1\nb:\n  - x\n';
    const value = parseYamlValue(text, mapper(text));
    expect(knownString(get(value!, 'a'))).toBe('1');
    const b = get(value!, 'b');
    expect(b?.kind === 'list' ? b.items[0].range.line : undefined).toBe(3);
  });

  it('keeps the last value of a key given twice, as go-cty-yaml does, one entry per key', () => {
    const text = 'a: 1\nb: x\na: 2\n';
    const value = parseYamlValue(text, mapper(text));
    expect(value?.kind === 'object' ? value.entries.map((e) => [e.key, e.keyRange.line]) : value).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
    expect(get(value!, 'a')).toMatchObject({ kind: 'number', value: 2, range: { line: 3 } });
  });

  it('is undefined where Terraform fails: another tag, two documents, a syntax error, an alias bomb', () => {
    for (const text of ['a: !Ref x\n', 'a: 1\n---\nb: 2\n', 'a: [1\n', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: &c [${'*b, '.repeat(9)}*b]\nd: [${'*c, '.repeat(9)}*c]\n`])
      expect([text, parseYamlValue(text, mapper(text))]).toEqual([text, undefined]);
  });
});

describe('yamldecode in Terraform', () => {
  it('decodes a string literal, located inside it; a value not known is unknown', async () => {
    const text = 'locals {\n  a = yamldecode("x: 1")\n  b = yamldecode(var.v)\n}\nresource "aws_iam_policy" "p" {\n  policy = jsonencode({ x = local.a.x, y = local.b })\n}\n';
    const model = buildModel([await parseText('terraform-hcl', 'main.tf', text)]);
    const policy = model.identityPolicies[0].policy.value;
    expect(get(policy, 'x')).toMatchObject({ kind: 'number', value: 1, range: { line: 2 } });
    expect(get(policy, 'y')?.kind).toBe('unknown');
  });

  it('reads a policy file whose Resource is given twice with the last one: IG201 on every function', async () => {
    const root = tempTree({
      'main.tf': 'resource "aws_iam_policy" "p" {\n  policy = jsonencode(yamldecode(file("${path.module}/invoke.yaml")))\n}\n',
      'invoke.yaml': 'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Resource: arn:aws:lambda:us-east-1:123456789012:function:orders\n    Action: lambda:InvokeFunction\n    Resource: "*"\n',
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line])).toEqual([['IG201', 'aws_iam_policy.p', 'invoke.yaml', 5]]);
  });
});
