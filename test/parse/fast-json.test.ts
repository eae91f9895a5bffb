import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Hole, parseJsonValue, parseJsonValueFast, parseJsonValueWithJsonc } from '../../src/model/json-value.js';
import { stringMapper } from '../../src/model/policy-document.js';
import { createPositionMapper, type PositionMapper } from '../../src/model/range.js';
import type { StringValue, Value } from '../../src/model/value.js';
import { MAX_NESTING } from '../../src/parse/nesting.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { mutate, mutationFrom, propertyParameters } from '../helpers/property.js';

const REALWORLD = join(REPO_ROOT, '..', 'shared', 'realworld');

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f))
    .sort();
}

const mapperOf = (text: string) => createPositionMapper('t.json', text);

/** The fast path either declines, or yields exactly the jsonc path's Value tree (ranges, positions maps) for input jsonc finds valid. */
function expectAgreement(text: string, mapper: PositionMapper = mapperOf(text), holes: Hole[] = []): boolean {
  const quick = parseJsonValueFast(text, mapper, holes);
  if (!quick) return false;
  const reference = parseJsonValueWithJsonc(text, mapper, holes);
  expect(reference.errors).toEqual([]);
  expect(quick).toEqual(reference.value);
  return true;
}

/** Every string in a tree that holds a JSON document and knows where its characters stand: policies written as strings. */
function policyStrings(value: Value | undefined, out: StringValue[] = []): StringValue[] {
  if (!value) return out;
  if (value.kind === 'string' && value.positions) out.push(value);
  else if (value.kind === 'list') for (const item of value.items) policyStrings(item, out);
  else if (value.kind === 'object') for (const entry of value.entries) policyStrings(entry.value, out);
  return out;
}

const SNIPPETS = [
  '{}',
  '[]',
  ' { "a" : 1 , "b":[ true,false,null ] }\n',
  '{"a": 1, "a": 2, "b": {"a": 3}}',
  '{"n": [0, -0, 1.5, -2e10, 3E+2, 4e-3, 12345678901234567890, 1e400, 0.1]}',
  '"just a string"',
  '42',
  'null',
  '{"esc": "q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u00E9 \\ud83d\\ude00 \\ud800 lone \\udc00"}',
  '{"raw": "é 😀 \u2028 \u007f"}',
  '{\r\n  "crlf": [\r\n    1\r\n  ]\r\n}\r\n',
  '{\n\t"tabs": {\n\t\t"k": "v"\n\t}\n}',
  '{"Policy": "{\\n  \\"Version\\": \\"2012-10-17\\",\\n  \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"lambda:*\\"}]\\n}"}',
  '{"": "", "k": " {x"}',
];

describe('fast JSON parser agrees with jsonc-parser', () => {
  it.each(SNIPPETS.map((s) => [s]))('on %j', (text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it('declines what it leaves to jsonc: comments, trailing commas, syntax errors, control characters, bad escapes, other whitespace', () => {
    const texts = [
      '{"a": 1} // c',
      '/* c */ {"a": 1}',
      '{"a": 1,}',
      '[1, 2,]',
      '{"a" 1}',
      '{"a": 1 "b": 2}',
      '{a: 1}',
      "{'a': 1}",
      '[1 2]',
      '{"a": }',
      '',
      '   ',
      '{"a": 1}}',
      '{"a": 1} x',
      '{"a": tru}',
      '{"a": truex}',
      '{"a": nul}',
      '{"a": 01}',
      '{"a": 1.}',
      '{"a": .5}',
      '{"a": +1}',
      '{"a": -}',
      '{"a": 1e}',
      '{"a": 1e+}',
      '{"a": NaN}',
      '{"a": "x',
      '{"a": "line\nbreak"}',
      '{"a": "tab\there"}',
      '{"a": "nul\u0000"}',
      '{"a": "\\x41"}',
      '{"a": "\\u12"}',
      '{"a": "\\u12G4"}',
      '{"a": "\\',
      '\ufeff{"a": 1}',
      '{"a":\u00a01}',
      '{"a":\v1}',
      '[',
      '{',
      '{"a"',
      '{"a":',
    ];
    for (const text of texts) expect(parseJsonValueFast(text, mapperOf(text))).toBeUndefined();
    // What it declines, parseJsonValue still parses (jsonc tolerates comments and trailing commas) and reports as before.
    expect(parseJsonValue('{"a": 1,} // c', mapperOf('{"a": 1,} // c'))).toEqual(parseJsonValueWithJsonc('{"a": 1,} // c', mapperOf('{"a": 1,} // c')));
    const broken = '{\n  "a": 1\n  "b": 2\n}';
    expect(parseJsonValue(broken, mapperOf(broken)).errors).toEqual([{ message: "invalid JSON: expected ','", range: { file: 't.json', line: 3, column: 3, endLine: 3, endColumn: 6 } }]);
  });

  it(`accepts nesting to ${MAX_NESTING} levels and declines deeper (jsonc parses it as before)`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(expectAgreement(nested(MAX_NESTING))).toBe(true);
    expect(parseJsonValueFast(nested(MAX_NESTING + 1), mapperOf(nested(MAX_NESTING + 1)))).toBeUndefined();
    const objects = '{"a":'.repeat(MAX_NESTING + 1) + '1' + '}'.repeat(MAX_NESTING + 1);
    expect(parseJsonValueFast(objects, mapperOf(objects))).toBeUndefined();
  });

  it('puts holes back as the jsonc path does: whole values, placeholders of one character, holes inside strings', () => {
    const unknown = (ref: string): Value => ({ kind: 'unknown', ref, range: { file: 'h.tf', line: 9, column: 9, endLine: 9, endColumn: 9 } });
    const text = '{"Resource": ${a.arn}, "N": $, "S": "arn:${b.id}/*", "Only": "${c}"}';
    const holesOf = (refs: string[]): Hole[] => {
      const holes: Hole[] = [];
      let from = 0;
      for (const ref of refs) {
        const start = text.indexOf(ref, from);
        holes.push({ start, end: start + ref.length, value: ref === '$' ? unknown('one') : unknown(ref) });
        from = start + ref.length;
      }
      return holes;
    };
    const holes = holesOf(['${a.arn}', '$', '${b.id}', '${c}']);
    expect(expectAgreement(text, mapperOf(text), holes)).toBe(true);
    const value = parseJsonValueFast(text, mapperOf(text), holes);
    expect(value).toMatchObject({ kind: 'object', entries: [{ value: { kind: 'unknown', ref: '${a.arn}' } }, { value: { kind: 'number', value: 0 } }, { value: { kind: 'template' } }, { value: { kind: 'template' } }] });
    // A hole with quotes in it, inside a string, breaks the string for both parsers: the fast path declines, jsonc reports.
    const quoted = '{"Q": "${jsonencode("x")}"}';
    const start = quoted.indexOf('$');
    const hole: Hole[] = [{ start, end: quoted.indexOf('}') + 1, value: unknown('q') }];
    expect(parseJsonValueFast(quoted, mapperOf(quoted), hole)).toBeUndefined();
    expect(parseJsonValueWithJsonc(quoted, mapperOf(quoted), hole).errors).not.toEqual([]);
  });

  it('parses every JSON file in the fixtures, examples and real-world corpus, and every policy written as a string in them, exactly as jsonc does', () => {
    const files = [...jsonFiles(join(REPO_ROOT, 'test', 'fixtures')), ...jsonFiles(join(REPO_ROOT, 'examples')), ...jsonFiles(REALWORLD)];
    let accepted = 0;
    let strings = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const mapper = createPositionMapper(file, text);
      if (!expectAgreement(text, mapper)) continue;
      accepted++;
      // Policies as JSON strings are parsed through a mapper of their own (positions of escaped characters).
      for (const policy of policyStrings(parseJsonValueFast(text, mapper))) if (expectAgreement(policy.value, stringMapper(policy))) strings++;
    }
    // The fast path must carry real files, not decline them all (some fixtures have comments or errors on purpose).
    expect(accepted / files.length).toBeGreaterThan(0.9);
    expect(strings).toBeGreaterThan(0);
  }, 60_000);
});

