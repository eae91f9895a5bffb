import type { InputError } from '../parse/types.js';
import { parseJsonValue } from './json-value.js';
import { createPositionMapper, type PositionMapper, type Range } from './range.js';
import type { Condition, PolicyDocument, Principal, Statement } from './types.js';
import { stringPositionMapper } from './string-positions.js';
import { asList, get, knownString, type ObjectEntry, type StringValue, type Value, type VerbatimTemplate } from './value.js';

/**
 * Reads an IAM policy document from an evaluated value: an object (jsonencode, CFN,
 * aws_iam_policy_document) or a JSON string (heredoc, file contents). Keys are matched
 * case-insensitively, as IAM does. Returns undefined when the value is not knowable.
 */
export function policyDocumentFromValue(value: Value, errors: InputError[] = []): PolicyDocument | undefined {
  const object = policyObject(value, errors);
  if (!object || object.kind !== 'object') return undefined;
  const statementValue = get(object, 'Statement', true);
  if (!statementValue) return undefined;
  const statements = asList(statementValue)
    .filter((s) => s.kind === 'object')
    .map(statementFromValue);
  return { range: object.range, statements };
}

/** The policy as a structured value: objects as they are, JSON text (heredocs, strings) parsed. */
export function policyObject(value: Value, errors: InputError[] = []): Value | undefined {
  if (value.kind === 'object') return value;
  const parsed =
    value.kind === 'template' && value.verbatim
      ? parseJsonValue(value.verbatim.text, verbatimMapper(value.verbatim), value.verbatim.holes)
      : value.kind === 'string' && value.value.trimStart().startsWith('{')
        ? // Inner positions are exact for verbatim text and mapped strings; otherwise all point at the string.
          parseJsonValue(value.value, stringMapper(value))
        : undefined;
  if (!parsed) return undefined;
  errors.push(...parsed.errors);
  return parsed.value;
}

function verbatimMapper(verbatim: VerbatimTemplate): PositionMapper {
  return verbatim.positions ? stringPositionMapper(verbatim.range, verbatim.positions) : mapperAt(verbatim.range, verbatim.text);
}

/** Positions inside a string that may hold JSON: exact where it is verbatim or mapped, else all at the string. */
export function stringMapper(value: StringValue): PositionMapper {
  if (value.verbatim) return mapperAt(value.range, value.value);
  if (value.positions) return stringPositionMapper(value.range, value.positions);
  return { range: () => value.range };
}

function mapperAt(range: Range, text: string): PositionMapper {
  return createPositionMapper(range.file, text, { line: range.line, column: range.column });
}

function statementFromValue(value: Value): Statement {
  const sid = knownString(get(value, 'Sid', true));
  const block = value.kind === 'object' && value.block === true;
  // Assigned field by field in the order the type lists them, without spreads of optional parts
  // (see copyBase): one hidden class per variant, much faster at thousands of statements.
  const statement = { range: value.range } as Statement;
  if (sid !== undefined) statement.sid = sid;
  statement.effect = get(value, 'Effect', true);
  statement.action = asList(get(value, 'Action', true));
  statement.notAction = asList(get(value, 'NotAction', true));
  statement.resource = asList(get(value, 'Resource', true));
  statement.notResource = asList(get(value, 'NotResource', true));
  statement.principal = principalsFromValue(get(value, 'Principal', true));
  statement.notPrincipal = principalsFromValue(get(value, 'NotPrincipal', true));
  const condition = get(value, 'Condition', true);
  statement.condition = conditionsFromValue(condition, block);
  const unreadable = unreadableCondition(condition);
  if (unreadable) statement.unknownCondition = unreadable;
  if (block) statement.block = block;
  else if (value.kind === 'object') statement.keys = value.entries.map((e) => ({ key: e.key, range: entryRange(e) }));
  return statement;
}

/** An entry as written: its key through its value. */
export function entryRange(entry: ObjectEntry): Range {
  const key = entry.keyRange;
  return { file: key.file, line: key.line, column: key.column, endLine: entry.value.range.endLine, endColumn: entry.value.range.endColumn };
}

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

export function principalsFromValue(value: Value | undefined): Principal[] {
  if (!value) return [];
  if (value.kind !== 'object') return [{ type: '*', value }];
  return value.entries.flatMap((entry) => {
    const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === entry.key.toLowerCase());
    return type ? asList(entry.value).map((v) => ({ type, value: v })) : [];
  });
}

/**
 * Where a Condition holds something not read as conditions: not an object (a variable, an unknown), an object or
 * operator with keys the scan could not know (`open`), or an operator whose value is not an object. Null is no condition.
 */
function unreadableCondition(value: Value | undefined): Range | undefined {
  if (!value || value.kind === 'null') return undefined;
  if (value.kind !== 'object' || value.open) return value.range;
  for (const operator of value.entries) {
    if (operator.value.kind === 'null') continue;
    if (operator.value.kind !== 'object' || operator.value.open) return operator.value.range;
  }
  return undefined;
}

function conditionsFromValue(value: Value | undefined, block: boolean): Condition[] {
  if (!value || value.kind !== 'object') return [];
  return value.entries.flatMap((operator) =>
    operator.value.kind === 'object'
      ? operator.value.entries.map((key) => {
          const condition: Condition = { operator: operator.key, key: key.key, values: asList(key.value), range: entryRange(key) };
          if (!block) condition.operatorRange = entryRange(operator);
          return condition;
        })
      : [],
  );
}
