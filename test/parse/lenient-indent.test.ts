import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { indentContinuations } from '../../src/parse/cloudformation/lenient-indent.js';
import { parseYamlTemplateWithLibrary } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { getEntry, type Value } from '../../src/model/value.js';
import { propertyParameters } from '../helpers/property.js';

/** A Value tree without its ranges, to compare what two texts mean. */
function meaning(value: Value | undefined): unknown {
  if (!value) return undefined;
  if (value.kind === 'object') return value.entries.map((e) => [e.key, meaning(e.value)]);
  if (value.kind === 'list') return value.items.map(meaning);
  if (value.kind === 'string' || value.kind === 'number' || value.kind === 'bool') return value.value;
  return value.kind;
}

/** Each template as PyYAML and CloudFormation accept it, and the same properly indented. */
const CASES: Array<{ name: string; written: string; indented: string }> = [
  {
    name: 'a flow map whose lines stand at its key (SAM Globals Cors)',
    written: 'Globals:\n  Api:\n    Cors: {\n    "Fn::Join": [",", ["a.com", "b.com"]]\n    }\nResources:\n  A:\n    Type: X\n',
    indented: 'Globals:\n  Api:\n    Cors: {\n     "Fn::Join": [",", ["a.com", "b.com"]]\n     }\nResources:\n  A:\n    Type: X\n',
  },
  {
    name: 'a single-quoted !Sub policy whose closing lines come back left of its key',
    written:
      "Policies:\n  - PolicyName: P\n    PolicyDocument: !Sub '{\n        \"Statement\": [\n          {\n  \"Effect\": \"Allow\", \"Action\": \"lambda:*\", \"Resource\": \"*\"\n          }\n        ]\n    }'\n  - PolicyName: Q\n",
    indented:
      "Policies:\n  - PolicyName: P\n    PolicyDocument: !Sub '{\n        \"Statement\": [\n          {\n     \"Effect\": \"Allow\", \"Action\": \"lambda:*\", \"Resource\": \"*\"\n          }\n        ]\n     }'\n  - PolicyName: Q\n",
  },
  {
    name: 'a flow sequence of !Sub items under a sequence entry',
    written: 'Statement:\n  - Action:\n      - rds:Describe*\n    Resource: [\n    !Sub "arn:${AWS::Partition}:rds:db:${Db}",\n    "*"\n    ]\n    Effect: Allow\n',
    indented: 'Statement:\n  - Action:\n      - rds:Describe*\n    Resource: [\n     !Sub "arn:${AWS::Partition}:rds:db:${Db}",\n     "*"\n     ]\n    Effect: Allow\n',
  },
  {
    name: 'a double-quoted scalar with an escaped line break',
    written: 'A:\n  B: "one \\\ntwo\n  three"\n  C: 1\n',
    indented: 'A:\n  B: "one \\\n   two\n   three"\n  C: 1\n',
  },
];

