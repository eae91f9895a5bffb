import { EVALUATED_OPERATORS, parseOperator } from '../iam/condition-operators.js';
import { compileCaseSensitiveGlob, matchSignatures, witnessText } from '../iam/glob-overlap.js';
import type { PolicyDocument } from '../model/types.js';
import { knownString } from '../model/value.js';
import { policyData } from '../policy-data.js';
import { cidrBlock, numberToAddress, valueMatches } from './condition-values.js';
import { namedAccounts, OUTSIDE_ACCOUNT, outsideAccount, outsideOf } from './outside.js';
import { fillTarget, targetChoices } from './target-choices.js';

/**
 * The values a request key can take when every real request carries it but the attacker picks
 * its value: any region, any source address (from inside the network too), true or false, any
 * string. `organisation` is the organisation's own id: the attacker's identity is inside it, and
 * unless the config names it, it may be any id a policy names. `unreadable` is present with a
 * value the scan cannot know (a role's unique id): conditions on it stay unknown. `outside-ip` is
 * the address of an attacker outside the network: any address outside every range the policies
 * name on the key (see outsideOf).
 */
export type KeyDomain = 'region' | 'ip' | 'outside-ip' | 'bool' | 'string' | 'organisation' | 'unreadable';

/** One request with every key decided: `keys` hold values, `unreadable` names keys present with an unknown value. */
export interface ConcreteRequest {
  action: string;
  resource: string;
  keys: Record<string, string | string[]>;
  unreadable?: string[];
}

/** A value no policy names: what an attacker brings when any value not listed gets through. */
export const UNLISTED_VALUE = 'invokeguard-unlisted-value';

/** Past this many combinations we stop and answer "unknown" rather than spend the scan on one target. */
const MAX_COMBINATIONS = 4096;

/**
 * The requests to try, made one at a time so the first that gets through ends the search.
 * `complete`: every way the conditions can decide the chosen keys is among them, so "all denied"
 * means denied; without it, all denied is only "unknown".
 */
export interface Choices extends Iterable<ConcreteRequest> {
  complete: boolean;
}

/**
 * The requests worth trying: the attacked function in each region, account and name that the
 * policies tell apart (see targetChoices; the chosen region is the function's), and for each other
 * attacker-chosen key one value per way the policies' conditions on that key can match it (a value
 * that matches the same patterns is decided the same way), crossed. Undefined when there are too
 * many to try.
 */
export function concreteRequests(request: ConcreteRequest & { chosen?: Record<string, KeyDomain>; ownAccounts?: string[]; targetAccount?: string }, documents: PolicyDocument[]): Choices | undefined {
  const fixed = new Set(Object.keys(request.keys).map((k) => k.toLowerCase()));
  const chosen = Object.entries(request.chosen ?? {}).filter(([key]) => !fixed.has(key.toLowerCase()));
  const ownAccounts = request.ownAccounts ?? [];
  const regionKeys = chosen.filter(([, domain]) => domain === 'region').map(([key]) => key);
  const template = { action: request.action, resource: request.resource, keys: request.keys, regionKeys, ownAccounts, ...(request.targetAccount ? { account: request.targetAccount } : {}) };
  const found = targetChoices(template, documents);
  if (!found) return undefined;
  const { targets } = found;
  const unreadable = [...(request.unreadable ?? []), ...chosen.filter(([, domain]) => domain === 'unreadable').map(([key]) => key)];
  const axes = chosen.flatMap(([key, domain]) => (domain === 'unreadable' || domain === 'region' ? [] : [{ key, ...candidates(domain, conditionsOn(key, documents)) }]));
  const count = axes.reduce((n, axis) => n * axis.values.length, targets.length);
  if (count > MAX_COMBINATIONS) return undefined;
  const outside = outsideAccountFor(request.keys, documents, [...ownAccounts, ...targets.map((t) => t.account)]);
  const make = (index: number): ConcreteRequest => {
    const target = targets[index % targets.length];
    index = Math.floor(index / targets.length);
    const keys: Record<string, string | string[]> = Object.fromEntries(regionKeys.map((key) => [key, target.region]));
    for (const axis of axes) {
      keys[axis.key] = axis.values[index % axis.values.length];
      index = Math.floor(index / axis.values.length);
    }
    const fill = (v: string) => fillTarget(v, target).split(OUTSIDE_ACCOUNT).join(outside);
    for (const [key, value] of Object.entries(request.keys)) keys[key] = Array.isArray(value) ? value.map(fill) : fill(value);
    return { action: request.action, resource: fill(request.resource), keys, ...(unreadable.length > 0 ? { unreadable } : {}) };
  };
  return {
    complete: found.complete && axes.every((axis) => axis.complete),
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++) yield make(i);
    },
  };
}

