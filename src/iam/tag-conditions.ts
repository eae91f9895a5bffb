import type { Condition, Statement } from '../model/types.js';
import { knownString, type Value } from '../model/value.js';
import { parseOperator } from './condition-operators.js';
import { commonMatch, compileCaseSensitiveGlob, compileGlob, witnessText, type Glob, type TokenTable } from './glob-overlap.js';
import { conditionScopes } from './statement.js';

/**
 * Attribute-based access control against its own creator: a function's tags are whatever the caller
 * who creates it sets (CreateFunction's `Tags`, which Lambda authorizes as lambda:TagResource too:
 * "lambda:TagResource – Grant this permission to anyone who needs to call TagResource or perform a tag
 * on create", Lambda Developer Guide, "Using tags on Lambda functions"). So an Allow gated by
 * `aws:ResourceTag/K` does not keep a caller who may create functions tagged K from running them.
 *
 * Decided here: whether one set of tags, sent on create, meets every tag condition of the create and
 * tag statements (`aws:RequestTag/K`, `aws:TagKeys`) and of the gated statement (`aws:ResourceTag/K`).
 * Tag keys are compared case-insensitively (IAM's condition keys are), which can only join conditions,
 * never split them; values case-sensitively, as the operators compare. `${...}` pieces (a policy variable
 * such as `${aws:PrincipalTag/team}`, an unknown Terraform or CloudFormation value) are one fixed string
 * the caller cannot choose, equal to itself (see TokenTable); in a negated condition they read as `*`.
 * What cannot be decided (other operators, `…IgnoreCase`, set qualifiers on a single-valued key, a
 * value that is not a string) decides "no such tags": what the scan cannot know never makes a finding.
 */
export interface TagSetting {
  /** The tag key as the gated statement writes it. */
  key: string;
  /** A value meeting every condition on the key, as text (`${...}` pieces as written). */
  value: string;
}

const RESOURCE_TAG = /^aws:resourcetag\/(.+)$/i;
const REQUEST_TAG = /^aws:requesttag\/(.+)$/i;
const TAG_KEYS = /^aws:tagkeys$/i;

/** Combinations of one allowed value per condition on a key, and states per search: past either, "no such tags". */
const MAX_COMBINATIONS = 64;
const STATES_PER_SEARCH = 2_000;

/**
 * An Allow whose only scoping conditions are aws:ResourceTag ones (see hasScopingCondition): it reaches
 * the functions whose tags meet them, which a caller tagging what it creates can make any function it creates.
 */
export function isTagGated(statement: Statement): boolean {
  const scoping = statement.condition.filter((c) => conditionScopes(c));
  return scoping.length > 0 && scoping.every((c) => RESOURCE_TAG.test(c.key));
}

/** The statement without its aws:ResourceTag conditions: what it grants once settableTags has met them. */
export function withoutResourceTags(statement: Statement): Statement {
  const rest = statement.condition.filter((c) => !RESOURCE_TAG.test(c.key));
  return { ...statement, condition: rest };
}

interface KeyConstraint {
  /** The key as first written. */
  name: string;
  /** Whether a condition holds only with the key present (a positive operator without IfExists). */
  required: boolean;
  /** Per positive condition, its values: the tag value must match one of each. */
  any: Glob[][];
  /** Values of negated conditions: the tag value must match none. */
  none: Glob[];
}

/**
 * The tags (key and a value) of `gate`'s aws:ResourceTag conditions that a caller can set on create so
 * that `requests` (the CreateFunction and TagResource statements) and `gate` all hold, or undefined.
 * Keys only negated or IfExists conditions name are left off the request, which those conditions allow.
 */
export function settableTags(requests: readonly Statement[], gate: Statement, table: TokenTable): TagSetting[] | undefined {
  const keys = new Map<string, KeyConstraint>();
  const tagKeys: Condition[] = [];
  const conditions = [...gate.condition.filter((c) => RESOURCE_TAG.test(c.key)).map((c) => ({ c, key: RESOURCE_TAG.exec(c.key)![1] }))];
  for (const statement of requests)
    for (const c of statement.condition) {
      const request = REQUEST_TAG.exec(c.key);
      if (request) conditions.push({ c, key: request[1] });
      else if (TAG_KEYS.test(c.key)) tagKeys.push(c);
    }
  for (const { c, key } of conditions) if (!constrain(keys, key, c, table)) return undefined;
  const sent = [...keys.values()].filter((k) => k.required);
  if (!tagKeys.every((c) => tagKeysHold(c, sent.map((k) => k.name)))) return undefined;
  const values = new Map<KeyConstraint, string>();
  for (const key of sent) {
    const value = valueMeeting(key, table);
    if (value === undefined) return undefined;
    values.set(key, value);
  }
  const gated = new Set(gate.condition.filter((c) => RESOURCE_TAG.test(c.key) && conditionScopes(c)).map((c) => RESOURCE_TAG.exec(c.key)![1].toLowerCase()));
  return [...gated].map((key) => ({ key: keys.get(key)!.name, value: values.get(keys.get(key)!)! }));
}

