import { policyData } from '../policy-data.js';
import type { RequestContext } from './evaluate.js';

/**
 * An attack the organisation's SCPs must deny, as data (policies/guardrails/<rule>.json): `keys`
 * are fixed by the attack, `chosen` are present in every such request with a value the attacker
 * picks (region, source address, …) or that is the organisation's own (`organisation`).
 */
export interface Scenario extends RequestContext {
  name: string;
}

/**
 * The scenario in this estate: with the organisation's id in the config, `organisation` keys hold
 * it; the config's accounts are the organisation's, never the outside account.
 */
export function scenarioRequest(scenario: Scenario, facts: EstateFacts = {}): RequestContext {
  const orgId = facts.orgId;
  const own = facts.accounts?.length ? { ownAccounts: facts.accounts } : {};
  if (!orgId || !scenario.chosen) return { ...scenario, ...own };
  const entries = Object.entries(scenario.chosen);
  return {
    ...scenario,
    ...own,
    keys: { ...Object.fromEntries(entries.filter(([, d]) => d === 'organisation').map(([k]) => [k, orgId])), ...scenario.keys },
    chosen: Object.fromEntries(entries.filter(([, d]) => d !== 'organisation')),
  };
}

/** A preventive guardrail: the attacks it stops and the SCP statements that stop them. */
export interface GuardrailSpec {
  rule: string;
  title: string;
  scenarios: Scenario[];
  /** SCP statements with placeholders (`<ORG_ID>`, `<CORPORATE_CIDR>`, `<ACCOUNT_ID>`, …). */
  statements: object[];
}

export const GUARDRAIL_RULES = ['IG401', 'IG402', 'IG403', 'IG405'] as const;

export function guardrailSpec(rule: string): GuardrailSpec {
  return policyData<GuardrailSpec>(`guardrails/${rule}.json`);
}

/** What the user told us (config) that fills the placeholders; what is missing stays a marked placeholder. */
export interface EstateFacts {
  orgId?: string;
  accounts?: string[];
  cidrs?: string[];
}

/**
 * Fills placeholders from the config: a string with a placeholder inside a list becomes one
 * entry per configured value. Placeholders without a value stay, clearly marked, so a policy
 * with them is refused by AWS rather than silently deployed too wide.
 */
export function fillPlaceholders<T>(value: T, facts: EstateFacts = {}): T {
  const lists: Record<string, string[] | undefined> = {
    '<ORG_ID>': facts.orgId ? [facts.orgId] : undefined,
    '<ACCOUNT_ID>': facts.accounts?.length ? facts.accounts : undefined,
    '<CORPORATE_CIDR>': facts.cidrs?.length ? facts.cidrs : undefined,
  };
  const expand = (text: string): string[] => {
    for (const [placeholder, values] of Object.entries(lists))
      if (values && text.includes(placeholder)) return [...new Set(values.flatMap((v) => expand(text.split(placeholder).join(v))))];
    return [text];
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const expanded = expand(node);
      return expanded.length === 1 ? expanded[0] : expanded;
    }
    if (Array.isArray(node)) return node.flatMap((item) => (typeof item === 'string' ? expand(item) : [walk(item)]));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value) as T;
}

/** The full recommended SCP: every guardrail's statements, placeholders filled where the config can. */
export function recommendedScp(facts: EstateFacts = {}): { Version: string; Statement: object[] } {
  return { Version: '2012-10-17', Statement: GUARDRAIL_RULES.flatMap((rule) => fillPlaceholders(guardrailSpec(rule).statements, facts)) };
}
