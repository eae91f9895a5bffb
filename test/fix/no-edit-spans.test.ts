import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { discover } from '../../src/discover/discover.js';
import { resolveFixes } from '../../src/fix/resolve.js';
import type { FixValue } from '../../src/fix/types.js';
import { createPositionMapper } from '../../src/model/range.js';
import { fastPaths } from '../../src/parse/fast-paths.js';
import { mayHoldEmbeddedJson, textDigest, type NoEditSpans } from '../../src/parse/no-edit-spans.js';
import { parseFile, parseText } from '../../src/parse/parse-file.js';
import { fileParser } from '../../src/parse/parse-pool.js';
import type { SourceDocument } from '../../src/parse/types.js';
import type { Finding } from '../../src/rules/types.js';
import { fix } from '../../src/rules/support/fix.js';
import { loadModel, scan } from '../../src/scan.js';
import { propertyParameters } from '../helpers/property.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * The scan keeps, per file, the places --fix must not edit (heredocs, `variable` blocks, strings
 * holding JSON text) from its own parse; the fix stage uses them instead of parsing the file
 * again, unless the text it reads is not the one the scan parsed.
 */

afterEach(() => {
  fastPaths.enabled = true;
});

const HEREDOC_TF = 'variable "account" {\n  default = "111122223333"\n}\nresource "aws_iam_role" "r" {\n  assume_role_policy = <<EOF\n{\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "sts:AssumeRole"\n  }]\n}\nEOF\n}\n';
const SUB_YAML = 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !Sub \'{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}\'\n';
const PLAIN_YAML = 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n';
const PLAIN_TF = 'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole" }] })\n}\n';
const EMBEDDED_REFUSAL = /Not applied by --fix: the policy is written as a JSON string/;

/** A finding whose fix adds a Condition next to `anchor` (as IG303 does for trust policies). */
function addCondition(file: string, text: string, anchor: string, account: FixValue = { kind: 'string', value: '111122223333' }): Finding {
  const start = text.indexOf(anchor);
  const range = createPositionMapper(file, text).range(start, start + anchor.length);
  const condition: FixValue = { kind: 'object', entries: [['StringEquals', { kind: 'object', entries: [['aws:SourceAccount', account]] }]] };
  return { ruleId: 'IG303', severity: 'high', message: '', range, resource: 'r', suggestion: '', fix: fix('Add aws:SourceAccount.', [{ kind: 'add', after: range, key: 'Condition', value: condition }]) };
}

async function noEditOf(format: 'terraform-hcl' | 'cloudformation', file: string, text: string): Promise<NoEditSpans | undefined> {
  const document = await parseText(format, file, text);
  return 'noEdit' in document ? document.noEdit : undefined;
}

describe('the scan keeps the places not to edit from its own parse', () => {
  it('a heredoc and a variable block, a !Sub JSON string; nothing for files without one', async () => {
    const dir = tempTree({ 'main.tf': HEREDOC_TF, 'plain.tf': PLAIN_TF, 'template.yaml': SUB_YAML, 'plain.yaml': PLAIN_YAML });
    const { documents } = await loadModel({ paths: ['.'], cwd: dir });
    const kept = Object.fromEntries(documents.map((d) => [d.file, d.noEdit]));
    // [line, column, endLine, endColumn]: the variable block, the heredoc's content, the quoted !Sub string.
    expect(kept).toEqual({
      'main.tf': { digest: textDigest(HEREDOC_TF), variables: [1, 1, 3, 2], heredocs: [6, 1, 12, 1] },
      'plain.tf': undefined,
      'template.yaml': { digest: textDigest(SUB_YAML), embedded: [5, 28, 5, 111] },
      'plain.yaml': undefined,
    });
  });

  it('carries them back from a parse worker, as a parse in this thread keeps them', async () => {
    const dir = tempTree({ 'main.tf': HEREDOC_TF, 'template.yaml': SUB_YAML, 'plain.tf': PLAIN_TF });
    const { files } = await discover([dir], dir);
    const inThread = await Promise.all(files.map((file) => parseFile(file, relative(dir, file.path))));
    // The fast paths off here: every file is declined to the pool (whose workers parse with the reference parsers).
    fastPaths.enabled = false;
    const parser = fileParser({ files: 60, workers: 1, inProcessChars: 0 });
    let pooled: SourceDocument[];
    try {
      pooled = await Promise.all(files.map((file) => parser.parse(file, relative(dir, file.path))));
      expect(parser.workersStarted).toBe(1);
    } finally {
      await parser.close();
    }
    const noEdit = (documents: SourceDocument[]) => documents.map((d) => ['noEdit' in d ? d.noEdit : undefined, d.file]);
    expect(noEdit(pooled)).toEqual(noEdit(inThread));
    expect(noEdit(pooled).filter(([spans]) => spans).map(([, file]) => file)).toEqual(['main.tf', 'template.yaml']);
  });
});

