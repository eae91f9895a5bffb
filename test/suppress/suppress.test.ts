import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatSarif } from '../../src/report/sarif.js';
import { scan } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

type Triple = [string, string, number];

/** Scans a temp tree: standing findings and suppressed ones as [ruleId, resource, line]. */
async function scanTree(files: Record<string, string>) {
  const root = tempTree(files);
  const result = await scan({ paths: ['.'], cwd: root });
  return {
    result,
    findings: result.findings.map((f): Triple => [f.ruleId, f.resource, f.range.line]),
    suppressed: (result.suppressed ?? []).map((s): Triple => [s.finding.ruleId, s.finding.resource, s.finding.range.line]),
    reasons: (result.suppressed ?? []).map((s) => s.justification),
    problems: result.findings.filter((f) => f.ruleId === 'IG903').map((f) => [f.range.file, f.range.line, f.message] as const),
  };
}

const permission = (name: string, extra = '') => `resource "aws_lambda_permission" "${name}" {${extra}
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  principal     = "*"
}
`;

describe('suppressions in Terraform HCL comments', () => {
  it('a # comment directly above the resource suppresses that rule there, with its reason', async () => {
    const { findings, suppressed, reasons } = await scanTree({
      'main.tf': `# invokeguard:ignore IG101 public webhook, behind a WAF\n${permission('hook')}\n${permission('other')}`,
    });
    expect(suppressed).toEqual([['IG101', 'aws_lambda_permission.hook', 5]]);
    expect(reasons).toEqual(['public webhook, behind a WAF']);
    expect(findings).toEqual([['IG101', 'aws_lambda_permission.other', 11]]);
  });

  it('a trailing // comment on the resource line, a /* */ comment, and stacked comments above all count', async () => {
    const { findings, suppressed } = await scanTree({
      'main.tf': [
        permission('trailing', ' // invokeguard:ignore IG101 - partner callback'),
        `/* invokeguard:ignore IG101 legacy, removal tracked in JIRA-1 */\n${permission('block')}`,
        `# invokeguard:ignore IG101 staging only\n# owner: team-a\n${permission('stacked')}`,
      ].join('\n'),
    });
    expect(findings).toEqual([]);
    expect(suppressed.map((s) => s[1])).toEqual(['aws_lambda_permission.trailing', 'aws_lambda_permission.block', 'aws_lambda_permission.stacked']);
  });

  it('a comment directly above the offending attribute counts', async () => {
    const tf = `resource "aws_lambda_permission" "attr" {
  action        = "lambda:InvokeFunction"
  function_name = "orders"
  # invokeguard:ignore IG101 the function checks a signature itself
  principal     = "*"
}
`;
    expect((await scanTree({ 'main.tf': tf })).suppressed).toEqual([['IG101', 'aws_lambda_permission.attr', 5]]);
  });

  it('does not reach past a blank line, another rule id, or prose that only mentions the marker', async () => {
    const { findings, suppressed } = await scanTree({
      'main.tf': [
        `# invokeguard:ignore IG101 too far away\n\n${permission('gap')}`,
        `# invokeguard:ignore IG104 wrong rule\n${permission('other_rule')}`,
        `# we never use invokeguard:ignore IG101 here\n${permission('prose')}`,
      ].join('\n'),
    });
    expect(suppressed).toEqual([]);
    expect(findings.map((f) => f[1])).toEqual(['aws_lambda_permission.gap', 'aws_lambda_permission.other_rule', 'aws_lambda_permission.prose']);
  });

  it('several ids in one directive (case-insensitive)', async () => {
    const tf = `# invokeguard:ignore ig101,IG104 public demo URL, no data behind it
resource "aws_lambda_function_url" "demo" {
  function_name      = "orders"
  authorization_type = "NONE"
}
# invokeguard:ignore IG101,IG104 public demo
${permission('demo')}`;
    const { findings, suppressed } = await scanTree({ 'main.tf': tf });
    expect(findings).toEqual([]);
    expect(suppressed.map((s) => s[0]).sort()).toEqual(['IG101', 'IG104']);
  });

  it('a bare ignore is an IG903 finding at the comment and suppresses nothing', async () => {
    const { findings, problems } = await scanTree({ 'main.tf': `# invokeguard:ignore IG101\n${permission('bare')}` });
    expect(findings).toEqual([
      ['IG903', 'main.tf', 1],
      ['IG101', 'aws_lambda_permission.bare', 5],
    ]);
    expect(problems[0][2]).toMatch(/gives no reason, so it suppresses nothing/);
  });

  it('an unknown rule id, or none at all, is an IG903 finding; the known ids of the same directive still apply', async () => {
    const { findings, suppressed, problems } = await scanTree({
      'main.tf': `# invokeguard:ignore IG101,IG1O1 typo beside a good id\n${permission('typo')}\n# invokeguard:ignore\n${permission('none')}`,
    });
    expect(suppressed).toEqual([['IG101', 'aws_lambda_permission.typo', 5]]);
    expect(findings).toEqual([
      ['IG903', 'main.tf', 1],
      ['IG903', 'main.tf', 8],
      ['IG101', 'aws_lambda_permission.none', 12],
    ]);
    expect(problems[0][2]).toMatch(/unknown rule id "IG1O1"/);
    expect(problems[1][2]).toMatch(/names no rule id/);
  });

  it('an IG903 finding cannot itself be suppressed, and obeys rule settings', async () => {
    const root = tempTree({ 'main.tf': `# invokeguard:ignore IG903 hide the problem\n# invokeguard:ignore IG101\n${permission('p')}` });
    const all = await scan({ paths: ['.'], cwd: root });
    expect(all.findings.map((f) => f.ruleId)).toEqual(['IG903', 'IG101']);
    const off = await scan({ paths: ['.'], cwd: root, config: { rules: { IG903: { enabled: false } } } as never });
    expect(off.findings.map((f) => f.ruleId)).toEqual(['IG101']);
  });

  it('a comment in a local module suppresses the finding in every instance of it', async () => {
    const { findings, suppressed } = await scanTree({
      'main.tf': 'module "a" {\n  source = "./mod"\n}\nmodule "b" {\n  source = "./mod"\n}\n',
      'mod/main.tf': `# invokeguard:ignore IG101 reviewed\n${permission('p')}`,
    });
    expect(findings).toEqual([]);
    expect(suppressed.map((s) => s[1]).sort()).toEqual(['module.a.aws_lambda_permission.p', 'module.b.aws_lambda_permission.p']);
  });
});