/**
 * The account OUTSIDE_ACCOUNT stands for: one that neither the policies, the request itself, the
 * config's accounts nor the attacked function's accounts name: an allow-listed partner is not the
 * attacker's account.
 */
function outsideAccountFor(keys: ConcreteRequest['keys'], documents: PolicyDocument[], ownAccounts: string[]): string {
  const values = Object.values(keys).flat();
  if (!values.some((v) => v.includes(OUTSIDE_ACCOUNT))) return OUTSIDE_ACCOUNT;
  return outsideAccount(namedAccounts([...values, ...ownAccounts, ...documents.flatMap(policyTexts)]));
}

/** The readable values of a policy's statements: where it can name an account. */
function policyTexts(document: PolicyDocument): string[] {
  return document.statements.flatMap((s) => [...s.resource, ...s.notResource, ...s.condition.flatMap((c) => c.values)].flatMap((v) => knownString(v) ?? []));
}

export interface KeyCondition {
  base: string;
  patterns: string[];
}

/** The decidable conditions on a key across the documents (operators we do not evaluate are unknown whatever the value). */
function conditionsOn(key: string, documents: PolicyDocument[]): KeyCondition[] {
  const wanted = key.toLowerCase();
  return documents.flatMap((d) => conditionsByKey(d).get(wanted) ?? []);
}

/** Each document's decidable conditions by lower-cased key, worked out once per document. */
const byDocument = new WeakMap<PolicyDocument, Map<string, KeyCondition[]>>();

function conditionsByKey(document: PolicyDocument): Map<string, KeyCondition[]> {
  let found = byDocument.get(document);
  if (found) return found;
  found = new Map();
  for (const statement of document.statements)
    for (const condition of statement.condition) {
      const operator = parseOperator(condition.operator);
      if (!operator || operator.base === 'Null' || !EVALUATED_OPERATORS.has(operator.base)) continue;
      const patterns = condition.values.map(knownString).filter((v): v is string => v !== undefined);
      const key = condition.key.toLowerCase();
      if (patterns.length > 0) found.set(key, [...(found.get(key) ?? []), { base: operator.base, patterns }]);
    }
  byDocument.set(document, found);
  return found;
}

/** The values to try for one key; `complete` when they show every way its conditions can match. */
export interface Candidates {
  values: string[];
  complete: boolean;
}

/** Candidates by domain and conditions: targets reached by the same SCPs ask the same question. */
const candidateCache = new Map<string, Candidates>();

const ANY_VALUE: Record<Exclude<KeyDomain, 'unreadable'>, string> = { region: 'us-east-1', ip: '203.0.113.7', 'outside-ip': '203.0.113.7', bool: 'false', string: UNLISTED_VALUE, organisation: UNLISTED_VALUE };

export function candidates(domain: Exclude<KeyDomain, 'unreadable'>, conditions: KeyCondition[]): Candidates {
  // No policy looks at the key: its value does not matter, only that it is present.
  if (conditions.length === 0) return { values: [ANY_VALUE[domain]], complete: true };
  const cacheKey = `${domain}\u0000${conditions.map((c) => `${c.base}\u0001${c.patterns.join('\u0001')}`).join('\u0000')}`;
  const cached = candidateCache.get(cacheKey);
  if (cached) return cached;
  const found = distinctCandidates(domain, conditions);
  if (candidateCache.size < 10_000) candidateCache.set(cacheKey, found);
  return found;
}

/** Operators whose values exactMatches reads exactly as valueMatches does; `true` for the literal ones. */
const GLOB_OPERATORS: Record<string, boolean> = { StringEquals: true, StringNotEquals: true, StringLike: false, StringNotLike: false };

