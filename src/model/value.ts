import type { Range } from './range.js';
import type { StringPositions } from './string-positions.js';

/**
 * An evaluated value with the range it came from. Anything that cannot be known
 * without running Terraform/CloudFormation is an explicit `unknown`, never guessed.
 */
export type Value = StringValue | NumberValue | BoolValue | NullValue | ListValue | ObjectValue | TemplateValue | UnknownValue;

/**
 * `verbatim`: the text stands unescaped in the source at `range` (heredocs), so inner positions are exact.
 * `positions`: where each character stands, for a string written with escapes or folded lines (a JSON policy
 * as a YAML or JSON string); set only on strings that may hold JSON.
 */
export interface StringValue { kind: 'string'; value: string; range: Range; verbatim?: boolean; positions?: StringPositions }
export interface NumberValue { kind: 'number'; value: number; range: Range }
export interface BoolValue { kind: 'bool'; value: boolean; range: Range }
export interface NullValue { kind: 'null'; range: Range }
export interface ListValue { kind: 'list'; items: Value[]; range: Range }
export interface ObjectEntry { key: string; keyRange: Range; value: Value }
/**
 * `block`: written as an HCL block (an aws_iam_policy_document `statement`), whose entries are attributes and nested blocks.
 * `open`: keys may be missing from `entries` (an entry whose key was unknown, a variable typed with optional attributes),
 * so a key not found is unknown rather than an error.
 */
export interface ObjectValue { kind: 'object'; entries: ObjectEntry[]; range: Range; block?: boolean; open?: boolean }
/** A string with unknown pieces, e.g. "${aws_api_gateway_rest_api.api.execution_arn}/*". */
export interface TemplateValue { kind: 'template'; parts: Array<string | UnknownValue>; range: Range; verbatim?: VerbatimTemplate }
/**
 * A heredoc as written (or a CloudFormation `Fn::Sub` string), with its interpolations' values at their offsets:
 * lets JSON inside it be parsed with positions. `positions` when `text` is not as written at `range` (see StringValue).
 */
export interface VerbatimTemplate { text: string; range: Range; holes: Array<{ start: number; end: number; value: Value }>; positions?: StringPositions }
/**
 * A value we cannot know. `ref` names what it is symbolically when we can say
 * ("aws_lambda_function.api.arn", "AWS::AccountId", "var.name"), so rules and
 * suggestions can still reason about and name it.
 */
export interface UnknownValue {
  kind: 'unknown';
  ref?: string;
  range: Range;
  /** When the reference is to a resource in the scan: its full address and type. */
  resource?: string;
  resourceType?: string;
  /**
   * Terraform would fail to evaluate this (a missing attribute of a known object, an index out of
   * range), rather than merely not know it yet: Terraform's `try` and `can` tell the two apart.
   */
  invalid?: true;
}

export function stringValue(value: string, range: Range): StringValue {
  return { kind: 'string', value, range };
}

export function unknownValue(range: Range, ref?: string): UnknownValue {
  return ref === undefined ? { kind: 'unknown', range } : { kind: 'unknown', ref, range };
}

/** The string if it is fully known; numbers and bools are rendered as Terraform/CFN would. */
export function knownString(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number') return String(value.value);
  if (value.kind === 'bool') return String(value.value);
  return undefined;
}

/** Renders a string-like value with unknown pieces as `${ref}` (for messages and pattern checks). */
export function displayString(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  const known = knownString(value);
  if (known !== undefined) return known;
  if (value.kind === 'template') return value.parts.map((p) => (typeof p === 'string' ? p : `\${${p.ref ?? 'unknown'}}`)).join('');
  if (value.kind === 'unknown') return `\${${value.ref ?? 'unknown'}}`;
  return undefined;
}

/**
 * The scan resources one value refers to by full address (`aws_lambda_function.x.arn`, `!GetAtt X.Arn`,
 * `"${…}:live"`): a reference, or the pieces of one string; not what a list or object holds.
 */
export function resourcesOf(value: Value): string[] {
  switch (value.kind) {
    case 'unknown':
      return value.resource ? [value.resource] : [];
    case 'template':
      return value.parts.flatMap((p) => (typeof p !== 'string' && p.resource ? [p.resource] : []));
    default:
      return [];
  }
}

/** The symbolic references (resource attributes, variables, pseudo parameters) a value is built from. */
export function referencesOf(value: Value | undefined): string[] {
  if (!value) return [];
  switch (value.kind) {
    case 'unknown':
      return value.ref ? [value.ref] : [];
    case 'template':
      return value.parts.flatMap((p) => (typeof p !== 'string' && p.ref ? [p.ref] : []));
    case 'list':
      return value.items.flatMap(referencesOf);
    case 'object':
      return value.entries.flatMap((e) => referencesOf(e.value));
    default:
      return [];
  }
}

export function isNullish(value: Value | undefined): boolean {
  return value === undefined || value.kind === 'null';
}

/** Property lookup on an object value; `caseInsensitive` for IAM JSON, whose keys AWS reads case-insensitively. */
export function getEntry(value: Value | undefined, key: string, caseInsensitive = false): ObjectEntry | undefined {
  if (!value || value.kind !== 'object') return undefined;
  const wanted = caseInsensitive ? key.toLowerCase() : key;
  for (let i = value.entries.length - 1; i >= 0; i--) {
    const entry = value.entries[i];
    if ((caseInsensitive ? entry.key.toLowerCase() : entry.key) === wanted) return entry;
  }
  return undefined;
}

export function get(value: Value | undefined, key: string, caseInsensitive = false): Value | undefined {
  return getEntry(value, key, caseInsensitive)?.value;
}

/** A scalar or list of scalars as a list (IAM fields accept both). */
export function asList(value: Value | undefined): Value[] {
  if (!value || value.kind === 'null') return [];
  return value.kind === 'list' ? value.items : [value];
}