describe('templates whose continuation lines PyYAML accepts at their key', () => {
  it.each(CASES)('reads $name as its indented twin, with nothing reported', ({ written, indented }) => {
    expect(parseDocument(written).errors.length).toBeGreaterThan(0); // YAML 1.2 refuses it as written
    const reference = parseYamlTemplateWithLibrary('t.yaml', indented);
    expect(reference.errors).toEqual([]);
    const lenient = parseYamlTemplateWithLibrary('t.yaml', written);
    expect(lenient.errors).toEqual([]);
    expect(meaning(lenient.template)).toEqual(meaning(reference.template));
  });

  it('locates every node where it stands in the text as written', () => {
    const { written } = CASES[0];
    const template = parseYamlTemplateWithLibrary('t.yaml', written).template;
    const cors = getEntry(getEntry(getEntry(template, 'Globals')?.value, 'Api')?.value, 'Cors')!;
    const join = getEntry(cors.value, 'Fn::Join')!;
    // "Fn::Join" opens line 4 at column 5 as written (column 6 in the indented text the library read).
    expect(join.keyRange).toMatchObject({ file: 't.yaml', line: 4, column: 5, endLine: 4 });
    expect(written.split('\n')[3].slice(join.keyRange.column - 1, join.keyRange.endColumn - 1)).toBe('"Fn::Join"');
    const resources = getEntry(template, 'Resources')!;
    expect(resources.keyRange).toMatchObject({ line: 6, column: 1, endColumn: 10 });
  });

  it('leaves block scalars alone: quotes and brackets in them start nothing', () => {
    const text = "A: |\n  it's [not\n  {a flow\nB: {\nc: 1}\nC: >-\n  x'\n";
    const parsed = parseYamlTemplateWithLibrary('t.yaml', text);
    expect(parsed.errors).toEqual([]);
    expect(meaning(parsed.template)).toEqual([
      ['A', "it's [not\n{a flow\n"],
      ['B', [['c', 1]]],
      ['C', "x'"],
    ]);
  });

  it('still reports what is really broken, as and where the library does', () => {
    for (const text of ['A: [1, 2\nB: 3\n', "A: 'x\nB: 3\n", 'A: {\nb: 1}\n\tC: 2\n', 'A: {\nb: 1}\nC: [\nd\n']) {
      const asWritten = parseDocument(text, { prettyErrors: false }).errors[0];
      const parsed = parseYamlTemplateWithLibrary('t.yaml', text);
      expect(parsed.errors).toHaveLength(1);
      expect(parsed.errors[0].message).toBe(`invalid YAML: ${asWritten.message}`);
      expect(parsed.errors[0].range.line).toBe(text.slice(0, asWritten.pos[0]).split('\n').length);
    }
  });

  it('changes nothing in a text that needs no indenting', () => {
    expect(indentContinuations('A: [1,\n  2]\nB: "x\n  y"\n')).toBeUndefined();
  });

  it('maps every offset of the indented text back into the text as written', () => {
    const { written } = CASES[1];
    const lenient = indentContinuations(written)!;
    expect(lenient.text).toBe(CASES[1].indented);
    // Every character of the indented text that is not an inserted space maps to the same character as written.
    let inserted = 0;
    for (let offset = 0; offset < lenient.text.length; offset++) {
      const at = lenient.original(offset);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThanOrEqual(written.length);
      if (lenient.text[offset] === written[at] && offset - at === inserted) continue;
      // An inserted space maps to the start of its line.
      expect(lenient.text[offset]).toBe(' ');
      expect(at === 0 || written[at - 1] === '\n').toBe(true);
      inserted++;
    }
    expect(inserted).toBe(lenient.text.length - written.length);
  });

  it('reads any flow collection or quoted scalar as its deeply indented twin, whatever its continuation lines\' indentation (property)', () => {
    const item = fc.constantFrom('a', 'lambda:*', '"x y"', "'it''s'", '!Ref Fn', '"${AWS::Region}"', '1', '{k: v}', '[b, c]');
    const word = fc.constantFrom('a', 'lambda:*', 'x y', '{', '}', '"Effect": "Allow",', '[', ']');
    const entry = fc.record({
      kind: fc.constantFrom('seq', 'map', 'single', 'double'),
      items: fc.array(item, { minLength: 1, maxLength: 4 }),
      words: fc.array(word, { minLength: 1, maxLength: 4 }),
      tag: fc.boolean(),
      indents: fc.array(fc.nat(6), { minLength: 6, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 3 }), fc.boolean(), (entries, dash) => {
        const written = 'Root:\n' + entries.map((e, n) => entryText(e, `K${n}`, dash, (i) => e.indents[i % e.indents.length])).join('');
        const twin = 'Root:\n' + entries.map((e, n) => entryText(e, `K${n}`, dash, () => 12)).join('');
        const reference = parseYamlTemplateWithLibrary('t.yaml', twin);
        expect(reference.errors).toEqual([]);
        const lenient = parseYamlTemplateWithLibrary('t.yaml', written);
        expect(lenient.errors).toEqual([]);
        expect(meaning(lenient.template)).toEqual(meaning(reference.template));
      }),
      propertyParameters(1000),
    );
  });

});

interface Entry {
  kind: string;
  items: string[];
  words: string[];
  tag: boolean;
}

/** `  K: [` (or `  - K: [`) and its items, brackets or words on continuation lines indented by `indent(i)`. */
function entryText(e: Entry, key: string, dash: boolean, indent: (i: number) => number): string {
  const head = `  ${dash ? '- ' : ''}${key}: ${e.tag ? '!Sub ' : ''}`;
  const line = (i: number, content: string) => `${' '.repeat(indent(i))}${content}\n`;
  if (e.kind === 'seq') return `${head}[\n${e.items.map((it, i) => line(i, it + (i < e.items.length - 1 ? ',' : ''))).join('')}${line(5, ']')}`;
  if (e.kind === 'map') return `${head}{\n${e.items.map((it, i) => line(i, `k${i}: ${it}` + (i < e.items.length - 1 ? ',' : ''))).join('')}${line(5, '}')}`;
  const quote = e.kind === 'single' ? "'" : '"';
  const words = e.words.map((w) => (quote === '"' ? w.replaceAll('"', '\\"') : w));
  return `${head}${quote}start\n${words.map((w, i) => line(i, w)).join('')}${line(5, `end${quote}`)}`;
}
