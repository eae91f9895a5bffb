import { asList, knownString, type Value } from './value.js';

/** CloudTrail's data resource type for Lambda invokes (basic `DataResources.Type`, advanced `resources.type`). */
export const LAMBDA_DATA_RESOURCE = 'AWS::Lambda::Function';
/** GuardDuty's feature name for Lambda Protection. */
export const LAMBDA_PROTECTION = 'LAMBDA_NETWORK_LOGS';
/** The AWS Foundational Security Best Practices standard, as its ARN names it. */
export const FSBP_STANDARD = 'aws-foundational-security-best-practices';
/** Security Hub's control "Lambda function policies should prohibit public access", by its id. */
export const LAMBDA_PUBLIC_CONTROL = 'Lambda.1';

/**
 * The literal text of a string, or of a template's known parts (`arn:aws:securityhub:${var.region}:…`) joined
 * with `*` for each unknown part; undefined for other values.
 */
export function knownText(value: Value | undefined): string | undefined {
  if (value?.kind === 'template') return value.parts.map((p) => (typeof p === 'string' ? p : '*')).join('');
  return knownString(value);
}

/** A standards control ARN (`…:control/aws-foundational-security-best-practices/v/1.0.0/Lambda.1`) naming FSBP's Lambda.1; undefined when not known. */
export function isFsbpLambdaControlArn(value: Value | undefined): boolean | undefined {
  const text = knownText(value);
  if (text === undefined) return undefined;
  if (!text.endsWith(`/${LAMBDA_PUBLIC_CONTROL}`)) return text.endsWith('*') ? undefined : false;
  return text.includes(FSBP_STANDARD) ? true : text.includes('*') ? undefined : false;
}

/**
 * Whether a configuration policy's control lists turn Lambda.1 off: the disabled list names it, or an enabled
 * list (every other control is off) leaves it out. Only a list the scan can read decides (undefined otherwise).
 */
export function listsTurnOffLambdaControl(disabled: Value | undefined, enabled: Value | undefined): boolean | undefined {
  const ids = (list: Value) => asList(list).map(knownString);
  if (disabled !== undefined && disabled.kind !== 'null') {
    const named = ids(disabled);
    if (named.includes(LAMBDA_PUBLIC_CONTROL)) return true;
    if (named.some((id) => id === undefined)) return undefined;
  }
  if (enabled !== undefined && enabled.kind !== 'null') {
    const named = ids(enabled);
    if (named.includes(LAMBDA_PUBLIC_CONTROL)) return false;
    return named.some((id) => id === undefined) ? undefined : true;
  }
  return false;
}

/** True if any is true; undefined if none is but one cannot be known; false otherwise. */
export function anyOf(values: Array<boolean | undefined>): boolean | undefined {
  if (values.some((v) => v === true)) return true;
  return values.some((v) => v === undefined) ? undefined : false;
}

/** Whether a status/flag value is one of the "on" values (case-insensitive); undefined when not known. */
export function enabledFlag(value: Value | undefined, on: string[]): boolean | undefined {
  const text = knownString(value);
  if (text === undefined) return value === undefined ? false : undefined;
  return on.some((o) => o.toLowerCase() === text.toLowerCase());
}

/** False if any is false; undefined if none is but one cannot be known; true otherwise. */
export function allOf(values: Array<boolean | undefined>): boolean | undefined {
  if (values.some((v) => v === false)) return false;
  return values.some((v) => v === undefined) ? undefined : true;
}

/** Access Analyzer types that report resources shared outside the zone of trust; the unused- and internal-access types do not. */
export const EXTERNAL_ACCESS_ANALYZERS: ReadonlySet<string> = new Set(['ACCOUNT', 'ORGANIZATION']);

