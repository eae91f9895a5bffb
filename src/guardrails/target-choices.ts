import { EVALUATED_OPERATORS, parseOperator } from '../iam/condition-operators.js';
import { compileCaseSensitiveGlob, matchSignatures, witnessText } from '../iam/glob-overlap.js';
import { globMatches, wildcardMatches } from '../iam/wildcard.js';
import type { PolicyDocument, Statement } from '../model/types.js';
import { knownString } from '../model/value.js';
import { policyData } from '../policy-data.js';
import { valueMatches } from './condition-values.js';
import { namedAccounts, outsideAccount } from './outside.js';

/**
 * The function an attack targets is the organisation's, but an SCP at the root or an OU guards
 * every function of every account under it, in every region. A scenario writes the target's region,
 * account and name as placeholders, and the SCPs must deny the attack on each of them: a Deny
 * scoped to one region or one account leaves the rest open.
 */
export const TARGET_REGION = '<REGION>';
export const TARGET_ACCOUNT = '<ACCOUNT>';
export const TARGET_FUNCTION = '<FUNCTION>';

/** One attacked function. The region is also the request's aws:RequestedRegion (a regional API is called in its resource's region). */
export interface Target {
  region: string;
  account: string;
  name: string;
}

/** A scenario's request before its target is chosen. */
export interface TargetTemplate {
  action: string;
  resource: string;
  keys: Record<string, string | string[]>;
  /** Keys the attacker fills with the requested region (chosen with domain `region`). */
  regionKeys: string[];
  /** The account the SCPs' target is, when it is one account with a known id; else any account. */
  account?: string;
  ownAccounts: string[];
}

export interface TargetChoices {
  targets: Target[];
  /** Every way the policies' patterns can match the target is among `targets`. */
  complete: boolean;
}

export function fillTarget(text: string, target: Target): string {
  return text.split(TARGET_REGION).join(target.region).split(TARGET_ACCOUNT).join(target.account).split(TARGET_FUNCTION).join(target.name);
}

/** Past this many region × account × name combinations the search stops: the verdict is unknown. */
const MAX_TARGETS = 20_000;

/** The name of a function no policy singles out, where no policy names one. */
const ANY_NAME = 'victim';

interface LinkedCondition {
  key: string;
  base: string;
  patterns: string[];
}

/**
 * The targets worth trying: one per way the policies' Resource patterns and conditions on the keys
 * that carry the target (its ARN, its account, the requested region) can match it. Undefined when
 * there are too many combinations to try.
 */
