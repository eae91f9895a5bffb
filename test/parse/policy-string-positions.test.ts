import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../../src/model/build-model.js';
import { lineStartsOf, lineIndex } from '../../src/model/range.js';
import { fastPaths } from '../../src/parse/fast-paths.js';
import { parseCloudFormationFastPath } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { parseText } from '../../src/parse/parse-file.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { propertyParameters } from '../helpers/property.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * A policy written as a JSON string (quoted, block or `Fn::Sub` YAML scalars; a JSON template's
 * escaped string) is located inside the string, at its statement's lines, on both YAML paths.
 */
const STYLES = 'test/fixtures/policy-strings/styles.cfn.yaml';

afterEach(() => {
  fastPaths.enabled = true;
});

/** IG201 findings as [resource, line, column]. */
async function ig201(path: string): Promise<Array<[string, number, number]>> {
  const { findings } = await scanPaths(path);
  return findings.filter((f) => f.ruleId === 'IG201').map((f) => [f.resource, f.range.line, f.range.column]);
}

const EXPECTED_YAML: Array<[string, number, number]> = [
  ['SubSingleQuoted', 12, 23],
  ['Literal', 27, 25],
  ['LiteralStrip', 38, 24],
  ['Folded', 46, 19],
  ['DoubleQuoted', 54, 23], // after a `\u00e9` and `\\\"` escapes and an empty line folded to a newline
  ['DoubleQuotedOneLine', 58, 77],
  ['SubLongForm', 67, 25], // Sub with unknown variables: a template whose holes stay unknown
  ['SubList', 76, 24], // `[string, {Verb: ...}]`: the known value stands at its `${Verb}`
  ['FromParameter', 82, 28], // a parameter default is reported where it is used, as other values are
];

describe('a policy written as a YAML string: findings at the statement inside it', () => {
  it.each([true, false])('fast path %s: exact line and column for every scalar style', async (fast) => {
    fastPaths.enabled = fast;
    expect(await ig201(STYLES)).toEqual(EXPECTED_YAML);
  });

  it('the fast path reads that fixture (so the test above covers both paths)', () => {
    expect(parseCloudFormationFastPath('t.yaml', readFileSync(join(REPO_ROOT, STYLES), 'utf8'))?.template).toBeDefined();
  });

  it('strings only the yaml library reads: a closing quote at the key column, an escaped line break', async () => {
    const file = 'test/fixtures/policy-strings/library-only.cfn.yaml';
    expect(parseCloudFormationFastPath('t.yaml', readFileSync(join(REPO_ROOT, file), 'utf8'))).toBeUndefined();
    expect(await ig201(file)).toEqual([
      ['ClosedAtKeyColumn', 12, 23],
      ['SubEscapedLineBreak', 21, 21],
    ]);
  });

  it('a JSON template: through `\\n` and `\\"` escapes, plain and in Fn::Sub', async () => {
    expect(await ig201('test/fixtures/policy-strings/styles.cfn.json')).toEqual([
      ['Pol', 6, 138],
      ['Pol2', 13, 133],
    ]);
  });
});

describe('where positions cannot be mapped', () => {
  it.each([true, false])('fast path %s: the finding stands at the string, never at a wrong line', async (fast) => {
    fastPaths.enabled = fast;
    const { findings } = await scanPaths('test/fixtures/policy-strings/fallback.cfn.yaml');
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line, f.range.column])).toEqual([['IG303', 'Folded', 7, 33]]);
  });
});

describe('Fn::ForEach writing its identifier into a policy string', () => {
  it.each([true, false])('fast path %s: each expansion located at its statement, whatever the value lengths', async (fast) => {
    fastPaths.enabled = fast;
    // `"Sid": "${Name}${Name}"` stands before the Action on line 12: Alpha and LongerName shift it differently.
    expect(await ig201('test/fixtures/policy-strings/foreach.cfn.yaml')).toEqual([
      ['AlphaPolicy', 12, 68],
      ['LongerNamePolicy', 12, 68],
    ]);
  });
});

describe('--fix and policies written as strings', () => {
  it('leaves the string alone and says why (escapes and folding would have to be written back)', async () => {
    const template = readFileSync(join(REPO_ROOT, STYLES), 'utf8').replace('Resources:\n', 'Resources:\n  Orders:\n    Type: AWS::Lambda::Function\n');
    const dir = tempTree({ 'template.yaml': template });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const inStrings = findings.filter((f) => f.ruleId === 'IG201' && f.resource !== 'FromParameter');
    expect(inStrings.length).toBe(8);
    for (const f of inStrings) {
      expect(f.fix?.edits).toEqual([]);
      expect(f.fix?.description).toMatch(/Not applied by --fix: the policy is written as a JSON string/);
    }
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(template);
  });

  it('in a JSON template too', async () => {
    const template = readFileSync(join(REPO_ROOT, 'test/fixtures/policy-strings/styles.cfn.json'), 'utf8').replace('"Resources": {', '"Resources": {\n    "Orders": { "Type": "AWS::Lambda::Function" },');
    const dir = tempTree({ 'template.json': template });
    const { findings } = await scan({ paths: ['.'], cwd: dir });
    const ig201 = findings.filter((f) => f.ruleId === 'IG201');
    expect(ig201.map((f) => [f.resource, f.fix?.edits.length])).toEqual([
      ['Pol', 0],
      ['Pol2', 0],
    ]);
    for (const f of ig201) expect(f.fix?.description).toMatch(/Not applied by --fix: the policy is written as a JSON string/);
    await runCaptured(['--fix', '.'], { cwd: dir });
    expect(readFileSync(join(dir, 'template.json'), 'utf8')).toBe(template);
  });
});

