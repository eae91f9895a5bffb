import type { Finding, Rule, RuleContext } from './types.js';

/** A rule whose check threw: its findings are missing from the report. */
export interface RuleError {
  ruleId: string;
  message: string;
  stack?: string;
}

/** The id under which a rule's internal error is reported (a notice naming the rule, never a located finding). */
export const INTERNAL_ERROR_ID = 'IG900';

/** Runs each rule on its own: one rule's exception is caught and reported, the others' findings are kept. */
export function runRules(rules: readonly Rule[], context: RuleContext): { findings: Finding[]; errors: RuleError[] } {
  const findings: Finding[] = [];
  const errors: RuleError[] = [];
  for (const rule of rules) {
    try {
      findings.push(...rule.check(context));
    } catch (error) {
      errors.push({
        ruleId: rule.meta.id,
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
      });
    }
  }
  return { findings, errors };
}

export function ruleErrorMessage(error: RuleError): string {
  return `${INTERNAL_ERROR_ID} internal error in rule ${error.ruleId}: ${error.message}; its findings are missing from this report`;
}
