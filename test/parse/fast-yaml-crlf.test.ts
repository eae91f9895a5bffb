import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { propertyParameters } from '../helpers/property.js';
import { expectAgreement, fast, REALWORLD, yamlFiles } from '../helpers/fast-yaml-agreement.js';

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
describe('fast CloudFormation YAML parser on CRLF text', () => {
  it('reads CRLF templates as the library does: every scalar style, comments, blank lines, a leading ---', () => {
    for (const text of [
      'A: 1 # c\nB:\n  C: !Ref X\n  D: [a, "b", {k: v}]\n  E:\n    - x\n    - y: 1\n      z: 2\n  F: |\n    code\n  G:\n  H: ~\n',
      '---\nA:\n  C: 1\n\n  # comment\n  E: 2   \n\n# top comment\nD:\n  - a\n\n  - b\nF: "q"\nG: x y z\n',
      'A: |-\n  l1\n   l2\n\nD: >\n  f1\n  f2\n\n  f3\nE: |+\n  k\n\nF: >-\n  a\n    more\n  b\n',
      'P: "a\n  b\n\n  c"\nQ: \'x\n   y\'\nR: { "k":\n   "v" }\nS: [\n  1,\n  2\n]\n',
      'P:\n  PolicyDocument: |\n    {"Statement": [{"Effect": "Allow",\n      "Action": "lambda:InvokeFunction", "Resource": "*"}]}\n  Q: "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\",\n    \\"Action\\": \\"lambda:*\\"}]}"\n  R: \'{"Statement":\n\n    [{"Action": "lambda:*"}]}\'\n',
    ]) {
      expect([text, expectAgreement(crlf(text))]).toEqual([text, true]);
    }
  });

  it('declines a lone CR (a line break to YAML) anywhere, and texts ending in a CR', () => {
    for (const text of ['A: 1\rB: 2\r\n', 'A: "x\ry"\r\n', 'A: |\r\n  x\r  y\r\n', 'A: 1\r\n\r', 'A: 1\r']) expect(fast(text)).toBeUndefined();
  });

  it('parses every YAML template of the fixtures, examples and real-world corpus (when present), written with CRLF, exactly as the library does', () => {
    const files = [...yamlFiles(join(REPO_ROOT, 'test', 'fixtures')), ...yamlFiles(join(REPO_ROOT, 'examples')), ...yamlFiles(REALWORLD)];
    let accepted = 0;
    let acceptedLf = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      if (text.includes('\r') || !/AWS::/.test(text)) continue;
      if (fast(text)) acceptedLf++;
      if (expectAgreement(crlf(text))) accepted++;
    }
    // Whatever the fast path reads with LF it reads with CRLF too (CRLF changes no construct it declines).
    expect(accepted).toBe(acceptedLf);
    expect(accepted).toBeGreaterThan(10);
  }, 180_000);

  it('finds in the CRLF examples exactly what it finds in the LF ones (rule ids, lines and columns)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ig-crlf-'));
    try {
      const findings = async (variant: string, convert: (text: string) => string) => {
        const root = join(dir, variant);
        for (const format of ['cloudformation', 'sam']) cpSync(join(REPO_ROOT, 'examples', format), join(root, format), { recursive: true });
        for (const file of yamlFiles(root)) writeFileSync(file, convert(readFileSync(file, 'utf8')));
        const { findings } = await scan({ paths: ['.'], cwd: root });
        return findings.map((f) => [f.ruleId, f.range.file, f.range.line, f.range.column, f.range.endLine, f.range.endColumn]);
      };
      const lf = await findings('lf', (text) => text);
      expect(lf.length).toBeGreaterThan(0);
      expect(await findings('crlf', crlf)).toEqual(lf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('on random templates written with CRLF: agrees with the library or declines, and accepts wherever the LF text is accepted', () => {
    const word = fc.constantFrom('a', 'Fn', 'lambda:InvokeFunction', '1', '012', 'true', '~', 'x y', 'arn:aws:x', '*', '""', "''", '"q"', "'it''s'", '"a\\"b"');
    const key = fc.constantFrom('A', 'Type', 'Properties', "'q k'", '"Q"', 'k1');
    const comment = fc.constantFrom('', ' # c', '   ');
    const blockLines = fc.array(fc.constantFrom('text', '  more', '', '{"k": "v"}', '# not a comment'), { minLength: 1, maxLength: 4 });
    const scalar = fc.oneof(
      word,
      fc.constantFrom('!Ref X', '!GetAtt R.Arn', '!Sub "${A}"', '[a, "b", {k: v}]', '{ "Effect": "Allow" }', '[\n    1,\n    2\n  ]', '"a\n    b\n\n    c"', "'{\"k\":\n    \"v\"}'", '"\\u00e9\\t"'),
      fc.tuple(fc.constantFrom('|', '>', '|-', '>+', '|+', '>-'), blockLines).map(([header, lines]) => ({ header, lines })),
    );
    type Node = string | { header: string; lines: string[] } | { map: Array<[string, Node]> } | { seq: Node[] };
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 3 }).map((map) => ({ map })),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
      ),
    }));
    const render = (n: Node, indent: number, c: string, blank: boolean): string => {
      const pad = ' '.repeat(indent);
      if (typeof n === 'string') return ` ${n}${c}\n`;
      if ('header' in n) return ` ${n.header}\n${n.lines.map((l) => (l === '' ? '\n' : `${pad}  ${l}\n`)).join('')}`;
      if ('map' in n) return `\n${n.map.map(([k, v]) => `${blank ? '\n' : ''}${pad}  ${k}:${render(v, indent + 2, c, blank)}`).join('')}`;
      return `\n${n.seq.map((v) => `${pad}  -${render(v, indent + 2, c, blank)}`).join('')}`;
    };
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 3 }), comment, fc.boolean(), (entries, c, blank) => {
        const text = entries.map(([k, v]) => `${k}:${render(v, 0, c, blank)}`).join(blank ? '\n' : '');
        const lfAccepted = fast(text) !== undefined;
        const crlfAccepted = expectAgreement(crlf(text));
        expect(crlfAccepted).toBe(lfAccepted);
        if (crlfAccepted) accepted++;
      }),
      propertyParameters(1500),
    );
    expect(accepted).toBeGreaterThan(300);
  }, 120_000);
});
