import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, applyFixes } from '../../src/fix/apply.js';
import type { Finding } from '../../src/rules/types.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatStylish } from '../../src/report/stylish.js';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

const URL_NONE = readFileSync(join(REPO_ROOT, 'test/fixtures/IG104/fail.tf'), 'utf8');

async function fixableFindings(dir: string): Promise<Finding[]> {
  const { findings } = await scan({ paths: ['.'], cwd: dir });
  const fixable = findings.filter((f) => (f.fix?.edits.length ?? 0) > 0);
  expect(fixable.length).toBeGreaterThan(0);
  return fixable;
}

/** The first fixable finding with its edits rewritten. */
function injected(findings: Finding[], change: (edit: Finding['fix'] & object) => void): Finding[] {
  const [first, ...rest] = findings.map((f) => ({ ...f, fix: { ...f.fix!, edits: f.fix!.edits.map((e) => ({ ...e })) } }));
  change(first.fix);
  return [first, ...rest];
}

describe('applyEdits', () => {
  it('applies non-overlapping edits by offset and refuses overlapping ones', () => {
    const edits = [
      { file: 'f', start: 6, end: 11, text: 'there' },
      { file: 'f', start: 0, end: 5, text: 'Hi' },
    ];
    expect(applyEdits('hello world', edits)).toBe('Hi there');
    expect(() => applyEdits('hello world', [...edits, { file: 'f', start: 4, end: 7, text: '' }])).toThrow(/overlapping/);
  });
});

describe('applyFixes safety', () => {
  it('leaves the file untouched, with a reason, when the fixed text would not parse', async () => {
    const dir = tempTree({ 'main.tf': URL_NONE });
    const bad = injected(await fixableFindings(dir), (fix) => (fix.edits[0].text = '"AWS_IAM'));
    const [result] = await applyFixes(bad, { paths: ['.'], cwd: dir });
    expect(result.refused).toMatch(/would not parse \(line \d+: syntax error/);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(URL_NONE);
  });

  it('leaves the file untouched when a finding the fix meant to remove remains', async () => {
    const dir = tempTree({ 'main.tf': URL_NONE });
    const idle = injected(await fixableFindings(dir), (fix) => (fix.edits[0].text = '"NONE"'));
    const results = await applyFixes(idle, { paths: ['.'], cwd: dir });
    expect(results.map((r) => r.refused)).toEqual(['IG104 on aws_lambda_function_url.open would remain after the fix']);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(URL_NONE);
  });

  it('refuses an edit that would bring in a new finding', async () => {
    const dir = tempTree({ 'main.tf': URL_NONE });
    const worse = injected(await fixableFindings(dir), (fix) => (fix.edits[0].text = '"AWS_IAM"\n}\nresource "aws_lambda_permission" "p" {\n  action    = "lambda:*"\n  function_name = "x"\n  principal = "*"'));
    const results = await applyFixes(worse, { paths: ['.'], cwd: dir });
    expect(results[0].refused).toMatch(/would introduce IG10[15] on aws_lambda_permission\.p/);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(URL_NONE);
  });

  it('never writes through a symlink, outside the scanned paths, or under .git', async () => {
    const dir = tempTree({ 'root/real/main.tf': URL_NONE, 'outside/main.tf': URL_NONE, 'root/.git/main.tf': URL_NONE });
    symlinkSync(join(dir, 'root/real/main.tf'), join(dir, 'root/link.tf'));
    mkdirSync(join(dir, 'root/dirs'));
    symlinkSync(join(dir, 'root/real'), join(dir, 'root/dirs/via'));
    const findings = await fixableFindings(join(dir, 'root/real'));
    const at = (file: string) => findings.map((f) => ({ ...f, fix: { ...f.fix!, edits: f.fix!.edits.map((e) => ({ ...e, file })) } }));
    const cases: Array<[string, RegExp]> = [
      ['link.tf', /symlink/],
      ['dirs/via/main.tf', /symlink/],
      ['../outside/main.tf', /outside the scanned paths/],
      ['.git/main.tf', /\.git/],
    ];
    for (const [file, reason] of cases) {
      const results = await applyFixes(at(file), { paths: ['.'], cwd: join(dir, 'root') });
      expect(results.map((r) => [r.file, r.refused])).toEqual([[file, expect.stringMatching(reason)]]);
    }
    for (const file of ['root/real/main.tf', 'outside/main.tf', 'root/.git/main.tf']) expect(readFileSync(join(dir, file), 'utf8')).toBe(URL_NONE);
  });

  it('refuses a file that changed after the scan', async () => {
    const dir = tempTree({ 'main.tf': URL_NONE });
    const scanned = await scan({ paths: ['.'], cwd: dir });
    writeFileSync(join(dir, 'main.tf'), `\n${URL_NONE}`);
    const results = await applyFixes(scanned.findings, { paths: ['.'], cwd: dir, sources: scanned.sources! });
    expect(results.map((r) => r.refused)).toEqual(['the file changed since it was scanned']);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(`\n${URL_NONE}`);
  });
});

describe('fixes in reports', () => {
  it('stylish shows the description, json the fix, sarif fixes with replacements', async () => {
    const dir = tempTree({ 'main.tf': URL_NONE });
    const result = await scan({ paths: ['.'], cwd: dir });
    const options = { version: '0.0.0', color: false };
    expect(formatStylish(result, options)).toContain('--fix: Set authorization_type to AWS_IAM');
    const json = JSON.parse(formatJson(result, options)) as { findings: Array<{ fix: { description: string; replacement: string; edits: unknown[] } }> };
    expect(json.findings[0].fix).toEqual({ description: expect.stringContaining('AWS_IAM'), replacement: '"AWS_IAM"', edits: [{ file: 'main.tf', start: URL_NONE.indexOf('"NONE"'), end: URL_NONE.indexOf('"NONE"') + 6, text: '"AWS_IAM"' }] });
    const sarif = JSON.parse(formatSarif(result, options)) as { runs: Array<{ results: Array<{ fixes: unknown }> }> };
    expect(sarif.runs[0].results[0].fixes).toEqual([
      {
        description: { text: expect.stringContaining('AWS_IAM') },
        artifactChanges: [
          {
            artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: URL_NONE.indexOf('"NONE"'), charLength: 6 }, insertedContent: { text: '"AWS_IAM"' } }],
          },
        ],
      },
    ]);
  });
});
