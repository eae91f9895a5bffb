import { describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { fingerprintFindings } from '../../src/report/fingerprint.js';
import { FORMATTERS } from '../../src/report/formatters.js';
import { escapeCell } from '../../src/report/markdown.js';
import { messageText } from '../../src/report/message.js';
import type { Finding } from '../../src/rules/types.js';
import type { ScanResult } from '../../src/scan.js';

/**
 * A finding's Terraform roots are data (`roots`), never part of `message`: every formatter shows
 * them as the note after the resource's name that messages used to carry, so what users read is
 * unchanged, and JSON and SARIF also give them as a field.
 */

const options = { version: '1.2.3', color: false };
const RESOURCE = 'module.fn.aws_lambda_permission.public';
const MESSAGE = `${RESOURCE} lets any AWS principal ("*") invoke module.fn.aws_lambda_function.this: it has no source account.`;
const READ = `${RESOURCE} (through roots \`envs/a\`, \`envs/b\`) lets any AWS principal ("*") invoke module.fn.aws_lambda_function.this: it has no source account.`;

const finding: Finding = {
  ruleId: 'IG101',
  severity: 'critical',
  message: MESSAGE,
  range: { file: 'modules/fn/main.tf', line: 23, column: 3, endLine: 23, endColumn: 18 },
  resource: RESOURCE,
  roots: ['envs/a', 'envs/b'],
  suggestion: 'Pin it.',
};
const result: ScanResult = { files: 1, findings: [finding], notices: [] };
const format = (name: string, r: ScanResult = result) => FORMATTERS[name](r, options);

describe('messageText', () => {
  it('names one root, several, and counts past three, right after the resource', () => {
    expect(messageText({ ...finding, roots: ['envs/prod'] })).toBe(MESSAGE.replace(RESOURCE, `${RESOURCE} (through root \`envs/prod\`)`));
    expect(messageText(finding)).toBe(READ);
    expect(messageText({ ...finding, roots: ['a', 'b', 'c', 'd', 'e'] })).toBe(MESSAGE.replace(RESOURCE, `${RESOURCE} (through roots \`a\`, \`b\`, \`c\` and 2 more)`));
  });

  it('after the first mention of the resource (IG301 names it after "Execution role"), and leaves a finding without roots as written', () => {
    const role = { message: 'Execution role module.fn.aws_iam_role.this is allowed "*" (module.fn.aws_iam_role.this_policy).', resource: 'module.fn.aws_iam_role.this' };
    expect(messageText({ ...role, roots: ['envs/a'] })).toBe('Execution role module.fn.aws_iam_role.this (through root `envs/a`) is allowed "*" (module.fn.aws_iam_role.this_policy).');
    expect(messageText(role)).toBe(role.message);
    expect(messageText({ ...role, roots: [] })).toBe(role.message);
  });

  it('appends the note to a message that does not name its resource', () => {
    expect(messageText({ message: 'Something is open.', resource: 'module.x.aws_y.z', roots: ['r'] })).toBe('Something is open. (through root `r`)');
  });
});

describe('every formatter renders the roots as the message note', () => {
  it('stylish', () => {
    expect(format('stylish').split('\n')[2]).toBe(`      ${READ}`);
  });

  it('json: message as users read it, and the roots as a field', () => {
    const [f] = (JSON.parse(format('json')) as { findings: Array<Record<string, unknown>> }).findings;
    expect(f.message).toBe(READ);
    expect(f.roots).toEqual(['envs/a', 'envs/b']);
    const [plain] = (JSON.parse(format('json', { ...result, findings: [{ ...finding, roots: undefined }] })) as { findings: Array<Record<string, unknown>> }).findings;
    expect(plain.message).toBe(MESSAGE);
    expect('roots' in plain).toBe(false);
  });

  it('json: suppressed findings too (--show-suppressed)', () => {
    const suppressed = { ...result, findings: [], suppressed: [{ finding, justification: 'ok', directive: finding.range }] };
    const [s] = (JSON.parse(FORMATTERS.json(suppressed, { ...options, showSuppressed: true })) as { suppressed: Array<Record<string, unknown>> }).suppressed;
    expect([s.message, s.roots]).toEqual([READ, ['envs/a', 'envs/b']]);
  });

  it('sarif: message text, roots in the properties, and the fingerprint of the finding without roots', () => {
    const run = (JSON.parse(format('sarif')) as { runs: Array<{ results: Array<{ message: { text: string }; properties: Record<string, unknown>; partialFingerprints: Record<string, string> }> }> }).runs[0];
    const [r] = run.results;
    expect(r.message.text).toBe(`${READ}\nSuggestion: Pin it.`);
    expect(r.properties.roots).toEqual(['envs/a', 'envs/b']);
    expect(Object.values(r.partialFingerprints)).toEqual(fingerprintFindings([{ ...finding, roots: undefined }]));
  });

  it('github', () => {
    expect(format('github').split('\n')[0]).toBe(
      `::error file=modules/fn/main.tf,line=23,col=3,endLine=23,endColumn=18,title=IG101::${READ}%0ASuggestion: Pin it.`,
    );
  });

  it('markdown', () => {
    const row = format('markdown').split('\n').find((l) => l.includes('| IG101 |')) ?? '';
    expect(row).toContain(`| ${escapeCell(READ)}<br>**Fix:** Pin it. |`);
    expect(escapeCell(READ)).toContain('(through roots \\`envs/a\\`, \\`envs/b\\`)');
  });

  it('junit: failure message and text', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(format('junit')) as {
      testsuites: { testsuite: Array<{ testcase?: { failure?: { message: string; '#text': string } } }> };
    };
    const failure = doc.testsuites.testsuite.find((s) => s.testcase?.failure)?.testcase?.failure;
    expect(failure?.message).toBe(READ);
    expect(failure?.['#text'].split('\n')[2]).toBe(READ);
  });

  it('html', () => {
    const escaped = READ.replace(/"/g, '&quot;');
    expect(format('html')).toContain(`<p>${escaped}</p>`);
  });

  it('covers every registered formatter', () => {
    expect(Object.keys(FORMATTERS).sort()).toEqual(['github', 'html', 'json', 'junit', 'markdown', 'sarif', 'stylish']);
  });
});