describe('suppressions in Terraform JSON', () => {
  it('a "//" key in the resource block (JSON has no comments) suppresses for the whole block', async () => {
    const tfJson = {
      resource: {
        aws_lambda_permission: {
          hook: { '//': 'invokeguard:ignore IG101 public webhook', action: 'lambda:InvokeFunction', function_name: 'orders', principal: '*' },
          listed: { '//': ['owner: team-a', 'invokeguard:ignore IG101 listed'], action: 'lambda:InvokeFunction', function_name: 'orders', principal: '*' },
          bare: { '//': 'invokeguard:ignore IG101', action: 'lambda:InvokeFunction', function_name: 'orders', principal: '*' },
        },
      },
    };
    const { findings, suppressed } = await scanTree({ 'main.tf.json': JSON.stringify(tfJson, null, 2) });
    expect(suppressed.map((s) => s[1])).toEqual(['aws_lambda_permission.hook', 'aws_lambda_permission.listed']);
    expect(findings).toEqual([
      ['IG903', 'main.tf.json', 20],
      ['IG101', 'aws_lambda_permission.bare', 23],
    ]);
  });
});

const yamlTemplate = (body: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${body}`;
const cfnPermission = (id: string, metadata = '') => `  ${id}:
    Type: AWS::Lambda::Permission${metadata}
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: orders
      Principal: "*"
`;

describe('suppressions in CloudFormation', () => {
  it('YAML comments above or after the logical id count; text inside a block scalar is not a comment', async () => {
    const { findings, suppressed } = await scanTree({
      'template.yaml': yamlTemplate(
        [
          `  # invokeguard:ignore IG101 partner webhook\n${cfnPermission('Above')}`,
          cfnPermission('Trailing').replace('Trailing:', 'Trailing: # invokeguard:ignore IG101 reviewed'),
          `  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Description: |\n        # invokeguard:ignore IG101 not a comment\n`,
          cfnPermission('Plain'),
        ].join(''),
      ),
    });
    expect(suppressed).toEqual([
      ['IG101', 'Above', 9],
      ['IG101', 'Trailing', 15],
    ]);
    expect(findings).toEqual([['IG101', 'Plain', 26]]);
  });

  it('a bare YAML ignore is IG903 at the comment', async () => {
    const { findings } = await scanTree({ 'template.yaml': yamlTemplate(`  # invokeguard:ignore IG101\n${cfnPermission('Bare')}`) });
    expect(findings).toEqual([
      ['IG903', 'template.yaml', 3],
      ['IG101', 'Bare', 9],
    ]);
  });

  it('Metadata.invokeguard.ignore on the resource, YAML and JSON; entries without reason, id or list are IG903', async () => {
    const metadata = (items: string) => `\n    Metadata:\n      invokeguard:\n        ignore:\n${items}`;
    const yaml = yamlTemplate(
      [
        cfnPermission('Accepted', metadata('          - id: IG101\n            reason: partner integration, pinned by WAF\n')),
        cfnPermission('NoReason', metadata('          - id: IG101\n')),
        cfnPermission('NoId', metadata('          - reason: forgot the id\n')),
        cfnPermission('NotAList', '\n    Metadata:\n      invokeguard:\n        ignore: IG101\n'),
      ].join(''),
    );
    const json = JSON.stringify(
      {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          Accepted: {
            Type: 'AWS::Lambda::Permission',
            Metadata: { invokeguard: { ignore: [{ id: 'IG101', reason: 'partner' }, { id: 'IG777', reason: 'typo' }] } },
            Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'orders', Principal: '*' },
          },
        },
      },
      null,
      2,
    );
    const { findings, suppressed, problems } = await scanTree({ 'template.yaml': yaml, 'template.json': json });
    expect(suppressed).toEqual([
      ['IG101', 'Accepted', 23],
      ['IG101', 'Accepted', 14],
    ]);
    expect(findings).toEqual([
      ['IG903', 'Accepted', 13],
      ['IG903', 'NoReason', 20],
      ['IG101', 'NoReason', 25],
      ['IG903', 'NoId', 31],
      ['IG101', 'NoId', 36],
      ['IG903', 'NotAList', 41],
      ['IG101', 'NotAList', 46],
    ]);
    expect(problems.map((p) => p[2])).toEqual([
      expect.stringMatching(/unknown rule id "IG777"/),
      expect.stringMatching(/IG101 gives no reason/),
      expect.stringMatching(/has no "id"/),
      expect.stringMatching(/needs "ignore": a list/),
    ]);
  });
});

