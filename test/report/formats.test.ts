import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import { formatJunit } from '../../src/report/junit.js';
import { escapeCell, formatMarkdown } from '../../src/report/markdown.js';
import { FORMATTERS } from '../../src/report/formatters.js';
import { PIPELINE_RULES, RULES } from '../../src/rules/registry.js';
import type { Finding, Severity } from '../../src/rules/types.js';
import type { ScanResult } from '../../src/scan.js';
import { cli } from '../helpers/cli.js';
import { scanPaths } from '../helpers/scan.js';

const options = { version: '1.2.3', color: false };

function finding(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'IG101',
    severity,
    message: 'grant, with 100% "*" <all>',
    range: { file: 'a,b/c:d.tf', line: 4, column: 2, endLine: 5, endColumn: 9 },
    resource: 'aws_lambda_permission.p',
    suggestion: 'Pin it.',
    ...overrides,
  };
}

const result = (findings: Finding[]): ScanResult => ({ files: 2, findings, notices: [] });

describe('github formatter', () => {
  it('emits one annotation per finding with the range and the rule id as title', () => {
    const out = formatGithub(result([finding('critical')]), options).split('\n');
    expect(out[0]).toBe(
      '::error file=a%2Cb/c%3Ad.tf,line=4,col=2,endLine=5,endColumn=9,title=IG101::grant, with 100%25 "*" <all>%0ASuggestion: Pin it.',
    );
  });

  it("adds the finding's fix: what --fix applies, or what to change by hand", () => {
    const edits = [{ file: 'a.tf', start: 0, end: 1, text: 'x' }] as never[];
    const out = formatGithub(result([finding('high', { fix: { description: 'Set principal to the account.', edits } }), finding('low', { fix: { description: 'Attach the SCP.', edits: [] } })]), options).split('\n');
    expect(out[0].endsWith('%0ASuggestion: Pin it.%0A--fix: Set principal to the account.')).toBe(true);
    expect(out[1].endsWith('%0ASuggestion: Pin it.%0ABy hand: Attach the SCP.')).toBe(true);
  });

  it('maps severities to error / warning / notice', () => {
    const kinds = formatGithub(result((['critical', 'high', 'medium', 'low', 'info'] as Severity[]).map((s) => finding(s))), options)
      .split('\n')
      .filter((l) => l.startsWith('::'))
      .map((l) => l.slice(2, l.indexOf(' ')));
    expect(kinds).toEqual(['error', 'error', 'warning', 'notice', 'notice']);
  });

  it('escapes as GitHub documents', () => {
    expect(escapeData('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac:d,e');
    expect(escapeProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
  });

  it('annotates every finding of the examples on its own line', async () => {
    const scanned = await scanPaths('examples');
    const annotations = formatGithub(scanned, options)
      .split('\n')
      .filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations).toHaveLength(scanned.findings.length);
    expect(annotations.some((l) => l.includes('file=examples/terraform/vulnerable/main.tf,line=31,'))).toBe(true);
  });
});

describe('markdown formatter', () => {
  it('summarises counts by severity and lists each finding with its fix', async () => {
    const scanned = await scanPaths('examples/terraform/vulnerable');
    const md = formatMarkdown(scanned, options);
    expect(md).toContain(`invokeguard: ${scanned.findings.length} finding(s)`);
    expect(md).toMatch(/\| 🟥 critical \| 1 \|/);
    expect(md).toMatch(/\| 🟧 high \| 6 \|/);
    const rows = md.split('\n').filter((l) => /^\| \S+ (critical|high|medium|low|info) \| IG\d{3} \|/.test(l));
    expect(rows).toHaveLength(scanned.findings.length);
    expect(rows.find((r) => r.includes('IG101'))).toContain('`examples/terraform/vulnerable/main.tf:31`');
    expect(rows.find((r) => r.includes('IG101'))).toContain('**Fix:** Grant aws_lambda_function.orders');
  });

  it('has a clear no-findings form', () => {
    const md = formatMarkdown(result([]), options);
    expect(md).toContain('no findings');
    expect(md).not.toContain('| Severity |');
  });

  it('keeps hostile text from breaking the table', () => {
    expect(escapeCell('a|b`c`\nd')).toBe('a\\|b\\`c\\`<br>d');
    const md = formatMarkdown(result([finding('high', { message: 'x | y `z`', resource: 'r`1' })]), options);
    const row = md.split('\n').find((l) => l.includes('IG101')) ?? '';
    // Unescaped pipes delimit exactly the 5 cells.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(row).not.toMatch(/[^\\]`z/);
  });

  it('links locations when a link base is given', () => {
    const md = formatMarkdown(result([finding('low')]), { ...options, linkBase: 'https://example.test/blob/abc/' });
    expect(md).toContain('(https://example.test/blob/abc/a%2Cb/c%3Ad.tf#L4)');
  });
});

describe('junit formatter', () => {
  const parse = (xml: string) => {
    expect(XMLValidator.validate(xml)).toBe(true);
    return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; failures: string; testcase: Array<{ name: string; failure?: { type: string; message: string; '#text': string } }> }> };
    };
  };

  it('is well-formed XML with a suite per rule and a failing case per finding', async () => {
    const scanned = await scanPaths('examples/terraform/vulnerable');
    const doc = parse(formatJunit(scanned, options));
    expect(doc.testsuites.failures).toBe(String(scanned.findings.length));
    expect(doc.testsuites.testsuite.map((s) => s.name.split(' ')[0])).toEqual([...RULES.map((r) => r.meta.id), ...PIPELINE_RULES.map((r) => r.id)]);
    const ig201 = doc.testsuites.testsuite.find((s) => s.name.startsWith('IG201'));
    expect(ig201?.testcase).toHaveLength(2);
    expect(ig201?.testcase.every((c) => c.failure?.type === 'high')).toBe(true);
    const ig901 = doc.testsuites.testsuite.find((s) => s.name.startsWith('IG901'));
    expect(ig901?.testcase).toEqual([expect.objectContaining({ name: 'no findings' })]);
    expect(ig901?.testcase[0].failure).toBeUndefined();
  });

  it("carries the finding's fix in the failure text", async () => {
    const scanned = await scanPaths('examples/terraform/vulnerable');
    const withFix = scanned.findings.filter((f) => f.fix);
    expect(withFix.length).toBeGreaterThan(0);
    const texts = parse(formatJunit(scanned, options)).testsuites.testsuite.flatMap((s) => s.testcase.map((c) => c.failure?.['#text'] ?? ''));
    for (const f of withFix) expect(texts.some((t) => t.includes(`${f.fix!.edits.length > 0 ? '--fix' : 'By hand'}: ${f.fix!.description}`))).toBe(true);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const xml = formatJunit(result([finding('medium', { message: 'a <b> & "c" \u0001 ]]>', resource: "r'1" })]), options);
    const doc = parse(xml);
    const failure = doc.testsuites.testsuite[0].testcase[0].failure;
    // Parsed back, the text is the original one, less the control character.
    expect(failure?.message).toBe('a <b> & "c"  ]]>');
    expect(xml).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(xml).not.toContain('\u0001');
  });
});

describe('--format', () => {
  it('offers every registered format and writes it', async () => {
    for (const format of Object.keys(FORMATTERS)) {
      const { code, stdout } = await cli('--format', format, 'examples');
      expect(code).toBe(1);
      expect(stdout.length).toBeGreaterThan(0);
    }
    expect(Object.keys(FORMATTERS)).toEqual(expect.arrayContaining(['sarif', 'github', 'markdown', 'junit']));
    expect((await cli('--format', 'nope', 'examples')).code).toBe(2);
  });
});
