import { EVALUATED_OPERATORS, parseOperator } from '../iam/condition-operators.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { Condition, PolicyDocument, Statement } from '../model/types.js';
import { knownString, type Value } from '../model/value.js';
import { concreteRequests, type ConcreteRequest, type KeyDomain } from './choices.js';
import { valueMatches } from './condition-values.js';
import { globMatches } from '../iam/wildcard.js';

export { arnMatches, cidrContains } from './condition-values.js';
export { globMatches } from '../iam/wildcard.js';

/**
 * One API request as an SCP sees it: the action, the resource ARN and the request context keys.
 * A key in `keys` has that value (a list is a multivalued key); a key in `chosen` is present in
 * every such request with a value the attacker picks; any other key is missing from the request.
 * A fixed value may hold OUTSIDE_ACCOUNT, filled per evaluation with an account no policy names.
 */
export interface RequestContext extends ConcreteRequest {
  chosen?: Record<string, KeyDomain>;
  /** The organisation's accounts from the config: an outside account (OUTSIDE_ACCOUNT) is none of them. */
  ownAccounts?: string[];
  /** The account the SCPs' target is, when it is one account with a known id: the attacked function is in it. */
  targetAccount?: string;
}

/** `undefined` is "cannot be known" (a value only Terraform/CloudFormation would resolve, an operator we do not model). */
export type Tri = boolean | undefined;

/**
 * `denied`: denied whatever values the attacker picks for its chosen keys; `not-denied`: some
 * choice is definitely not denied; `unknown`: neither can be shown.
 */
export type DenyVerdict = 'denied' | 'not-denied' | 'unknown';

/**
 * Whether a policy's Deny statements deny the request for every choice the attacker has. Allow
 * statements are not modelled: an SCP set is judged on what it explicitly denies, which is what a
 * guardrail is.
 */
export function documentDenies(document: PolicyDocument | undefined, request: RequestContext): DenyVerdict {
  if (!document) return 'unknown';
  return forEveryChoice(request, [document], (concrete) => concreteDocumentDenies(document, concrete));
}

/**
 * Tries every choice worth trying against `documents` (all the policies that together must deny
 * it): one choice not denied gets the attack through.
 */
export function forEveryChoice(request: RequestContext, documents: PolicyDocument[], verdictFor: (request: ConcreteRequest) => DenyVerdict): DenyVerdict {
  const requests = concreteRequests(request, documents);
  if (!requests) return 'unknown';
  let unknown = false;
  for (const concrete of requests) {
    const result = verdictFor(concrete);
    if (result === 'not-denied') return 'not-denied';
    if (result === 'unknown') unknown = true;
  }
  // Every choice tried was denied, but one not tried (the candidates could not be shown to cover every case) might not be.
  return unknown || !requests.complete ? 'unknown' : 'denied';
}

/** Whether a policy's Deny statements deny one fully decided request. */
export function concreteDocumentDenies(document: PolicyDocument | undefined, request: ConcreteRequest): DenyVerdict {
  if (!document) return 'unknown';
  return verdict(or(document.statements.map((s) => statementDenies(s, request))));
}

export function statementDenies(statement: Statement, request: ConcreteRequest): Tri {
  const effect = knownString(statement.effect);
  if (statement.effect && effect === undefined) return undefined;
  if (effect !== 'Deny') return false;
  // A condition the scan cannot read may or may not hold.
  const unread = statement.unknownCondition ? undefined : true;
  return and([actionMatches(statement, request.action), resourceMatches(statement, request.resource), conditionsHold(statement.condition, request.keys, request.unreadable), unread]);
}

function verdict(value: Tri): DenyVerdict {
  return value === true ? 'denied' : value === false ? 'not-denied' : 'unknown';
}

export function actionMatches(statement: Statement, action: string): Tri {
  if (statement.action.length > 0) return anyPattern(statement.action, (p) => wildcardMatches(p, action));
  if (statement.notAction.length > 0) return not(anyPattern(statement.notAction, (p) => wildcardMatches(p, action)));
  return false;
}

