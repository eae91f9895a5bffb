import type { Finding } from '../rules/types.js';
import type { Formatter } from './types.js';
import { messageText } from './message.js';

/** The stable JSON contract other tools read: keep field names and meanings unchanged. */
export const formatJson: Formatter = (result, { version, showSuppressed }) =>
  `${JSON.stringify(
    {
      tool: 'invokeguard',
      version,
      findings: result.findings.map(jsonFinding),
      errors: result.notices.map((n) => ({ file: n.path, message: n.message })),
      ...(showSuppressed ? { suppressed: (result.suppressed ?? []).map((s) => ({ ...jsonFinding(s.finding), justification: s.justification, suppressedAt: { file: s.directive.file, line: s.directive.line } })) } : {}),
      summary: { files: result.files, findings: result.findings.length, suppressed: result.suppressed?.length ?? 0 },
    },
    null,
    2,
  )}\n`;

function jsonFinding(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: messageText(f),
    file: f.range.file,
    line: f.range.line,
    column: f.range.column,
    endLine: f.range.endLine,
    endColumn: f.range.endColumn,
    resource: f.resource,
    ...(f.roots !== undefined ? { roots: [...f.roots] } : {}),
    suggestion: f.suggestion,
    ...(f.evidence !== undefined ? { evidence: f.evidence } : {}),
    ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
    ...(f.crossCheck !== undefined ? { crossCheck: { verdict: f.crossCheck.verdict, reason: f.crossCheck.reason } } : {}),
    ...(f.fix
      ? {
          fix: {
            description: f.fix.description,
            ...(f.fix.replacement !== undefined ? { replacement: f.fix.replacement } : {}),
            ...(f.fix.snippets ? { snippets: { ...f.fix.snippets } } : {}),
            edits: f.fix.edits.map((e) => ({ file: e.file, start: e.start, end: e.end, text: e.text })),
          },
        }
      : {}),
  };
}
