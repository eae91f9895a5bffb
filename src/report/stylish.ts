import { Chalk } from 'chalk';
import type { Severity } from '../rules/types.js';
import type { Formatter } from './types.js';
import { messageText } from './message.js';

/** ESLint-style output grouped by file, for people at a terminal. */
export const formatStylish: Formatter = (result, { color, showSuppressed }) => {
  const c = new Chalk({ level: color ? 1 : 0 });
  const paint: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold.red(s),
    high: (s) => c.red(s),
    medium: (s) => c.yellow(s),
    low: (s) => c.cyan(s),
    info: (s) => c.gray(s),
  };
  const lines: string[] = [];
  let file: string | undefined;
  for (const f of result.findings) {
    if (f.range.file !== file) {
      file = f.range.file;
      lines.push('', c.underline(file));
    }
    lines.push(`  ${c.dim(`${f.range.line}:${f.range.column}`)}  ${paint[f.severity](f.severity.padEnd(8))} ${c.bold(f.ruleId)}  ${f.resource}`);
    lines.push(`      ${messageText(f)}${f.constructPath !== undefined ? c.dim(` (construct: ${f.constructPath})`) : ''}`);
    if (f.crossCheck) {
      const mark = f.crossCheck.verdict === 'disputed' ? c.magenta('disputed') : f.crossCheck.verdict === 'confirmed' ? c.red('confirmed') : c.gray('unavailable');
      lines.push(`      ${c.dim('Access Analyzer:')} ${mark} — ${f.crossCheck.reason}`);
    }
    lines.push(`      ${c.green('fix:')} ${f.suggestion}`);
    if (f.fix) lines.push(`      ${f.fix.edits.length > 0 ? c.green('--fix:') : c.dim('--fix:')} ${f.fix.description}`);
  }
  const suppressed = result.suppressed ?? [];
  if (showSuppressed && suppressed.length > 0) {
    lines.push('', c.dim('suppressed:'));
    for (const { finding: f, justification, directive } of suppressed) {
      lines.push(`  ${c.dim(`${f.range.file}:${f.range.line}:${f.range.column}`)}  ${f.severity.padEnd(8)} ${f.ruleId}  ${f.resource}`);
      lines.push(`      ${c.dim(`ignored at ${directive.file}:${directive.line}: ${justification}`)}`);
    }
  }
  for (const n of result.notices) lines.push(`${c.yellow('warning')} ${n.path}: ${n.message}`);
  const counts = new Map<Severity, number>();
  for (const f of result.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const breakdown = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  lines.push(
    '',
    result.findings.length === 0
      ? c.green(`✔ no findings in ${result.files} file(s)`)
      : c.bold(`✖ ${result.findings.length} finding(s) in ${result.files} file(s)${breakdown ? ` (${breakdown})` : ''}`),
  );
  if (suppressed.length > 0) lines.push(c.dim(`${suppressed.length} suppressed by invokeguard:ignore${showSuppressed ? '' : ' (list them with --show-suppressed)'}`));
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
};
