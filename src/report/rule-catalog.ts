import { PIPELINE_RULES, RULES } from '../rules/registry.js';
import type { RuleMeta } from '../rules/types.js';

/** Every rule a finding can carry: the registry's rules, then the pipeline's own (Access Analyzer, input errors, suppressions). */
export function allRuleMetas(): RuleMeta[] {
  return [...RULES.map((r) => r.meta), ...PIPELINE_RULES];
}

/** Where people read about the tool and its rules (README sections are anchored by heading). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/invokeguard';

export const ATTACK_TECHNIQUE_URI = (id: string): string => `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
