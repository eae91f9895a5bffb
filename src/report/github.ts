import type { Severity } from '../rules/types.js';
import { fixText } from './fix-text.js';
import type { Formatter } from './types.js';
import { messageText } from './message.js';

type Command = 'error' | 'warning' | 'notice';

export function githubCommand(severity: Severity): Command {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'notice';
}

/** Escapes a workflow command's message, as @actions/core does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value: the message escapes plus ':' and ','. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: Command, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

/** GitHub Actions workflow commands: one annotation per finding on the pull request's diff. */
export const formatGithub: Formatter = (result) => {
  const lines = result.findings.map((f) =>
    command(
      githubCommand(f.severity),
      { file: f.range.file, line: f.range.line, col: f.range.column, endLine: f.range.endLine, endColumn: f.range.endColumn, title: f.ruleId },
      [messageText(f), ...(f.constructPath !== undefined ? [`Construct: ${f.constructPath}`] : []), `Suggestion: ${f.suggestion}`, ...(f.fix ? [fixText(f)] : [])].join('\n'),
    ),
  );
  for (const n of result.notices) lines.push(command('warning', { file: n.path, title: 'invokeguard' }, n.message));
  lines.push(`invokeguard: ${result.findings.length} finding(s) in ${result.files} file(s)`);
  return `${lines.join('\n')}\n`;
};