/**
 * Random policies written in each string style: every statement's Action is located at the
 * `"lambda:ActN"` it was written as, on both YAML paths.
 */
type Style = 'single' | 'double' | 'literal' | 'folded' | 'sub-single' | 'json';
const STYLE_NAMES: Style[] = ['single', 'double', 'literal', 'folded', 'sub-single', 'json'];

const separator = fc.constantFrom(' ', '', '\n', '\n\n', '  ', '\n \n');
const sidText = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', "'", '\u00e9', '/', '{', '#', ':'), maxLength: 8 });
const statement = fc.record({ sid: fc.option(sidText, { nil: undefined }), resource: fc.constantFrom('*', 'arn:aws:lambda:*:*:function:*') });
const policyCase = fc.record({
  statements: fc.array(statement, { minLength: 1, maxLength: 4 }),
  seps: fc.array(separator, { minLength: 40, maxLength: 40 }),
  style: fc.constantFrom(...STYLE_NAMES),
  crlf: fc.boolean(),
});

/** JSON text of the policy, lines as the random separators lay it out (no line starts with a space: folded text takes none). */
function policyJson(statements: Array<{ sid?: string; resource: string }>, seps: string[]): string {
  let n = 0;
  const sep = () => seps[n++ % seps.length].replace(/\n +/g, '\n');
  const items = statements.map((s, i) => {
    const fields = [...(s.sid !== undefined ? [`"Sid":${sep()}${JSON.stringify(s.sid)}`] : []), `"Effect": "Allow"`, `"Action":${sep()}"lambda:Act${i}"`, `"Resource": ${JSON.stringify(s.resource)}`];
    return `{${sep()}${fields.join(`,${sep()}`)}${sep()}}`;
  });
  return `{"Version": "2012-10-17",${sep()}"Statement":${sep()}[${items.join(`,${sep()}`)}]}`;
}

function template(json: string, style: Style): string {
  const head = 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: ';
  const indented = (text: string) => text.split('\n').map((l) => (l === '' ? '' : `        ${l}`)).join('\n');
  switch (style) {
    case 'single':
    case 'sub-single':
      return `${head}${style === 'sub-single' ? '!Sub ' : ''}'${indented(json.replaceAll("'", "''")).trimStart()}'\n`;
    case 'double':
      return `${head}"${indented(json.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\u00e9/g, '\\u00e9')).trimStart()}"\n`;
    case 'literal':
      return `${head}|\n${indented(json)}\n`;
    case 'folded':
      // Folded text: a line break between two lines is a space, an empty line a newline — JSON either way.
      return `${head}>\n${indented(json)}\n`;
    case 'json':
      return JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: json } } } }, null, 2);
  }
}

/** Where `"lambda:ActN"` stands as written (its opening quote, escaped or not). */
function written(text: string, i: number): [number, number] {
  const at = text.indexOf(`lambda:Act${i}`);
  const open = text[at - 2] === '\\' ? at - 2 : at - 1;
  const starts = lineStartsOf(text);
  const line = lineIndex(starts, open, 0);
  return [line + 1, open - starts[line] + 1];
}

describe('property: random policies in every string style map each statement to its line', () => {
  it.each([true, false])('fast path %s', async (fast) => {
    fastPaths.enabled = fast;
    await fc.assert(
      fc.asyncProperty(policyCase, async ({ statements, seps, style, crlf }) => {
        const json = policyJson(statements, seps);
        JSON.parse(json);
        // CRLF line ends (left to the yaml library): a break's CR is part of the break, not text.
        const text = crlf && style !== 'json' ? template(json, style).replaceAll('\n', '\r\n') : template(json, style);
        const file = style === 'json' ? 't.json' : 't.yaml';
        const document = await parseText('cloudformation', file, text);
        expect(document.errors).toEqual([]);
        if (fast && style !== 'json' && !crlf) expect(parseCloudFormationFastPath(file, text)).toBeDefined();
        const policy = buildModel([document]).identityPolicies[0];
        const actions = policy.document?.statements.map((s) => [s.action[0].range.line, s.action[0].range.column]);
        expect(actions).toEqual(statements.map((_, i) => written(text, i)));
      }),
      propertyParameters(300),
    );
  });
});
