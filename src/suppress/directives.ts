import type { LineSpan, SourceComment } from '../parse/comments.js';
import type { SourceDocument } from '../parse/types.js';
import { entrySpan } from '../model/cloudformation/support.js';
import type { Range } from '../model/range.js';
import { get, knownString, type ObjectEntry, type Value } from '../model/value.js';
import { PIPELINE_RULES, RULES, SUPPRESSION_RULE } from '../rules/registry.js';
import type { Finding } from '../rules/types.js';

/** One accepted `invokeguard:ignore`: known rule ids, a reason, and what it covers. Plain data. */
export interface IgnoreDirective {
  ruleIds: string[];
  reason: string;
  /** Where the directive is written. */
  range: Range;
  /** Lines of `range.file` it speaks for (comments); findings on them, or on resources starting on them, are suppressed. */
  covers: LineSpan;
  /** CloudFormation `Metadata`: the logical id it belongs to; then only that resource's findings are suppressed. */
  resource?: string;
}

export interface DirectiveScan {
  directives: IgnoreDirective[];
  /** IG903: ignores without a reason or with unknown rule ids, located where they are written. */
  problems: Finding[];
}

const MARKER = 'invokeguard:ignore';
/** The directive must open the comment: prose that merely mentions it is not one. */
const COMMENT_DIRECTIVE = /^\s*(?:#+|\/\/+|\/\*+)?\s*invokeguard:ignore(?=\s|$)([\s\S]*)$/;

/**
 * Collects suppression directives one parsed document at a time, while its tree is still held:
 * HCL `#` / `//` / `/* *\/` comments, Terraform JSON `"//"` keys, CloudFormation YAML comments,
 * and CloudFormation `Metadata: {invokeguard: {ignore: [{id, reason}]}}` on a resource (YAML and JSON).
 */
export function directivesCollector(): (document: SourceDocument) => DirectiveScan {
  const knownRuleIds = new Set([...RULES.map((r) => r.meta.id), ...PIPELINE_RULES.map((r) => r.id)]);
  return (document) => {
    const out: DirectiveScan = { directives: [], problems: [] };
    collectDirectives(document, knownRuleIds, out);
    return out;
  };
}

function collectDirectives(document: SourceDocument, knownRuleIds: ReadonlySet<string>, out: DirectiveScan): void {
  const comments = document.format === 'terraform-hcl' || document.format === 'terraform-json' ? document.hcl.comments : document.format === 'cloudformation' ? (document.comments ?? []) : [];
  for (const comment of comments) if (comment.text.includes(MARKER)) fromComment(comment, document.file, knownRuleIds, out);
  if (document.format === 'cloudformation') fromMetadata(document.template, document.file, knownRuleIds, out);
}

function fromComment(comment: SourceComment, file: string, known: ReadonlySet<string>, out: DirectiveScan): void {
  const match = COMMENT_DIRECTIVE.exec(comment.text.replace(/\*+\/\s*$/, ''));
  if (!match) return;
  const rest = match[1].trim();
  const idToken = rest.split(/\s+/, 1)[0] ?? '';
  const ids = idToken.split(',').filter(Boolean);
  const reason = rest.slice(idToken.length).replace(/^[\s:—–-]+/, '').trim();
  accept(ids, reason, comment.range, comment.covers, file, undefined, known, out);
}

/** The resources written in a `Resources` map, and in the bodies of its `Fn::ForEach` loops (nested too). */
function* resourceEntries(resources: Value, inLoop = false): Generator<{ entry: ObjectEntry; inLoop: boolean }> {
  if (resources.kind !== 'object') return;
  for (const entry of resources.entries) {
    if (!entry.key.startsWith('Fn::ForEach::')) yield { entry, inLoop };
    else if (entry.value.kind === 'list' && entry.value.items.length === 3) yield* resourceEntries(entry.value.items[2], true);
  }
}

/**
 * `Metadata.invokeguard.ignore` of every resource of a template. In a loop body it covers the body's
 * lines, so every resource the loop generates (whose logical ids are not the key as written).
 */
function fromMetadata(template: Value, file: string, known: ReadonlySet<string>, out: DirectiveScan): void {
  const resources = get(template, 'Resources');
  if (resources?.kind !== 'object') return;
  for (const { entry, inLoop } of resourceEntries(resources)) {
    const settings = get(get(entry.value, 'Metadata'), 'invokeguard');
    if (!settings) continue;
    const span = entrySpan(entry);
    // A YAML block mapping ends at the start of the next line: that line is not the resource's.
    const covers = { startLine: span.line, endLine: span.endColumn === 1 && span.endLine > span.line ? span.endLine - 1 : span.endLine };
    const ignore = get(settings, 'ignore');
    if (ignore?.kind !== 'list') {
      problem(out, `Metadata.invokeguard of ${entry.key} needs "ignore": a list of {id, reason}`, ignore?.range ?? settings.range, entry.key);
      continue;
    }
    for (const item of ignore.items) {
      const id = knownString(get(item, 'id'));
      const reason = knownString(get(item, 'reason'))?.trim() ?? '';
      if (item.kind !== 'object' || id === undefined) {
        problem(out, `an entry of ${entry.key}'s Metadata.invokeguard.ignore has no "id"; write {id: IG101, reason: ...}`, item.range, entry.key);
        continue;
      }
      accept([id], reason, item.range, covers, file, entry.key, known, out, inLoop);
    }
  }
}

/** `byLines`: the directive of `resource` covers its lines rather than its logical id (a loop body). */
function accept(ids: string[], reason: string, range: Range, covers: LineSpan, file: string, resource: string | undefined, known: ReadonlySet<string>, out: DirectiveScan, byLines = false): void {
  const where = resource ?? file;
  if (ids.length === 0) {
    problem(out, 'invokeguard:ignore names no rule id; write "invokeguard:ignore IG101 <reason>"', range, where);
    return;
  }
  const ruleIds = ids.map((id) => id.toUpperCase());
  const unknown = ruleIds.filter((id) => !known.has(id));
  // One finding per directive, whatever is wrong with it: two at the same place would read as one.
  const wrong = [
    ...(unknown.length > 0 ? [`names unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${[...known].join(', ')})`] : []),
    ...(reason === '' ? ['gives no reason, so it suppresses nothing; say why the risk is accepted'] : []),
  ];
  if (wrong.length > 0) problem(out, `invokeguard:ignore ${ruleIds.join(',')} ${wrong.join(', and ')}`, range, where);
  const valid = ruleIds.filter((id) => known.has(id));
  if (reason !== '' && valid.length > 0) out.directives.push({ ruleIds: valid, reason, range, covers, ...(resource !== undefined && !byLines ? { resource } : {}) });
}

function problem(out: DirectiveScan, message: string, range: Range, resource: string): void {
  out.problems.push({
    ruleId: SUPPRESSION_RULE.id,
    severity: SUPPRESSION_RULE.severity,
    message,
    range,
    resource,
    suggestion: 'Write "invokeguard:ignore <rule id>[,<rule id>…] <why the risk is accepted>" (CloudFormation Metadata: {id, reason}), or remove it.',
  });
}