/** A UTF-16 unit as four hex digits, in either case (both are valid JSON). */
function hex4(code: number, upper: boolean): string {
  const digits = code.toString(16).padStart(4, '0');
  return upper ? digits.toUpperCase() : digits;
}

/** Random JSON text for a value: random whitespace between tokens, characters escaped at random. */
function jsonText(value: unknown, space: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.infiniteStream(fc.tuple(space, fc.nat(9))).map((random) => {
    const it = random[Symbol.iterator]();
    const next = () => it.next().value as [string, number];
    const ws = () => next()[0];
    const str = (s: string): string => {
      let out = '"';
      for (const ch of s) {
        const code = ch.codePointAt(0)!;
        const roll = next()[1];
        if (ch === '"' || ch === '\\') out += '\\' + ch;
        else if (code < 0x20 || roll < 2) for (let i = 0; i < ch.length; i++) out += '\\u' + hex4(ch.charCodeAt(i), roll === 1);
        else if (roll === 2 && ch === '/') out += '\\/';
        else out += ch;
      }
      return out + '"';
    };
    const write = (v: unknown): string => {
      if (typeof v === 'string') return str(v);
      if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x) + ws()).join(',' + ws())}]`;
      if (v && typeof v === 'object') return `{${ws()}${Object.entries(v).map(([k, x]) => str(k) + ws() + ':' + ws() + write(x) + ws()).join(',' + ws())}}`;
      return JSON.stringify(v);
    };
    return ws() + write(value) + ws();
  });
}

describe('fast JSON parser on generated input', () => {
  const space = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', '  \n    ', '\n\t\t');
  const generated = fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' }).chain((v) => jsonText(v, space));

  it('on 1,000 generated JSON texts (random whitespace, escapes, unicode): accepts and agrees with jsonc', () => {
    fc.assert(
      fc.property(generated, (text) => {
        expect(expectAgreement(text)).toBe(true);
      }),
      propertyParameters(1000),
    );
  });

  it('on 1,000 generated JSON strings holding policies, read through their positions map: agrees with jsonc', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).chain((v) => jsonText({ Policy: v }, space)), (inner) => {
        const outer = `{"Doc": ${JSON.stringify(`{${inner.slice(1)}`)}}`;
        const value = parseJsonValueFast(outer, mapperOf(outer));
        const [policy] = policyStrings(value);
        if (policy) expectAgreement(policy.value, stringMapper(policy));
      }),
      propertyParameters(1000),
    );
  });

  it('on 1,000 mutated texts (characters deleted, inserted, duplicated): agrees or declines', () => {
    const mutation = mutationFrom('{}[]",:\\/*\n\r\t 0-1e.tnu\u00e9\ufeff');
    let declined = 0;
    fc.assert(
      fc.property(generated, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, mutations) => {
        if (!expectAgreement(mutate(text, mutations))) declined++;
      }),
      propertyParameters(1000),
    );
    expect(declined).toBeGreaterThan(100);
  });
});
