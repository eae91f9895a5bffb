import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { parseText } from '../../src/parse/parse-file.js';
import { parseYamlValue } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { createPositionMapper } from '../../src/model/range.js';
import { knownString, get } from '../../src/model/value.js';

const mapper = (text: string) => createPositionMapper('p.yaml', text);

describe('parseYamlValue (yamldecode)', () => {
  it('reads one document of core tags, each node located by the mapper', () => {
    const text = 'a: !!str 1\nb:\n  - x\n';
    const value = parseYamlValue(text, mapper(text));
    expect(knownString(get(value!, 'a'))).toBe('1');
    const b = get(value!, 'b');
    expect(b?.kind === 'list' ? b.items[0].range.line : undefined).toBe(3);
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
});
