import type { Finding } from '../rules/types.js';
import { fixText } from './fix-text.js';
import { allRuleMetas } from './rule-catalog.js';
import type { Formatter } from './types.js';
import { messageText } from './message.js';

/** Text or attribute content for XML 1.0: markup escaped, characters XML cannot hold dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

/**
 * JUnit XML for CI test dashboards: a testsuite per rule, a failing testcase per finding,
 * and a passing "no findings" testcase for a rule that found nothing.
 */
export const formatJunit: Formatter = (result) => {
  const byRule = new Map<string, Finding[]>();
  for (const meta of allRuleMetas()) byRule.set(meta.id, []);
  for (const f of result.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const titles = new Map(allRuleMetas().map((m) => [m.id, m.title]));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const tests = [...byRule.values()].reduce((n, fs) => n + Math.max(fs.length, 1), 0);
  out.push(`<testsuites${attrs({ name: 'invokeguard', tests, failures: result.findings.length, errors: 0 })}>`);
  for (const [ruleId, findings] of byRule) {
    const name = `${ruleId} ${titles.get(ruleId) ?? ''}`.trim();
    out.push(`  <testsuite${attrs({ name, tests: Math.max(findings.length, 1), failures: findings.length, errors: 0, skipped: 0 })}>`);
    if (findings.length === 0) out.push(`    <testcase${attrs({ classname: ruleId, name: 'no findings' })}/>`);
    for (const f of findings) {
      const where = `${f.range.file}:${f.range.line}:${f.range.column}`;
      out.push(`    <testcase${attrs({ classname: ruleId, name: `${f.resource} (${where})`, file: f.range.file, line: f.range.line })}>`);
      const message = messageText(f);
      out.push(`      <failure${attrs({ type: f.severity, message })}>${escapeXml(
        [`${f.severity} ${f.ruleId} at ${where}`, `resource: ${f.resource}`, message, `suggestion: ${f.suggestion}`, ...(f.fix ? [fixText(f)] : []), ...(f.evidence ? [`evidence: ${f.evidence}`] : [])].join('\n'),
      )}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
};
