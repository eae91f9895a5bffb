import type { Range } from '../model/range.js';
import { resourceSpans } from '../model/resource-spans.js';
import type { Model } from '../model/types.js';
import { SUPPRESSION_RULE } from '../rules/registry.js';
import type { Finding } from '../rules/types.js';
import type { IgnoreDirective } from './directives.js';

/** A finding an `invokeguard:ignore` removed from the results: kept, with the reason, for reports. */
export interface SuppressedFinding {
  finding: Finding;
  justification: string;
  /** Where the directive that suppressed it is written. */
  directive: Range;
}

/**
 * Splits findings into those that stand and those a directive suppresses: same rule id, and the
 * finding's line or its resource's first line among the lines the directive covers (a CloudFormation
 * Metadata directive: the same logical id in the same file). IG903 findings are never suppressed.
 */
export function applySuppressions(findings: Finding[], directives: readonly IgnoreDirective[], model: Model): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  if (directives.length === 0) return { findings, suppressed: [] };
  const spans = resourceSpans(model);
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const directive = finding.ruleId === SUPPRESSION_RULE.id ? undefined : directives.find((d) => d.ruleIds.includes(finding.ruleId) && covers(d, finding, spans));
    if (directive) suppressed.push({ finding, justification: directive.reason, directive: directive.range });
    else kept.push(finding);
  }
  return { findings: kept, suppressed };
}

function covers(directive: IgnoreDirective, finding: Finding, spans: Map<string, Range[]>): boolean {
  const file = directive.range.file;
  if (directive.resource !== undefined) {
    if (finding.resource === directive.resource) return finding.range.file === file;
    // A nested stack's resource (`Api/Invoke`): the Metadata in its template speaks for it through every
    // stack nesting it, wherever the finding stands (on a value the parent passes, in the parent).
    return finding.resource.endsWith(`/${directive.resource}`) && (spans.get(finding.resource) ?? []).some((s) => s.file === file);
  }
  const within = (line: number) => line >= directive.covers.startLine && line <= directive.covers.endLine;
  if (finding.range.file === file && within(finding.range.line)) return true;
  // A finding located elsewhere (a policy document in another file) still belongs to its resource;
  // when the resource also stands in the finding's own file (same CloudFormation logical id in two templates), only that one counts.
  const all = spans.get(finding.resource) ?? [];
  const local = all.filter((s) => s.file === finding.range.file);
  return (local.length > 0 ? local : all).some((s) => s.file === file && within(s.line));
}
