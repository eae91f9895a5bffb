import { BlockList, isIP } from 'node:net';
import { EVALUATED_OPERATORS, parseOperator } from '../iam/condition-operators.js';
import { wildcardMatches } from '../iam/wildcard.js';
import type { Condition, PolicyDocument, Statement } from '../model/types.js';
import { knownString, type Value } from '../model/value.js';

/**
 * One API request as an SCP sees it: the action, the resource ARN and the request context keys.
 * A key that is absent is missing from the request; a list is a multivalued key.
 */
export interface RequestContext {
  action: string;
  resource: string;
  keys: Record<string, string | string[]>;
}

/** `undefined` is "cannot be known" (a value only Terraform/CloudFormation would resolve, an operator we do not model). */
type Tri = boolean | undefined;

export type DenyVerdict = 'denied' | 'not-denied' | 'unknown';

/**
 * Whether a policy's Deny statements deny the request. Allow statements are not modelled: an SCP
 * set is judged on what it explicitly denies, which is what a guardrail is.
 */
export function documentDenies(document: PolicyDocument | undefined, request: RequestContext): DenyVerdict {
  if (!document) return 'unknown';
  return verdict(or(document.statements.map((s) => statementDenies(s, request))));
}

export function statementDenies(statement: Statement, request: RequestContext): Tri {
  const effect = knownString(statement.effect);
  if (statement.effect && effect === undefined) return undefined;
  if (effect !== 'Deny') return false;
  return and([actionMatches(statement, request.action), resourceMatches(statement, request.resource), conditionsHold(statement.condition, request.keys)]);
}

function verdict(value: Tri): DenyVerdict {
  return value === true ? 'denied' : value === false ? 'not-denied' : 'unknown';
}

function actionMatches(statement: Statement, action: string): Tri {
  if (statement.action.length > 0) return anyPattern(statement.action, (p) => wildcardMatches(p, action));
  if (statement.notAction.length > 0) return not(anyPattern(statement.notAction, (p) => wildcardMatches(p, action)));
  return false;
}

/** Resource patterns match case-sensitively; a `*` may run past a colon (IAM docs, "Using wildcards in resource ARNs"). */
function resourceMatches(statement: Statement, resource: string): Tri {
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

export function conditionsHold(conditions: Condition[], keys: RequestContext['keys']): Tri {
  return and(conditions.map((c) => conditionHolds(c, keys)));
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress']);

function conditionHolds(condition: Condition, keys: RequestContext['keys']): Tri {
  const operator = parseOperator(condition.operator);
  if (!operator || !EVALUATED_OPERATORS.has(operator.base)) return undefined;
  const policyValues = condition.values.map(knownString);
  if (policyValues.some((v) => v === undefined) || policyValues.length === 0) return undefined;
  const wanted = policyValues as string[];
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

function lookup(keys: RequestContext['keys'], key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(keys)) if (name.toLowerCase() === wanted) return Array.isArray(value) ? value : [value];
  return undefined;
}

function valueMatches(base: string, pattern: string, value: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatches(pattern, value);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnMatches(pattern, value);
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress':
      return cidrContains(pattern, value);
    default:
      return false;
  }
}

/** Case-sensitive `*`/`?` glob over the whole string. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Arn* operators compare each of the six colon-separated components on its own, with wildcards (IAM docs). */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = arnComponents(pattern);
  const a = arnComponents(arn);
  if (!p || !a) return false;
  return p.every((part, i) => globMatches(part, a[i]));
}

function arnComponents(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Whether an IP address lies in a CIDR (or equals a bare address). A policy value that is not an address matches nothing. */
export function cidrContains(cidr: string, address: string): boolean {
  const [network, prefix] = cidr.split('/');
  const family = isIP(network);
  const addressFamily = isIP(address);
  if (family === 0 || addressFamily !== family) return false;
  const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