/* ajv-formats is CommonJS: its function is the module itself or its `default`. */
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

describe('suppressed findings in reports', () => {
  const files = { 'main.tf': `# invokeguard:ignore IG101 public webhook <b>\n${permission('hook')}` };

  it('are counted by stylish, listed with --show-suppressed, and do not fail the run', async () => {
    const root = tempTree(files);
    const plain = await runCaptured(['.'], { cwd: root });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('1 suppressed by invokeguard:ignore (list them with --show-suppressed)');
    expect(plain.stdout).not.toContain('aws_lambda_permission.hook');
    const shown = await runCaptured(['.', '--show-suppressed'], { cwd: root });
    expect(shown.stdout).toMatch(/main\.tf:5:3 +critical IG101 +aws_lambda_permission\.hook\n +ignored at main\.tf:1: public webhook <b>/);
  });

  it('are counted in markdown and json, and listed there with --show-suppressed', async () => {
    const root = tempTree(files);
    const md = await runCaptured(['.', '-f', 'markdown', '--show-suppressed'], { cwd: root });
    expect(md.stdout).toContain('1 finding(s) suppressed by `invokeguard:ignore`.');
    expect(md.stdout).toContain('| IG101 | `main.tf:5` | `aws_lambda_permission.hook` | public webhook &lt;b&gt; |');
    const json = JSON.parse((await runCaptured(['.', '-f', 'json', '--show-suppressed'], { cwd: root })).stdout);
    expect(json.summary).toEqual({ files: 1, findings: 0, suppressed: 1 });
    expect(json.suppressed).toEqual([expect.objectContaining({ ruleId: 'IG101', line: 5, justification: 'public webhook <b>', suppressedAt: { file: 'main.tf', line: 1 } })]);
    const quiet = JSON.parse((await runCaptured(['.', '-f', 'json'], { cwd: root })).stdout);
    expect(quiet.suppressed).toBeUndefined();
  });

  it('are SARIF results with an inSource suppression and its justification, valid against the schema', async () => {
    const root = tempTree({ ...files, 'other.tf': permission('open') });
    const log = JSON.parse(formatSarif(await scan({ paths: ['.'], cwd: root }), { version: '1.0.0', color: false }));
    const results = log.runs[0].results as Array<{ ruleId: string; suppressions?: unknown; logicalLocations?: unknown; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }>;
    expect(results.map((r) => [r.locations[0].logicalLocations[0].fullyQualifiedName, r.suppressions])).toEqual([
      ['aws_lambda_permission.open', undefined],
      ['aws_lambda_permission.hook', [{ kind: 'inSource', justification: 'public webhook <b>' }]],
    ]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'test/schemas/sarif-2.1.0.json'), 'utf8')));
    expect(validate(log)).toBe(true);
  });
});