describe('the fix stage uses the scan\'s spans and parses no file again', () => {
  it('refuses an edit inside a span the scan kept, though the text itself holds no JSON string', async () => {
    // A span no parse of this text would find: only the kept spans can refuse the edit.
    const scanned = new Map([['template.yaml', { digest: textDigest(PLAIN_YAML), embedded: [8, 1, 9, 1] }]]);
    const finding = addCondition('template.yaml', PLAIN_YAML, 'sts:AssumeRole');
    await resolveFixes([finding], async () => PLAIN_YAML, scanned);
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toMatch(EMBEDDED_REFUSAL);
  });

  it('writes HCL where the scan kept no heredoc, though the text has one (it was not parsed again)', async () => {
    const scanned = new Map([['main.tf', { digest: textDigest(HEREDOC_TF), variables: [1, 1, 3, 2] }]]);
    const finding = addCondition('main.tf', HEREDOC_TF, '"sts:AssumeRole"');
    await resolveFixes([finding], async () => HEREDOC_TF, scanned);
    expect(finding.fix!.edits.map((e) => e.text)).toEqual(['\n    Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }']);
  });

  it('with the spans a scan keeps: a !Sub JSON string refused, a heredoc written as JSON, a variable default left alone', async () => {
    const sub = addCondition('template.yaml', SUB_YAML, '"sts:AssumeRole"');
    const heredoc = addCondition('main.tf', HEREDOC_TF, '"sts:AssumeRole"', { kind: 'terraform', expression: 'data.aws_caller_identity.me.account_id' });
    const inVariable = addCondition('main.tf', HEREDOC_TF, '"111122223333"', { kind: 'terraform', expression: 'data.aws_caller_identity.me.account_id' });
    const texts: Record<string, string> = { 'template.yaml': SUB_YAML, 'main.tf': HEREDOC_TF };
    const scanned = new Map([
      ['template.yaml', (await noEditOf('cloudformation', 'template.yaml', SUB_YAML))!],
      ['main.tf', (await noEditOf('terraform-hcl', 'main.tf', HEREDOC_TF))!],
    ]);
    await resolveFixes([sub, heredoc, inVariable], async (file) => texts[file], scanned);
    expect(sub.fix!.edits).toEqual([]);
    expect(sub.fix!.description).toMatch(EMBEDDED_REFUSAL);
    expect(heredoc.fix!.edits.map((e) => e.text)).toEqual([',\n    "Condition": { "StringEquals": { "aws:SourceAccount": "${data.aws_caller_identity.me.account_id}" } }']);
    expect(inVariable.fix!.edits).toEqual([]);
    expect(inVariable.fix!.description).toContain('Not applied by --fix: the value stands in a variable default');
  });
});

describe('a text other than the one the scan parsed: its spans are found by a parse, as before', () => {
  const MOVED = '# moved down\n'.repeat(20);

  it('a heredoc moved since the scan (the text as long as before): the edit is written as JSON, where the heredoc now is', async () => {
    const scanned = new Map([['main.tf', (await noEditOf('terraform-hcl', 'main.tf', HEREDOC_TF + MOVED))!]]);
    const changed = MOVED + HEREDOC_TF;
    const finding = addCondition('main.tf', changed, '"sts:AssumeRole"');
    await resolveFixes([finding], async () => changed, scanned);
    expect(finding.fix!.edits.map((e) => e.text)).toEqual([',\n    "Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }']);
  });

  it('a JSON string moved since the scan: still refused', async () => {
    const scanned = new Map([['template.yaml', (await noEditOf('cloudformation', 'template.yaml', SUB_YAML))!]]);
    const changed = MOVED + SUB_YAML;
    const finding = addCondition('template.yaml', changed, '"sts:AssumeRole"');
    await resolveFixes([finding], async () => changed, scanned);
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toMatch(EMBEDDED_REFUSAL);
  });

  it('a JSON string written since a scan that kept nothing for the file: refused', async () => {
    const finding = addCondition('template.yaml', SUB_YAML, '"sts:AssumeRole"');
    await resolveFixes([finding], async () => SUB_YAML, new Map());
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toMatch(EMBEDDED_REFUSAL);
  });

  it('ScanOptions.contents: the spans of the text given, not of the file on disk', async () => {
    const dir = tempTree({ 'template.yaml': PLAIN_YAML.replace('Resources:\n', 'Resources:\n  Orders:\n    Type: AWS::Lambda::Function\n') });
    const given = readFileSync(join(REPO_ROOT, 'test/fixtures/policy-strings/styles.cfn.yaml'), 'utf8').replace('Resources:\n', 'Resources:\n  Orders:\n    Type: AWS::Lambda::Function\n');
    const { findings } = await scan({ paths: ['.'], cwd: dir, contents: new Map([[join(dir, 'template.yaml'), given]]) });
    const inString = findings.find((f) => f.ruleId === 'IG201' && f.resource === 'SubSingleQuoted')!;
    expect(inString.fix?.edits).toEqual([]);
    expect(inString.fix?.description).toMatch(EMBEDDED_REFUSAL);
  });
});