/** Advanced event selector operators, in Terraform's spelling (CloudFormation: Equals, NotEquals, StartsWith, …). */
export const SELECTOR_OPERATORS = ['equals', 'not_equals', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

/** One field selector of an advanced event selector, whatever the format. */
export interface FieldSelector {
  field: Value | undefined;
  operators: Partial<Record<SelectorOperator, Value>>;
}

/**
 * What a Lambda Invoke data event record holds in the fields a selector can filter on. CloudTrail
 * records Invoke with `"readOnly": false` (a write event), so a read-only selector leaves it out.
 */
const INVOKE_RECORD: Readonly<Record<string, string>> = { eventCategory: 'Data', eventSource: 'lambda.amazonaws.com', 'resources.type': LAMBDA_DATA_RESOURCE, eventName: 'Invoke', readOnly: 'false' };

/**
 * Fields whose value in an Invoke record is whatever the caller brings: the function invoked and the caller's own
 * ARN. A selector that keeps only some values (equals, starts_with, ends_with) misses the invokes of every other
 * function or caller, which an attacker picks; one that leaves some out (not_…) keeps the rest. A resources.ARN
 * prefix every function ARN has (`arn:aws:lambda`) keeps all of them.
 */
const CALLER_CHOSEN_FIELDS: ReadonlySet<string> = new Set(['resources.ARN', 'userIdentity.arn']);

/**
 * Whether an advanced event selector logs Lambda Invoke: it must select `resources.type` =
 * AWS::Lambda::Function, and (its field selectors being ANDed) every other field selector must let
 * the Invoke record through. Fields the record does not hold let it through; an unknown value leaves it undecided;
 * resources.ARN and userIdentity.arn must keep every value (see CALLER_CHOSEN_FIELDS).
 */
export function advancedSelectorLogsInvoke(selectors: FieldSelector[]): boolean | undefined {
  const namesLambda = anyOf(selectors.map(selectsLambdaType));
  if (namesLambda === false) return false;
  return allOf([namesLambda, ...selectors.map(admitsInvoke)]);
}

/** `resources.type` equals [AWS::Lambda::Function]: the selector is about Lambda at all. */
function selectsLambdaType(selector: FieldSelector): boolean | undefined {
  const field = knownString(selector.field);
  if (field === undefined) return selector.field ? undefined : false;
  const equals = selector.operators.equals;
  if (field !== 'resources.type' || !equals) return false;
  const values = asList(equals).map(knownString);
  if (values.includes(LAMBDA_DATA_RESOURCE)) return true;
  return values.every((v) => v !== undefined) ? false : undefined;
}

function admitsInvoke(selector: FieldSelector): boolean | undefined {
  const field = knownString(selector.field);
  if (field === undefined) return selector.field ? undefined : true;
  if (CALLER_CHOSEN_FIELDS.has(field)) return keepsEveryValue(field, selector.operators);
  const recorded = INVOKE_RECORD[field];
  if (recorded === undefined) return true;
  return allOf(SELECTOR_OPERATORS.map((operator) => {
    const value = selector.operators[operator];
    if (!value) return true;
    const values = asList(value).map(knownString);
    if (values.some((v) => v === undefined)) return undefined;
    const test = (v: string) => (operator.endsWith('equals') ? recorded === v : operator.endsWith('starts_with') ? recorded.startsWith(v) : recorded.endsWith(v));
    const matches = (values as string[]).some(test);
    return operator.startsWith('not_') ? !matches : matches;
  }));
}

/** Whether a caller-chosen field's operators keep every Invoke record: only exclusions, or a prefix all function ARNs have. */
function keepsEveryValue(field: string, operators: FieldSelector['operators']): boolean | undefined {
  return allOf(SELECTOR_OPERATORS.map((operator) => {
    const value = operators[operator];
    if (!value || operator.startsWith('not_')) return true;
    const values = asList(value).map(knownString);
    if (values.some((v) => v === undefined)) return undefined;
    return field === 'resources.ARN' && operator === 'starts_with' && (values as string[]).some(isEveryFunctionPrefix);
  }));
}

/** A prefix of every Lambda function's ARN in a partition: `arn:aws:lambda`, `arn:aws:lambda:`, `arn:`. */
function isEveryFunctionPrefix(prefix: string): boolean {
  const partition = /^arn:([a-z-]+)(:|$)/.exec(prefix)?.[1] ?? 'aws';
  return `arn:${partition}:lambda:`.startsWith(prefix);
}

/**
 * Basic selector `DataResources.Values` for Lambda: `arn:aws:lambda` (every function) or function ARNs (those only).
 * True when a value covers every function, false when each names functions, undefined when one is not known.
 */
export function basicValuesLogEveryFunction(values: Value | undefined): boolean | undefined {
  if (!values || values.kind === 'null') return false;
  const texts = asList(values).map(knownString);
  if (texts.some((t) => t !== undefined && /^arn:[a-z-]+:lambda:?$/.test(t.trim()))) return true;
  return texts.some((t) => t === undefined) ? undefined : false;
}

/** Basic selector `read_write_type` / `ReadWriteType` (default All): ReadOnly leaves out Invoke, a write event. */
export function readWriteAdmitsInvoke(value: Value | undefined): boolean | undefined {
  if (!value) return true;
  const text = knownString(value);
  return text === undefined ? undefined : text !== 'ReadOnly';
}

/**
 * Why a selector that selects Lambda data events still misses invokes an attacker makes: what it
 * keeps (`reason`), how to keep every invoke (`fix`) and the filter as written (`filter`, the evidence).
 */
export interface InvokeGap {
  reason: string;
  /** What goes unrecorded. */
  unrecorded: string;
  fix: string;
  filter: string;
}

/** Operator names as the file spells them (Terraform `starts_with`, CloudFormation `StartsWith`). */
export type OperatorSpelling = (operator: SelectorOperator) => string;

const NO_INVOKE = 'function invokes go unrecorded';

const listText = (value: Value) => `[${asList(value).map((v) => knownString(v) ?? '?').join(', ')}]`;

/**
 * The first field selector of an advanced selector for Lambda that keeps Invoke records out, told
 * as an InvokeGap; undefined when the selector is not about Lambda or no field selector is known
 * to leave invokes out.
 */
export function advancedSelectorInvokeGap(selectors: FieldSelector[], spell: OperatorSpelling = (operator) => operator): InvokeGap | undefined {
  if (anyOf(selectors.map(selectsLambdaType)) !== true) return undefined;
  for (const selector of selectors) {
    if (admitsInvoke(selector) !== false) continue;
    const field = knownString(selector.field) ?? '?';
    const filter = SELECTOR_OPERATORS.flatMap((operator) => {
      const value = selector.operators[operator];
      return value ? [`${field} ${spell(operator)} ${listText(value)}`] : [];
    }).join(', ');
    const exclusions = `${spell('not_starts_with')} or ${spell('not_equals')}`;
    if (field === 'resources.ARN')
      return { reason: `logs invokes of only some functions (${filter})`, unrecorded: 'an attacker invoking any other function goes unrecorded', fix: `remove the resources.ARN field selector, or leave functions out with ${exclusions} instead, so every function's invokes are logged`, filter };
    if (field === 'userIdentity.arn')
      return { reason: `logs invokes by only some callers (${filter})`, unrecorded: 'an attacker calling as any other identity goes unrecorded', fix: `remove the userIdentity.arn field selector, or leave callers out with ${exclusions} instead, so every caller's invokes are logged`, filter };
    if (field === 'eventSource')
      return { reason: `selects an eventSource other than lambda.amazonaws.com (${filter})`, unrecorded: NO_INVOKE, fix: 'remove the eventSource field selector', filter };
    const reason = field === 'readOnly' ? `keeps only read-only events, and Invoke is a write event (${filter})` : `leaves Invoke out (${filter})`;
    return { reason, unrecorded: NO_INVOKE, fix: `remove the ${field} field selector that leaves Invoke out`, filter };
  }
  return undefined;
}

/** A basic Lambda data resource whose values name functions: only their invokes are logged. `label` is the attribute as the file names it. */
export function basicValuesInvokeGap(values: Value | undefined, label: string): InvokeGap | undefined {
  if (!values || basicValuesLogEveryFunction(values) !== false) return undefined;
  const filter = `${label} = ${listText(values)}`;
  return { reason: `logs invokes of only the functions its data resource names (${filter})`, unrecorded: 'an attacker invoking any other function goes unrecorded', fix: `set ${label} to ["arn:aws:lambda"] to log every function`, filter };
}

/** A basic selector for read-only events: Invoke is a write event. */
export function readWriteInvokeGap(value: Value | undefined, label: string): InvokeGap | undefined {
  if (readWriteAdmitsInvoke(value) !== false) return undefined;
  const filter = `${label} = ${knownString(value)}`;
  return { reason: `keeps only read-only events, and Invoke is a write event (${filter})`, unrecorded: NO_INVOKE, fix: `set ${label} to All`, filter };
}
