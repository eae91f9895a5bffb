import { EVALUATED_OPERATORS, parseOperator } from '../iam/condition-operators.js';
import type { PolicyDocument } from '../model/types.js';
import { knownString } from '../model/value.js';
import { policyData } from '../policy-data.js';
import { cidrBlock, numberToAddress, valueMatches } from './condition-values.js';

/**
 * The values a request key can take when every real request carries it but the attacker picks
 * its value: any region, any source address (from inside the network too), true or false, any
 * string. `organisation` is the organisation's own id: the attacker's identity is inside it, and
 * unless the config names it, it may be any id a policy names. `unreadable` is present with a
 * value the scan cannot know (a role's unique id): conditions on it stay unknown.
 */
export type KeyDomain = 'region' | 'ip' | 'bool' | 'string' | 'organisation' | 'unreadable';

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
 * The requests worth trying: for each attacker-chosen key, one value per way the policies'
 * conditions on that key can match it (a value that matches the same patterns is decided the same
 * way), crossed with the other keys. Made one at a time, so the first request that gets through
 * ends the search; undefined when there are too many to try.
 */
export function concreteRequests(request: ConcreteRequest & { chosen?: Record<string, KeyDomain> }, documents: PolicyDocument[]): Iterable<ConcreteRequest> | undefined {
  const fixed = new Set(Object.keys(request.keys).map((k) => k.toLowerCase()));
  const chosen = Object.entries(request.chosen ?? {}).filter(([key]) => !fixed.has(key.toLowerCase()));
  const unreadable = [...(request.unreadable ?? []), ...chosen.filter(([, domain]) => domain === 'unreadable').map(([key]) => key)];
  const axes = chosen.flatMap(([key, domain]) => (domain === 'unreadable' ? [] : [{ key, values: candidates(domain, conditionsOn(key, documents)) }]));
  const count = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (count > MAX_COMBINATIONS) return undefined;
  const make = (index: number): ConcreteRequest => {
    const keys: Record<string, string | string[]> = {};
    for (const axis of axes) {
      keys[axis.key] = axis.values[index % axis.values.length];
      index = Math.floor(index / axis.values.length);
    }
    return { action: request.action, resource: request.resource, keys: Object.assign(keys, request.keys), ...(unreadable.length > 0 ? { unreadable } : {}) };
  };
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++) yield make(i);
    },
  };
}

interface KeyCondition {
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

/** Candidates by domain and conditions: targets reached by the same SCPs ask the same question. */
const candidateCache = new Map<string, string[]>();

const ANY_VALUE: Record<Exclude<KeyDomain, 'unreadable'>, string> = { region: 'us-east-1', ip: '203.0.113.7', bool: 'false', string: UNLISTED_VALUE, organisation: UNLISTED_VALUE };

function candidates(domain: Exclude<KeyDomain, 'unreadable'>, conditions: KeyCondition[]): string[] {
  // No policy looks at the key: its value does not matter, only that it is present.
  if (conditions.length === 0) return [ANY_VALUE[domain]];
  const cacheKey = `${domain}\u0000${conditions.map((c) => `${c.base}\u0001${c.patterns.join('\u0001')}`).join('\u0000')}`;
  const cached = candidateCache.get(cacheKey);
  if (cached) return cached;
  const found = distinctCandidates(domain, conditions);
  if (candidateCache.size < 10_000) candidateCache.set(cacheKey, found);
  return found;
}

function distinctCandidates(domain: Exclude<KeyDomain, 'unreadable'>, conditions: KeyCondition[]): string[] {
  const named = conditions.flatMap((c) => c.patterns);
  const raw =
    domain === 'region' ? [...regions(), ...named.filter((p) => !/[*?]/.test(p))]
    : domain === 'ip' ? ['203.0.113.7', '2001:db8::7', ...named.flatMap(cidrEdges)]
    : domain === 'bool' ? ['false', 'true']
    : [UNLISTED_VALUE, ...named.map((p) => p.replace(/\*/g, '').replace(/\?/g, 'x'))];
  // One value per combination of which patterns it matches.
  const bySignature = new Map<string, string>();
  for (const value of raw) {
    const signature = conditions.map((c) => c.patterns.map((p) => (valueMatches(c.base, p, value) ? '1' : '0')).join('')).join('|');
    if (!bySignature.has(signature)) bySignature.set(signature, value);
  }
  return [...bySignature.values()];
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