export function targetChoices(template: TargetTemplate, documents: PolicyDocument[]): TargetChoices | undefined {
  const statements = documents.flatMap((d) => d.statements).filter((s) => mayApply(s, template.action));
  const templates = new Map(Object.entries(template.keys).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
  const regionKeys = new Set(template.regionKeys.map((k) => k.toLowerCase()));
  const carriesTarget = (key: string) => regionKeys.has(key) || (templates.get(key) ?? []).some(hasPlaceholder);
  const resources = statements.flatMap((s) => [...s.resource, ...s.notResource]).flatMap((v) => knownString(v) ?? []);
  const conditions = statements.flatMap((s) => s.condition.flatMap((c): LinkedCondition[] => {
    const key = c.key.toLowerCase();
    const operator = parseOperator(c.operator);
    if (!carriesTarget(key) || !operator || operator.base === 'Null' || !EVALUATED_OPERATORS.has(operator.base)) return [];
    const patterns = c.values.flatMap((v) => knownString(v) ?? []);
    return patterns.length > 0 ? [{ key, base: operator.base, patterns }] : [];
  }));
  const texts = [template.resource, ...[...templates.values()].flat()];
  const uses = (placeholder: string) => texts.some((t) => t.includes(placeholder));
  // The patterns a placeholder's value is matched against: the resource's, and those of the keys written with it.
  const patternsOf = (placeholder: string) => [
    ...(template.resource.includes(placeholder) ? resources : []),
    ...conditions.filter((c) => (templates.get(c.key) ?? []).some((v) => v.includes(placeholder))).flatMap((c) => c.patterns),
  ];

  const regions = uses(TARGET_REGION) || regionKeys.size > 0 ? regionCandidates(patternsOf(TARGET_REGION), conditions.filter((c) => regionKeys.has(c.key))) : ['us-east-1'];
  const accounts = uses(TARGET_ACCOUNT) ? accountCandidates(template, patternsOf(TARGET_ACCOUNT), conditions, templates) : { values: ['111122223333'], complete: true };
  const names = uses(TARGET_FUNCTION) ? nameCandidates(patternsOf(TARGET_FUNCTION)) : { values: [ANY_NAME], complete: true };
  if (regions.length * accounts.values.length * names.values.length > MAX_TARGETS) return undefined;

  const signatureOf = (target: Target): string => {
    const resource = fillTarget(template.resource, target);
    const bits = resources.map((p) => (globMatches(p, resource) ? '1' : '0'));
    for (const c of conditions) {
      const values = regionKeys.has(c.key) ? [target.region] : (templates.get(c.key) ?? []).map((v) => fillTarget(v, target));
      for (const p of c.patterns) bits.push(values.some((v) => valueMatches(c.base, p, v)) ? '1' : '0');
    }
    return bits.join('');
  };
  const bySignature = new Map<string, Target>();
  for (const region of regions)
    for (const account of accounts.values)
      for (const name of names.values) {
        const target = { region, account, name };
        const signature = signatureOf(target);
        if (!bySignature.has(signature)) bySignature.set(signature, target);
      }
  return { targets: [...bySignature.values()], complete: accounts.complete && names.complete };
}

function hasPlaceholder(text: string): boolean {
  return text.includes(TARGET_REGION) || text.includes(TARGET_ACCOUNT) || text.includes(TARGET_FUNCTION);
}

/** Whether a statement may apply to the action: the others' patterns decide nothing about this request. */
function mayApply(statement: Statement, action: string): boolean {
  const known = (values: Statement['action']) => values.map(knownString);
  if (statement.action.length > 0) return known(statement.action).some((p) => p === undefined || wildcardMatches(p, action));
  if (statement.notAction.length > 0) return !known(statement.notAction).every((p) => p !== undefined && wildcardMatches(p, action));
  return false;
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Every region of the partition, and the regions the policies name that it does not list (on the
 * region key, or as an ARN's region): the key holds only a real region, so these cover it.
 */
function regionCandidates(patterns: string[], onRegionKeys: LinkedCondition[]): string[] {
  const named = [
    ...onRegionKeys.flatMap((c) => c.patterns).filter((p) => !/[*?]/.test(p)),
    ...patterns.map((p) => p.split(':')[3] ?? '').filter((r) => REGION_NAME.test(r)),
  ];
  return [...new Set([...policyData<{ regions: string[] }>('aws-regions.json').regions, ...named])];
}

/**
 * The target's account: the SCPs' own target account when known; else every account a policy or
 * the config names, one none names (an SCP at the root or an OU reaches accounts the scan never
 * names) and, where a pattern matches part of an id (`4444*`), one id per way those patterns can
 * match together.
 */
function accountCandidates(template: TargetTemplate, patterns: string[], conditions: LinkedCondition[], templates: Map<string, string[]>): { values: string[]; complete: boolean } {
  if (template.account) return { values: [template.account], complete: true };
  const named = namedAccounts([...patterns, ...template.ownAccounts]);
  const accountOnly = conditions.filter((c) => (templates.get(c.key) ?? []).includes(TARGET_ACCOUNT)).flatMap((c) => c.patterns);
  const partial = [...new Set([...patterns.filter((p) => p.startsWith('arn:')).map((p) => p.split(':')[4] ?? ''), ...accountOnly].filter((p) => /[*?]/.test(p) && p !== '*'))];
  const values = [...named, outsideAccount(named)];
  if (partial.length === 0) return { values, complete: true };
  const ids = partialAccounts(partial);
  return { values: [...new Set([...values, ...(ids ?? [])])], complete: ids !== undefined };
}

/**
 * One 12-digit id per set of the partial patterns it matches; undefined when the search runs out
 * of budget or the patterns name every digit (no digit is left to stand for the others).
 */
function partialAccounts(patterns: string[]): string[] | undefined {
  const globs = [...patterns, '????????????'].map((p) => compileCaseSensitiveGlob(p));
  const found = matchSignatures(globs, 2_000);
  const free = [...'0123456789'].find((d) => !patterns.some((p) => p.includes(d)));
  if (!found || free === undefined) return undefined;
  // A character no pattern names stands for them all: an unnamed digit is one of them.
  return [...found].filter(([signature]) => signature.endsWith('1')).map(([, symbols]) => witnessText(symbols, globs).replace(/\D/g, free));
}

/**
 * The function's name: one per way the names the patterns write (an ARN's seventh component) can
 * match together, found as for a free string. Function names are chosen by whoever creates the
 * function, not fixed by the organisation, so a Deny that spares `trusted-*` spares any function so
 * named. Not complete when a wildcard could run over the name from an earlier component
 * (`arn:aws:lambda:*:trusted-*`): such a pattern is not read by component here.
 */
function nameCandidates(patterns: string[]): { values: string[]; complete: boolean } {
  const components = [...new Set(patterns.flatMap((p) => {
    const parts = p.split(':');
    return parts.length >= 7 ? [parts[6]] : [];
  }))];
  const unread = patterns.some((p) => p.split(':').length < 7 && /[*?]/.test(p.slice(0, -1)));
  // Names written out are tried as they are, with one no pattern names; only wildcards need the search.
  const literals = components.filter((c) => !/[*?]/.test(c));
  let unnamed = ANY_NAME;
  for (let i = 0; literals.includes(unnamed); i++) unnamed = `${ANY_NAME}-${i}`;
  if (literals.length === components.length) return { values: [unnamed, ...literals], complete: !unread };
  // The last glob, `?*`, keeps to names that are not empty.
  const globs = [...components, '?*'].map((c) => compileCaseSensitiveGlob(c));
  const found = matchSignatures(globs, 2_000);
  if (!found) return { values: [unnamed, ...literals], complete: false };
  const values = [...found].filter(([signature]) => signature.endsWith('1')).map(([, symbols]) => witnessText(symbols, globs));
  return { values: [...new Set([unnamed, ...literals, ...values])], complete: !unread };
}