/** Resource patterns match case-sensitively; a `*` may run past a colon (IAM docs, "Using wildcards in resource ARNs"). */
export function resourceMatches(statement: Statement, resource: string): Tri {
  if (statement.resource.length > 0) return anyPattern(statement.resource, (p) => globMatches(p, resource));
  if (statement.notResource.length > 0) return not(anyPattern(statement.notResource, (p) => globMatches(p, resource)));
  // A statement needs Resource or NotResource; without either AWS rejects the policy, which then denies nothing.
  return false;
}

function anyPattern(patterns: Value[], test: (pattern: string) => boolean): Tri {
  return or(patterns.map((p) => {
    const text = knownString(p);
    return text === undefined ? undefined : test(text);
  }));
}

export function conditionsHold(conditions: Condition[], keys: RequestContext['keys'], unreadable: string[] = []): Tri {
  return and(conditions.map((c) => conditionHolds(c, keys, unreadable)));
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress']);

export function conditionHolds(condition: Condition, keys: RequestContext['keys'], unreadable: string[] = []): Tri {
  const operator = parseOperator(condition.operator);
  if (!operator || !EVALUATED_OPERATORS.has(operator.base)) return undefined;
  const policyValues = condition.values.map(knownString);
  if (policyValues.some((v) => v === undefined) || policyValues.length === 0) return undefined;
  const wanted = policyValues as string[];
  if (unreadable.some((k) => k.toLowerCase() === condition.key.toLowerCase()))
    // Present, with a value the scan cannot know.
    return operator.base === 'Null' ? wanted.some((v) => v.toLowerCase() === 'false') : undefined;
  const present = lookup(keys, condition.key);
  if (operator.base === 'Null') {
    // "true": the key must be absent; "false": present.
    return wanted.some((v) => v.toLowerCase() === (present === undefined ? 'true' : 'false'));
  }
  if (present === undefined || present.length === 0) {
    // A missing key: IfExists passes; ForAllValues holds vacuously; a negated operator holds
    // (the key is not matched); everything else is false (IAM docs, condition operators).
    if (operator.ifExists) return true;
    if (operator.qualifier === 'ForAllValues') return true;
    if (operator.qualifier === 'ForAnyValue') return false;
    return NEGATED.has(operator.base);
  }
  const negated = NEGATED.has(operator.base);
  const matchesAny = (value: string) => wanted.some((p) => valueMatches(operator.base, p, value));
  const holdsFor = (value: string) => (negated ? !matchesAny(value) : matchesAny(value));
  if (operator.qualifier === 'ForAllValues') return present.every(holdsFor);
  if (operator.qualifier === 'ForAnyValue') return present.some(holdsFor);
  // A single-valued operator against a multivalued key: matched when any value matches.
  const matched = present.some(matchesAny);
  return negated ? !matched : matched;
}

/** Request keys by lower-cased name, built once per request (key names are case-insensitive). */
const lowerCased = new WeakMap<RequestContext['keys'], Map<string, string[]>>();

/** A request key's values, by name compared case-insensitively (the first spelling written wins). */
export function lookup(keys: RequestContext['keys'], key: string): string[] | undefined {
  let byName = lowerCased.get(keys);
  if (!byName) {
    byName = new Map();
    for (const [name, value] of Object.entries(keys)) {
      const lower = name.toLowerCase();
      if (!byName.has(lower)) byName.set(lower, Array.isArray(value) ? value : [value]);
    }
    lowerCased.set(keys, byName);
  }
  return byName.get(key.toLowerCase());
}

function and(values: Tri[]): Tri {
  if (values.some((v) => v === false)) return false;
  return values.some((v) => v === undefined) ? undefined : true;
}

function or(values: Tri[]): Tri {
  if (values.some((v) => v === true)) return true;
  return values.some((v) => v === undefined) ? undefined : false;
}

function not(value: Tri): Tri {
  return value === undefined ? undefined : !value;
}
