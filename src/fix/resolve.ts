import { basename } from 'node:path';
import { classifyByContent, isLambdaGetPolicyOutput, TERRAFORM_CONFIG, TERRAFORM_JSON_CONFIG } from '../discover/classify.js';
import { createPositionMapper, type Range, type TextPositionMapper } from '../model/range.js';
import { parseCloudFormationLoading } from '../parse/cloudformation/parse-cloudformation.js';
import { alignedInsertions, type AddedLine } from './hcl-align.js';
import { mayHoldEmbeddedJson, mayHoldHclSpan, textDigest, type NoEditSpans } from '../parse/no-edit-spans.js';
import { cloudFormationDocument, hclDocument } from '../parse/reference-parse.js';
import { parseHcl } from '../parse/terraform-hcl/parse-hcl.js';
import type { Finding } from '../rules/types.js';
import { isJsonSyntax, renderKey, renderValue, type Syntax } from './render.js';
import { someScalar, type Change, type FixValue, type TextEdit } from './types.js';

/** A file's text and what an edit needs to know about it. */
interface EditableFile {
  file: string;
  text: string;
  syntax: Syntax;
  mapper: TextPositionMapper;
  /** HCL heredocs' content spans: JSON policies written inside a template. */
  heredocs: Array<[number, number]>;
  /** Strings that hold a policy as JSON text (a YAML or JSON template's `PolicyDocument: '{...}'`): not edited. */
  embedded: Array<[number, number]>;
  /** Heredocs' `%{ for }` loops: text there is rendered once per element, so not edited. */
  loops: Array<[number, number]>;
  /** HCL `variable` blocks' spans: a default there is a constant, and may not refer to resources. */
  variables: Array<[number, number]>;
  newline: string;
}

/**
 * The fix stage's first half: turns each finding's `fix.changes` (ranges, format-neutral values)
 * into text edits on the file as it was scanned. A change that cannot be made safely leaves
 * the finding without edits, and its description says why. `scanned`: the places not to edit
 * that the scan's parse found, by file (a file without any is absent), so that no file is parsed
 * again; without it, a file that may hold such a place is parsed.
 */
export async function resolveFixes(findings: Finding[], readText: (file: string) => Promise<string | undefined>, scanned?: ReadonlyMap<string, NoEditSpans>): Promise<void> {
  const files = new Map<string, Promise<EditableFile | string>>();
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix?.changes) continue;
    const changes = fix.changes;
    delete fix.changes;
    fix.edits = [];
    if (changes.length === 0) continue;
    const why = await (async () => {
      if (finding.constructPath !== undefined) return `the file is synthesised by ${TERRAFORM_JSON_CONFIG.test(basename(finding.range.file).toLowerCase()) ? 'CDK for Terraform' : 'the AWS CDK'}: change the construct ${finding.constructPath} instead`;
      const file = finding.range.file;
      if (!files.has(file)) files.set(file, editableFile(file, readText, scanned));
      const editable = await files.get(file)!;
      if (typeof editable === 'string') return editable;
      const edits: TextEdit[] = [];
      for (const change of changes) {
        const edit = changeToEdit(editable, change);
        if (typeof edit === 'string') return edit;
        edits.push(edit);
      }
      fix.edits = withHclRunsAligned(editable, withAdjacentRemovalsMerged(editable.text, edits));
      fix.replacement = edits.flatMap((e) => (e.text.trim() === '' ? [] : [e.text.trim().replace(/^,\s*/, '')])).join('\n');
      return undefined;
    })();
    if (why) fix.description += ` Not applied by --fix: ${why}.`;
  }
}