describe('mayHoldEmbeddedJson: true for every text with a string the parsers map as JSON', () => {
  const POLICY = '{"Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]}';
  const head = 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: ';
  /** Ways to write white space before the policy's `{`, per string style (escapes, folded and empty lines). */
  const LEADING = {
    double: [' ', '\\t', '\\n', '\\u0020', '\\x20', '\\ ', '\\\n        ', '\n        ', '\n\n        '],
    single: [' ', '\n        ', '\n\n        '],
    literal: ['\n', '   \n'],
    json: [' ', '\n', '\t'],
  };
  const written = fc.oneof(
    ...(Object.keys(LEADING) as Array<keyof typeof LEADING>).map((style) =>
      fc.record({ style: fc.constant(style), leading: fc.array(fc.constantFrom(...LEADING[style]), { maxLength: 4 }), escapedBrace: fc.boolean(), sub: fc.boolean() }),
    ),
  );

  function templateText({ style, leading, escapedBrace, sub }: { style: keyof typeof LEADING; leading: string[]; escapedBrace: boolean; sub: boolean }): string {
    const tag = sub ? '!Sub ' : '';
    switch (style) {
      case 'double':
        return `${head}${tag}"${leading.join('')}${escapedBrace ? '\\x7b' : '{'}${POLICY.slice(1).replace(/"/g, '\\"')}"\n`;
      case 'single':
        return `${head}${tag}'${leading.join('')}${POLICY}'\n`;
      case 'literal':
        return `${head}${tag}|\n${leading.join('')}        ${POLICY}\n`;
      case 'json': {
        const json = JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: leading.join('') + POLICY } } } }, null, 2);
        return escapedBrace ? json.replace('{\\"Statement', '\\u007b\\"Statement') : json;
      }
    }
  }

  it('property: a policy string with white space before it, written in each style', async () => {
    await fc.assert(
      fc.asyncProperty(written, async (w) => {
        const text = templateText(w);
        const document = await parseText('cloudformation', w.style === 'json' ? 't.json' : 't.yaml', text);
        expect(document.errors).toEqual([]);
        expect('noEdit' in document && document.noEdit?.embedded).toBeTruthy();
        expect(mayHoldEmbeddedJson(text)).toBe(true);
      }),
      propertyParameters(200),
    );
  });

  it('in linear time: a long line of block indicators is not read again from each of them', () => {
    const started = performance.now();
    expect(mayHoldEmbeddedJson(`${'> '.repeat(200_000)}\n{`)).toBe(true);
    expect(mayHoldEmbeddedJson(`${'> '.repeat(200_000)}\nx`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('every template of the fixtures and examples, and every third of the real-world corpus (when present)', async () => {
    const roots = [join(REPO_ROOT, 'test/fixtures'), join(REPO_ROOT, 'examples'), join(REPO_ROOT, '..', 'shared', 'realworld')].filter(existsSync);
    const { files } = await discover(roots, REPO_ROOT);
    const realworld = join(REPO_ROOT, '..', 'shared');
    let withSpans = 0;
    for (const [i, file] of files.entries()) {
      if (file.path.startsWith(realworld) && i % 3 !== 0) continue;
      const document = await parseFile(file, file.path);
      if (document.format !== 'cloudformation' || !document.noEdit) continue;
      withSpans++;
      expect([file.path, mayHoldEmbeddedJson(readFileSync(file.path, 'utf8'))]).toEqual([file.path, true]);
    }
    expect(withSpans).toBeGreaterThan(0);
  }, 60_000);
});