function distinctCandidates(domain: Exclude<KeyDomain, 'unreadable'>, conditions: KeyCondition[]): Candidates {
  const named = conditions.flatMap((c) => c.patterns);
  // The few readable values first; then, for a free string, one per other way the patterns can match together.
  const raw =
    domain === 'region' ? [...regions(), ...named.filter((p) => !/[*?]/.test(p))]
    : domain === 'ip' ? ['203.0.113.7', '2001:db8::7', ...named.flatMap(cidrEdges)]
    // The same addresses, those inside a named range left out: they are the network's own.
    : domain === 'outside-ip' ? ['203.0.113.7', '2001:db8::7', ...named.flatMap(cidrEdges)].filter(outsideOf(named))
    : domain === 'bool' ? ['false', 'true']
    : [UNLISTED_VALUE, ...named.map((p) => p.replace(/\*/g, '').replace(/\?/g, 'x'))];
  const exact = domain === 'string' || domain === 'organisation' ? exactMatches(conditions) : undefined;
  // One value per combination of which patterns it matches.
  const bySignature = new Map<string, string>();
  for (const value of [...raw, ...(exact?.values ?? [])]) {
    const signature = conditions.map((c) => c.patterns.map((p) => (valueMatches(c.base, p, value) ? '1' : '0')).join('')).join('|');
    if (!bySignature.has(signature)) bySignature.set(signature, value);
  }
  // A region, an address's edges and a boolean cover their domain as the operators read it: the key
  // can hold only a real region, true or false, and CIDRs split addresses into runs whose ends are tried.
  const complete =
    domain === 'region' || domain === 'bool' ? true
    : domain === 'ip' || domain === 'outside-ip' ? conditions.every((c) => c.base === 'IpAddress' || c.base === 'NotIpAddress')
    : exact?.complete === true;
  return { values: [...bySignature.values()], complete };
}

/** Past this many states the search for ways a free string can match stops: candidates so far, not complete. */
const SIGNATURE_BUDGET = 2_000;

/**
 * For a key that may hold any string: one value per set of (String, case-sensitive) patterns some
 * string matches while missing the rest, found by walking the patterns' automata together, so a
 * value can avoid two Denies' different wildcard patterns at once. `complete` when every condition
 * is such an operator, the walk ended within its budget and every value, re-checked with
 * valueMatches, matches as the walk said (other operators fall back to the readable values).
 */
function exactMatches(conditions: KeyCondition[]): Candidates {
  const patterns = new Map<string, { pattern: string; literal: boolean }>();
  for (const c of conditions) {
    const literal = GLOB_OPERATORS[c.base];
    if (literal === undefined) continue;
    for (const pattern of c.patterns) patterns.set(`${literal ? '=' : '~'}${pattern}`, { pattern, literal });
  }
  const wanted = [...patterns.values()];
  const globs = wanted.map((w) => compileCaseSensitiveGlob(w.pattern, w.literal));
  const found = globs.length > 0 ? matchSignatures(globs, SIGNATURE_BUDGET) : undefined;
  let complete = found !== undefined && conditions.every((c) => GLOB_OPERATORS[c.base] !== undefined);
  const values: string[] = [];
  for (const [signature, symbols] of found ?? []) {
    const value = witnessText(symbols, globs);
    const checked = wanted.map((w) => (valueMatches(w.literal ? 'StringEquals' : 'StringLike', w.pattern, value) ? '1' : '0')).join('');
    if (checked !== signature) complete = false;
    values.push(value);
  }
  return { values, complete };
}

function regions(): string[] {
  return policyData<{ regions: string[] }>('aws-regions.json').regions;
}

/**
 * The first and last address of a CIDR and the addresses just outside it: nested or disjoint
 * CIDRs split the address space into runs whose ends are among these, so every run is tried.
 */
export function cidrEdges(cidr: string): string[] {
  const block = cidrBlock(cidr);
  if (!block) return [];
  const max = (1n << BigInt(block.family === 4 ? 32 : 128)) - 1n;
  const last = block.first | (max ^ block.mask);
  return [...new Set([block.first - 1n, block.first, last, last + 1n])].filter((n) => n >= 0n && n <= max).map((n) => numberToAddress(n, block.family));
}