/** Adds one condition on a tag's value; false when it cannot be decided. */
function constrain(keys: Map<string, KeyConstraint>, key: string, condition: Condition, table: TokenTable): boolean {
  const operator = parseOperator(condition.operator);
  if (!operator || operator.qualifier) return false;
  const positive = operator.base === 'StringEquals' || operator.base === 'StringLike';
  if (!positive && operator.base !== 'StringNotEquals' && operator.base !== 'StringNotLike') return false;
  const like = operator.base.endsWith('Like');
  const globs = condition.values.map((v) => valueGlob(v, like, table, positive ? 'token' : 'star'));
  if (globs.some((g) => g === undefined)) return false;
  let entry = keys.get(key.toLowerCase());
  if (!entry) keys.set(key.toLowerCase(), (entry = { name: key, required: false, any: [], none: [] }));
  if (positive) {
    entry.any.push(globs as Glob[]);
    // IfExists holds without the key; with it (another condition needs it) it must match all the same.
    if (!operator.ifExists) entry.required = true;
  } else entry.none.push(...(globs as Glob[]));
  return true;
}

/** A value matching one value of each positive condition and none of the negated ones, as text. */
function valueMeeting(key: KeyConstraint, table: TokenTable): string | undefined {
  let ways: Glob[][] = [[]];
  for (const values of key.any) {
    ways = ways.flatMap((chosen) => values.map((v) => [...chosen, v]));
    if (ways.length > MAX_COMBINATIONS) return undefined;
  }
  for (const all of ways) {
    // Without a positive condition (IfExists alone) any value will do: `*` stands for one.
    const globs = all.length > 0 ? all : [compileGlob('*')];
    const found = commonMatch(globs, key.none, STATES_PER_SEARCH);
    if (found) return witnessText(found, [...globs, ...key.none], table);
  }
  return undefined;
}

/**
 * Whether an aws:TagKeys condition holds for a request sending exactly `sent` (the keys the conditions
 * need; no other is added). The key is multivalued: only ForAllValues / ForAnyValue are decided.
 */
function tagKeysHold(condition: Condition, sent: readonly string[]): boolean {
  const operator = parseOperator(condition.operator);
  if (!operator?.qualifier) return false;
  const negated = operator.base === 'StringNotEquals' || operator.base === 'StringNotLike';
  if (!negated && operator.base !== 'StringEquals' && operator.base !== 'StringLike') return false;
  const like = operator.base.endsWith('Like');
  // An unknown value matches no key in a positive condition and every key in a negated one: both only take a finding away.
  const matches = (key: string) =>
    condition.values.some((value) => {
      const text = knownString(value);
      if (text === undefined) return negated;
      return commonMatch([compileCaseSensitiveGlob(text, !like), compileCaseSensitiveGlob(key, true)], [], STATES_PER_SEARCH) !== undefined;
    });
  const holds = (key: string) => (negated ? !matches(key) : matches(key));
  return operator.qualifier === 'ForAllValues' ? sent.every(holds) : sent.some(holds);
}

/**
 * A condition value as a case-sensitive glob whose `${...}` pieces are tokens (or `*`, `as: 'star'`).
 * A wholly unknown value without a name is a token of its own, equal to no other.
 */
function valueGlob(value: Value, like: boolean, table: TokenTable, as: 'token' | 'star'): Glob | undefined {
  const text = valueText(value);
  if (text === undefined) return undefined;
  return text
    .split(/(\$\{[^}]*\})/)
    .filter((piece) => piece !== '')
    .flatMap((piece) => (/^\$\{[^}]*\}$/.test(piece) ? compileGlob(piece, { table, as }) : compileCaseSensitiveGlob(piece, !like)));
}

function valueText(value: Value): string | undefined {
  const unknown = (ref: string | undefined, at: Value['range']) => `\${${ref ?? `unknown@${at.file}:${at.line}:${at.column}`}}`;
  if (value.kind === 'unknown') return unknown(value.ref, value.range);
  if (value.kind === 'template') return value.parts.map((p) => (typeof p === 'string' ? p : unknown(p.ref, p.range))).join('');
  return knownString(value);
}
