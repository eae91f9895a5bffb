import { SEVERITIES, type Severity } from '../rules/types.js';
import type { Formatter } from './types.js';
import { relativeUri } from './sarif.js';
import { messageText } from './message.js';

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** Text for a GFM table cell: no raw pipes, backticks, HTML or line breaks can break the table. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\r?\n/g, '<br>');
}

/** A code span, unless the text holds a backtick (then escaped plain text). */
function code(text: string): string {
  return text.includes('`') ? escapeCell(text) : `\`${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

/** A pull-request comment: counts by severity, then one table row per finding with its fix. */
export const formatMarkdown: Formatter = (result, { version, linkBase, showSuppressed }) => {
  const total = result.findings.length;
  const lines: string[] = [];
  if (total === 0) {
    lines.push(`### ✅ invokeguard: no findings`, '', `${result.files} file(s) scanned; no Lambda invoke path found.`);
  } else {
    const counts = new Map<Severity, number>();
    for (const f of result.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    lines.push(`### ❌ invokeguard: ${total} finding(s) in ${result.files} file(s)`, '');
    lines.push('| Severity | Count |', '|---|---:|');
    for (const s of [...SEVERITIES].reverse()) lines.push(`| ${ICON[s]} ${s} | ${counts.get(s) ?? 0} |`);
    lines.push('', '| Severity | Rule | Location | Resource | Finding and fix |', '|---|---|---|---|---|');
    for (const f of result.findings) {
      const where = `${f.range.file}:${f.range.line}`;
      const location = linkBase ? `[${code(where)}](${linkBase}${relativeUri(f.range.file)}#L${f.range.line})` : code(where);
      lines.push(
        `| ${ICON[f.severity]} ${f.severity} | ${f.ruleId} | ${location} | ${code(f.resource)}${f.constructPath !== undefined ? `<br>construct ${code(f.constructPath)}` : ''} | ${escapeCell(messageText(f))}<br>**Fix:** ${escapeCell(f.suggestion)}${f.fix ? `<br>**${f.fix.edits.length > 0 ? '`--fix`' : 'By hand'}:** ${escapeCell(f.fix.description)}` : ''}${f.crossCheck ? `<br>**Access Analyzer:** ${f.crossCheck.verdict} — ${escapeCell(f.crossCheck.reason)}` : ''} |`,
      );
    }
  }
  const suppressed = result.suppressed ?? [];
  if (suppressed.length > 0) {
    lines.push('', `${suppressed.length} finding(s) suppressed by \`invokeguard:ignore\`.`);
    if (showSuppressed) {
      lines.push('', '<details><summary>Suppressed findings</summary>', '', '| Rule | Location | Resource | Reason |', '|---|---|---|---|');
      for (const { finding: f, justification } of suppressed) lines.push(`| ${f.ruleId} | ${code(`${f.range.file}:${f.range.line}`)} | ${code(f.resource)} | ${escapeCell(justification)} |`);
      lines.push('', '</details>');
    }
  }
  if (result.notices.length > 0) {
    lines.push('', '<details><summary>Files not scanned</summary>', '');
    for (const n of result.notices) lines.push(`- ${code(n.path)}: ${escapeCell(n.message)}`);
    lines.push('', '</details>');
  }
  lines.push('', `<sub>invokeguard ${escapeCell(version)} · MITRE ATT&CK T1648</sub>`);
  return `${lines.join('\n')}\n`;
};