async function editableFile(file: string, readText: (file: string) => Promise<string | undefined>, scanned?: ReadonlyMap<string, NoEditSpans>): Promise<EditableFile | string> {
  const text = await readText(file);
  if (text === undefined) return 'the file cannot be read';
  const syntax = fileSyntax(file, text);
  if (typeof syntax !== 'string') return syntax.reason;
  const mapper = createPositionMapper(file, text);
  const spans = await noEditSpans(file, text, syntax, scanned);
  const offsets = (runs: number[] | undefined): Array<[number, number]> => {
    const pairs: Array<[number, number]> = [];
    for (let i = 0; runs && i < runs.length; i += 4) pairs.push([mapper.offset(runs[i], runs[i + 1]), mapper.offset(runs[i + 2], runs[i + 3])]);
    return pairs;
  };
  return { file, text, syntax, mapper, heredocs: offsets(spans?.heredocs), embedded: offsets(spans?.embedded), loops: offsets(spans?.loops), variables: offsets(spans?.variables), newline: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * The places of `text` not to edit: the scan's, when they belong to this very text (it digests
 * the same); none, when the text cannot hold one; else, from a parse of the text as read (the file
 * changed since the scan parsed it, or no scan's spans were given) — as the scan's parse finds them.
 */
async function noEditSpans(file: string, text: string, syntax: Syntax, scanned?: ReadonlyMap<string, NoEditSpans>): Promise<NoEditSpans | undefined> {
  const hcl = syntax === 'hcl';
  if (!hcl && syntax !== 'cfn-yaml' && syntax !== 'cfn-json') return undefined;
  const kept = scanned?.get(file);
  if (kept && kept.digest === textDigest(text)) return kept;
  if (!(hcl ? mayHoldHclSpan(text) : mayHoldEmbeddedJson(text))) return undefined;
  // No spans of this very text: the scan found none in it, or it read another text (the file changed since). Only a parse can tell.
  const document = hcl ? hclDocument('terraform-hcl', file, await parseHcl(file, text), text) : cloudFormationDocument(file, await parseCloudFormationLoading(file, text), text);
  return 'noEdit' in document ? document.noEdit : undefined;
}

function fileSyntax(file: string, text: string): Syntax | { reason: string } {
  const name = basename(file).toLowerCase();
  if (/(^|\.)tfvars(\.json)?$/.test(name)) return { reason: 'variable files are not edited' };
  if (TERRAFORM_CONFIG.test(name)) return 'hcl';
  if (TERRAFORM_JSON_CONFIG.test(name)) return 'tf-json';
  switch (classifyByContent(text)) {
    case 'cloudformation':
      return /^\s*\{/.test(text) ? 'cfn-json' : 'cfn-yaml';
    case 'iam-json':
      // The policy is JSON text inside a string, and the file a copy of what Lambda holds: editing it changes no function.
      if (isLambdaGetPolicyOutput(text)) return { reason: 'the file is `aws lambda get-policy` output: change the permission where it is defined (or with aws lambda remove-permission)' };
      return 'json';
    case 'terraform-plan':
      return { reason: 'a Terraform plan is generated output: fix the Terraform source it was planned from' };
    default:
      return { reason: 'the file is not in a format invokeguard edits' };
  }
}

function offsetsOf(file: EditableFile, range: Range): [number, number] | undefined {
  if (range.file !== file.file) return undefined;
  const start = file.mapper.offset(range.line, range.column);
  const end = file.mapper.offset(range.endLine, range.endColumn);
  return start >= 0 && end >= start && end <= file.text.length ? [start, end] : undefined;
}

/** Whether a value to write holds a Terraform expression (a reference), not only literals. */
function refersToTerraform(value: FixValue): boolean {
  return someScalar(value, (scalar) => scalar.kind === 'terraform');
}

/** The syntax at an offset: JSON inside a heredoc is a template, not HCL. */
function syntaxAt(file: EditableFile, offset: number): Syntax {
  return file.syntax === 'hcl' && file.heredocs.some(([s, e]) => offset >= s && offset < e) ? 'hcl-json' : file.syntax;
}

/** One change as a text edit, or why it cannot be made. */
export function changeToEdit(file: EditableFile, change: Change): TextEdit | string {
  const at = offsetsOf(file, change.kind === 'set' ? change.attribute : change.kind === 'replace' || change.kind === 'remove' ? change.range : change.kind === 'add' ? change.after : change.block);
  if (!at) return 'the place to edit is not in this file as written';
  const [start, end] = [at[0], trimEnd(file.text, at[0], at[1])];
  // Escapes, quoting and folding of the string would all have to be written back: left to a human.
  if (file.embedded.some(([s, e]) => start >= s && start < e)) return 'the policy is written as a JSON string: edit the string by hand (or write the policy as YAML/JSON)';
  if (file.loops.some(([s, e]) => start >= s && start < e)) return 'the text is repeated by a template `%{ for }` loop, once per element: edit it by hand';
  const syntax = syntaxAt(file, start);
  const cannot = `${syntax} cannot express the value`;
  if ((change.kind === 'set' || change.kind === 'replace' || change.kind === 'add') && refersToTerraform(change.value) && file.variables.some(([s, e]) => start >= s && start < e)) {
    return 'the value stands in a variable default, which cannot refer to resources: set the variable where the module is called (or in tfvars), or write the reference in place of the variable';
  }
  switch (change.kind) {
    case 'set': {
      const valueStart = afterSeparator(file.text, start, end);
      if (valueStart === undefined) return 'the attribute is not written as key and value';
      const text = renderValue(change.value, syntax);
      return text === undefined ? cannot : { file: file.file, start: valueStart, end, text };
    }
    case 'replace': {
      const span = writtenSpan(file, start, end, change.expect, syntax);
      return typeof span === 'string' ? span : (replaceItem(file, span[0], span[1], change.value, syntax) ?? cannot);
    }
    case 'remove': {
      const span = writtenSpan(file, start, end, change.expect, syntax);
      if (typeof span === 'string') return span;
      const [from, to] = span;
      const block = syntax === 'cfn-yaml' && /^[ \t]*-[ \t]+$/.test(file.text.slice(lineStart(file.text, from), from));
      const range = block ? blockItemLine(file.text, from, to) : listItemWithSeparator(file.text, from, to);
      if (!range) return 'the entry is not written as an item of a list with others, laid out so that it can be taken out';
      const edit: TextEdit = { file: file.file, start: range[0], end: range[1], text: '' };
      if (!block) removedListItem.set(edit, [from, to]);
      return edit;
    }
    case 'add': {
      const text = renderValue(change.value, syntax);
      if (text === undefined) return cannot;
      return addAfter(file, start, end, change.key, text, syntax) ?? 'cannot add a line next to the attribute as it is laid out';
    }
    case 'add-block': {
      if (syntax !== 'hcl') return `a ${change.type} block can only be added in HCL, not ${syntax}`;
      const attributes = change.attributes.map(([name, value]) => [name, renderValue(value, syntax)] as const);
      if (attributes.some(([, text]) => text === undefined)) return cannot;
      return addBlock(file, start, end, change.type, attributes as Array<readonly [string, string]>) ?? `cannot add a ${change.type} block inside the block as it is laid out`;
    }
  }
}

/**
 * The span of the value written at `start`–`end` that reads `expect`: a string, or a string written through
 * Fn::Sub, whose tag or `Fn::Sub` key is part of it (replacing or removing the string alone would leave them).
 * A comment after a block `Fn::Sub: "…"` is left out. Why not, when the place holds something else.
 */
function writtenSpan(file: EditableFile, start: number, end: number, expect: string, syntax: Syntax): [number, number] | string {
  const written = file.text.slice(start, end);
  const sub = unquote(written) === expect ? undefined : substitutedLength(written, expect, syntax);
  const from = sub === undefined ? (unquote(written) === expect ? subTagStart(file, start, syntax) : undefined) : start;
  if (from === undefined) return `the value is not written at that place (${JSON.stringify(written.slice(0, 40))} is): it comes from a variable, a managed policy or the like`;
  return [from, sub === undefined ? end : start + sub];
}

/** A YAML block sequence item (`- value`, alone on its line but for a comment): its whole line. */
function blockItemLine(text: string, start: number, end: number): [number, number] | undefined {
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  return /^[ \t]*(#.*)?\r?\n?$/.test(text.slice(end, lineEnd)) ? [lineStart(text, start), lineEnd] : undefined;
}

/** The item (as written, separator left out) that a removal edit of a bracketed list's item takes out. */
const removedListItem = new WeakMap<TextEdit, [number, number]>();

/** The HCL lines add changes write, by their plain insertion edit: aligned together by withHclRunsAligned. */
const addedHclLine = new WeakMap<TextEdit, AddedLine>();

/**
 * A finding's HCL line insertions, all of one place at once (IG102 adds source_arn and source_account after the
 * principal), rewritten so that the runs of one-line attributes they join keep terraform fmt's alignment.
 */
function withHclRunsAligned(file: EditableFile, edits: TextEdit[]): TextEdit[] {
  const added = edits.filter((edit) => addedHclLine.has(edit));
  if (added.length === 0) return edits;
  const aligned = alignedInsertions(file.text, file.newline, added.map((edit) => addedHclLine.get(edit)!)).map((edit) => ({ ...edit, file: file.file }));
  return [...edits.filter((edit) => !addedHclLine.has(edit)), ...aligned];
}

/**
 * The edits with each run of adjacent items of one bracketed list removed as one: each item's removal claims a
 * comma, and two neighbours may claim the same one (`[a, b, c]` without b and c: `b, ` and `, c`), so the run is
 * taken out as one item would be (`, b, c`). A run the whole list long is left as it is (the edits overlap).
 */
function withAdjacentRemovalsMerged(text: string, edits: TextEdit[]): TextEdit[] {
  const removals = edits.filter((edit) => removedListItem.has(edit)).sort((a, b) => removedListItem.get(a)![0] - removedListItem.get(b)![0]);
  const merged = new Map<TextEdit, TextEdit | undefined>();
  for (let first = 0; first < removals.length; ) {
    let last = first;
    while (last + 1 < removals.length && /^\s*,\s*$/.test(text.slice(removedListItem.get(removals[last])![1], removedListItem.get(removals[last + 1])![0]))) last++;
    const range = last > first ? listItemWithSeparator(text, removedListItem.get(removals[first])![0], removedListItem.get(removals[last])![1]) : undefined;
    if (range) {
      // The run's first edit stands for it; the others go.
      merged.set(removals[first], { file: removals[first].file, start: range[0], end: range[1], text: '' });
      for (let i = first + 1; i <= last; i++) merged.set(removals[i], undefined);
    }
    first = last + 1;
  }
  return edits.flatMap((edit) => (merged.has(edit) ? (merged.get(edit) ? [merged.get(edit)!] : []) : [edit]));
}

/**
 * An item of a bracketed list (HCL, JSON, YAML flow) with one comma: the one after it and the space up to the next
 * item (`[a, b]` → `[b]`, the next item taking the removed one's place and indentation), or, for the last item, the
 * comma before it (`[a, b]` → `[a]`; a trailing comma stays: `[a,\n  b,\n]` → `[a,\n]`). Undefined when the item
 * is not between a bracket or comma and a comma or bracket (a comment in between, a lone item).
 */
function listItemWithSeparator(text: string, start: number, end: number): [number, number] | undefined {
  const before = skipSpace(text, start - 1, -1);
  const after = skipSpace(text, end, 1);
  if (text[after] === ',') {
    const next = skipSpace(text, after + 1, 1);
    if ((text[before] === '[' || text[before] === ',') && next < text.length && text[next] !== ']') return [start, next];
    // The last item, with a trailing comma: from after the previous item's comma through its own.
    return text[before] === ',' && text[next] === ']' ? [before + 1, after + 1] : undefined;
  }
  return text[before] === ',' && text[after] === ']' ? [before, end] : undefined;
}

/** The first offset from `at`, stepping by `step`, that is not white space. */
function skipSpace(text: string, at: number, step: 1 | -1): number {
  while (at >= 0 && at < text.length && /\s/.test(text[at])) at += step;
  return at;
}

/**
 * Where a CloudFormation YAML scalar at `start` really starts: at its `!Sub` tag when it has one (the model
 * locates the string after it), on its line or on a line above with only white space between.
 */
function subTagStart(file: EditableFile, start: number, syntax: Syntax): number {
  if (syntax !== 'cfn-yaml') return start;
  let at = start;
  while (at > 0 && /\s/.test(file.text[at - 1])) at--;
  const before = file.text.slice(Math.max(0, at - 5), at);
  if (!/(^|[\s:\-[{,])!Sub$/.test(before) || at === start) return start;
  // Not a `!Sub` inside a comment (`Resource: # was !Sub`): replacing from there would comment the value out.
  return file.text.slice(lineStart(file.text, at), at).includes('#') ? start : at - 4;
}

/**
 * `Fn::Sub: "s"` (YAML, a comment after it allowed) or `{ "Fn::Sub": "s" }` (JSON, YAML flow) whose one string is
 * `expect`: the model locates such a value at the whole intrinsic. The length of the intrinsic as written, comment
 * left out; undefined when `written` is not that.
 */
function substitutedLength(written: string, expect: string, syntax: Syntax): number | undefined {
  if (syntax !== 'cfn-yaml' && syntax !== 'cfn-json') return undefined;
  const flow = /^\{\s*(["']?)Fn::Sub\1\s*:\s*([^\n]*?)\s*\}$/.exec(written);
  if (flow) return isString(flow[2], expect) ? written.length : undefined;
  const block = syntax === 'cfn-yaml' ? /^(["']?)Fn::Sub\1[ \t]*:[ \t]+([^\n]*)$/.exec(written) : null;
  if (!block) return undefined;
  const scalar = blockScalar(block[2]);
  return scalar !== undefined && isString(scalar, expect) ? written.length - block[2].length + scalar.length : undefined;
}

/** A one-line YAML scalar without the comment after it: a quoted one ends at its closing quote, a plain one before ` #`. */
function blockScalar(line: string): string | undefined {
  const quoted = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(line)?.[0];
  if (quoted !== undefined) return /^[ \t]*(#.*)?$/.test(line.slice(quoted.length)) ? quoted : undefined;
  const comment = line.search(/[ \t]#/);
  return (comment < 0 ? line : line.slice(0, comment)).trimEnd();
}

function isString(argument: string, expect: string): boolean {
  return /^["']/.test(argument) === /["']$/.test(argument) && unquote(argument) === expect && !/^[[{!|>]/.test(argument);
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Where the value of `key = value` / `"key": value` / `key: value` starts. */
function afterSeparator(text: string, start: number, end: number): number | undefined {
  let i = start;
  const quote = text[i];
  if (quote === '"' || quote === "'") {
    for (i++; i < end && text[i] !== quote; i++) if (text[i] === '\\') i++;
    i++;
  } else while (i < end && /[^\s=:]/.test(text[i])) i++;
  while (i < end && /[ \t]/.test(text[i])) i++;
  if (text[i] !== '=' && text[i] !== ':') return undefined;
  for (i++; i < end && /\s/.test(text[i]); i++);
  return i < end ? i : undefined;
}

function unquote(written: string): string {
  if (written.length >= 2 && (written[0] === '"' || written[0] === "'") && written.endsWith(written[0])) {
    if (written[0] === "'") return written.slice(1, -1).replace(/''/g, "'");
    try {
      return JSON.parse(written) as string;
    } catch {
      return written.slice(1, -1);
    }
  }
  return written;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Replace a value; a list written in place of one list item is spread into its items. */
function replaceItem(file: EditableFile, start: number, end: number, value: FixValue, syntax: Syntax): TextEdit | undefined {
  const edit = (text: string | undefined) => (text === undefined ? undefined : { file: file.file, start, end, text });
  if (value.kind !== 'list') return edit(renderValue(value, syntax));
  const items = value.items.map((i) => renderValue(i, syntax));
  if (items.some((i) => i === undefined)) return undefined;
  let before = start - 1;
  while (before >= 0 && /\s/.test(file.text[before])) before--;
  const prefix = file.text.slice(lineStart(file.text, start), start);
  if (syntax === 'cfn-yaml' && /^\s*(-\s+)+$/.test(prefix)) return edit(items.join(`${file.newline}${prefix}`));
  if (file.text[before] === '[' || file.text[before] === ',') return edit(items.join(', '));
  return edit(items.length === 1 ? items[0] : renderValue(value, syntax));
}

/** A new `key = value` line after an attribute (or `, key: value` in a one-line object). */
function addAfter(file: EditableFile, anchor: number, end: number, key: string, value: string, syntax: Syntax): TextEdit | undefined {
  const { text, newline } = file;
  let start = anchor;
  let prefix = text.slice(lineStart(text, start), start);
  // Anchored at a value (policy statements keep no key ranges): the attribute starts at its key on that line.
  const keyed = /^(\s*(?:-\s+)*)(?:"[^"]*"|'[^']*'|[\w.:-]+)\s*[:=]\s*$/.exec(prefix);
  if (keyed) {
    start -= prefix.length - keyed[1].length;
    prefix = keyed[1];
  }
  const json = isJsonSyntax(syntax);
  const written = `${renderKey(key, syntax)}${syntax === 'hcl' ? ' = ' : ': '}${value}`;
  const blockLayout = syntax === 'cfn-yaml' ? /^\s*(-\s+)*$/.test(prefix) : /^\s*$/.test(prefix);
  if (!blockLayout) {
    // One-line objects: `{ a = 1, b = 2 }`, `{"a": 1}`, YAML flow `{A: 1}`.
    return syntax === 'hcl' || json || prefix.includes('{') ? { file: file.file, start: end, end, text: `, ${written}` } : undefined;
  }
  // A YAML mapping inside a list item (`- Key: v`) continues under the key, not the dash.
  const indent = prefix.replace(/-/g, ' ');
  if (json) return { file: file.file, start: end, end, text: `,${newline}${indent}${written}` };
  // HCL and YAML: a new line after the attribute's last line, so a trailing comment stays where it is.
  let at = text.indexOf('\n', end);
  if (at < 0) at = text.length;
  else if (text[at - 1] === '\r') at--;
  const edit: TextEdit = { file: file.file, start: at, end: at, text: `${newline}${indent}${written}` };
  // HCL: aligned with the run of one-line attributes it joins once every line the fix adds there is known (withHclRunsAligned).
  if (syntax === 'hcl') addedHclLine.set(edit, { at, lead: `${indent}${renderKey(key, syntax)}`, value });
  return edit;
}

/**
 * A nested block as the last lines of the block spanning `start`–`end`, before its closing brace
 * (which must stand on its own line), indented one level deeper and with `=` aligned as terraform fmt does.
 */
function addBlock(file: EditableFile, start: number, end: number, type: string, attributes: Array<readonly [string, string]>): TextEdit | undefined {
  const { text, newline } = file;
  const close = end - 1;
  if (text[close] !== '}') return undefined;
  const closeLine = lineStart(text, close);
  const outer = text.slice(closeLine, close);
  if (closeLine <= start || !/^[ \t]*$/.test(outer)) return undefined;
  // One level is what the block's own first line inside uses beyond its closing brace, else two spaces.
  const inner = /^([ \t]*)\S/m.exec(text.slice(text.indexOf('\n', start) + 1, closeLine))?.[1];
  const step = inner !== undefined && inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : '  ';
  const width = Math.max(...attributes.map(([name]) => name.length));
  const lines = [
    `${outer}${step}${type} {`,
    ...attributes.map(([name, value]) => `${outer}${step}${step}${name.padEnd(width)} = ${value}`),
    `${outer}${step}}`,
  ];
  return { file: file.file, start: closeLine, end: closeLine, text: lines.map((l) => l + newline).join('') };
}
