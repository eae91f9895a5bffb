import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse } from 'yaml';
import { get, type Value } from '../../src/model/value.js';
import { parseYamlTemplate } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { propertyParameters } from '../helpers/property.js';

/** A converted template as plain data, to compare with what a YAML loader builds. */
function plain(value: Value | undefined): unknown {
  switch (value?.kind) {
    case 'object':
      return Object.fromEntries(value.entries.map((e) => [e.key, plain(e.value)]));
    case 'list':
      return value.items.map(plain);
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    default:
      return null;
  }
}

/** The `yaml` library's own expansion, merge keys on (YAML 1.1's rules, which PyYAML follows too). */
const reference = (text: string) => parse(text, { merge: true });
const converted = (text: string) => {
  const { template, errors } = parseYamlTemplate('t.yaml', text);
  expect(errors).toEqual([]);
  return template;
};

describe('YAML anchors, aliases and merge keys in templates', () => {
  it('expands an alias to the node anchored with its name, the last such anchor before it', () => {
    const text = 'A: &x one\nB: *x\nC: &x two\nD: *x\nE: &m {K: [1, *x]}\nF: *m\n';
    expect(plain(converted(text))).toEqual(reference(text));
    expect(plain(converted(text))).toEqual({ A: 'one', B: 'one', C: 'two', D: 'two', E: { K: [1, 'two'] }, F: { K: [1, 'two'] } });
  });

  it('merges `<<` sources under the mapping own keys, the earlier source first; a quoted "<<" is an ordinary key', () => {
    const text = [
      'a: &a {K: a, A: 1}',
      'b: &b {K: b, B: 2}',
      'one: {<<: *a, K: own}',
      'two: {K: own, <<: [*a, *b]}',
      'three: {<<: [*b, *a]}',
      'four:',
      '  <<: *a',
      '  <<: *b',
      'quoted: {"<<": *a}',
      '',
    ].join('\n');
    const value = converted(text);
    expect(plain(get(value, 'one'))).toEqual({ K: 'own', A: 1 });
    expect(plain(get(value, 'two'))).toEqual({ K: 'own', A: 1, B: 2 });
    expect(plain(get(value, 'three'))).toEqual({ K: 'b', B: 2, A: 1 });
    expect(plain(get(value, 'four'))).toEqual(reference(text).four);
    expect(plain(get(get(value, 'quoted'), '<<'))).toEqual({ K: 'a', A: 1 });
  });

  it('locates an aliased value where the alias stands, and what is inside it where it was written', () => {
    const value = converted('Base: &base\n  AuthType: NONE\nUrl: *base\n');
    const url = get(value, 'Url');
    expect(url?.range.line).toBe(3);
    expect(get(url, 'AuthType')?.range.line).toBe(2);
  });

  it('equals the library expansion on random documents of anchored mappings, aliases and merges', () => {
    const key = fc.constantFrom('K', 'A', 'B', 'AuthType', 'Principal');
    const scalar = fc.constantFrom('NONE', 'AWS_IAM', "'*'", '1');
    const entries = fc.uniqueArray(fc.tuple(key, scalar), { selector: ([k]) => k, maxLength: 4 });
    const document = fc.record({
      anchors: fc.array(entries, { minLength: 1, maxLength: 4 }),
      users: fc.array(fc.record({ merges: fc.array(fc.nat(3), { maxLength: 3 }), own: entries, alias: fc.option(fc.nat(3)) }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(document, ({ anchors, users }) => {
        const lines = anchors.map((pairs, i) => `a${i}: &x${i} {${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
        users.forEach(({ merges, own, alias }, i) => {
          const sources = merges.map((m) => `*x${m % anchors.length}`);
          const items = [...(sources.length ? [`<<: [${sources.join(', ')}]`] : []), ...own.map(([k, v]) => `${k}: ${v}`)];
          lines.push(`u${i}: {${items.join(', ')}}`);
          if (alias !== null) lines.push(`v${i}: *x${alias % anchors.length}`);
        });
        const text = lines.join('\n') + '\n';
        expect(plain(converted(text))).toEqual(reference(text));
      }),
      propertyParameters(500),
    );
  });
});
