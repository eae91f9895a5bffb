import { actionHint, hintSuggestion, type HintContext } from '../iam/action-hints.js';
import type { ActionCatalog } from '../iam/action-catalog.js';
import { knownString, type Value } from '../model/value.js';
import type { Finding, Rule } from './types.js';

export const IG902: Rule = {
  meta: {
    id: 'IG902',
    title: 'Unknown IAM action in a policy',
    severity: 'low',
    attack: 'T1648',
    remediation:
      'Correct the action name against the Service Authorization Reference; a misspelt action grants or denies nothing. Where the intended action is clear (a documented operation-to-action mapping, an API endpoint prefix that is not the IAM prefix, or a near-miss spelling of the name or of the service prefix), the finding names it. There is no auto-fix: replacing a dead Allow entry with a live action grants access the policy does not grant today, so the author decides.',
    description:
      'An Action/NotAction entry that matches no action in the AWS Service Authorization Reference is a typo or a stale name: the policy does not do what its author meant (an Allow grants nothing, a Deny or NotAction protects nothing).',
    fixable: false,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const policy of model.identityPolicies) {
      // A hint searches the service's action names (~0.5 ms): bounded per policy, so a generated policy of thousands of
      // dead entries stays fast, and whether an entry gets one never depends on other files.
      let hintsLeft = MAX_HINTS_PER_POLICY;
      for (const statement of policy.document?.statements ?? []) {
        const effect = knownString(statement.effect);
        // An Allow's Action or a Deny's NotAction is where making a dead entry live widens access.
        const lists = [
          { entries: statement.action, widens: effect === 'Allow' ? ('grant' as const) : undefined },
          { entries: statement.notAction, widens: effect === 'Deny' ? ('exempt' as const) : undefined },
        ];
        for (const { entries, widens } of lists) {
          // The list's entries, lower-cased: built once per list, on its first entry with a problem.
          let listed: ReadonlySet<string> | undefined;
          for (const entry of entries) {
            const action = knownString(entry);
            if (action === undefined || action === '*') continue;
            const [service, name] = action.split(':');
            if (!service || /[*?]/.test(service)) continue;
            let problem: string | undefined;
            if (name === undefined) problem = `${JSON.stringify(action)} is not of the form service:Action`;
            else if (catalog.serviceExists(service) === false) problem = `no AWS service has the prefix "${service}"`;
            else if (catalog.serviceExists(service) && catalog.expand(action).length === 0) problem = `no ${service} action matches "${name}"`;
            if (!problem) continue;
            // One finding per place (module instances share the text); the key is built only for an entry with a problem.
            const key = `${entry.range.file}:${entry.range.line}:${entry.range.column}`;
            if (seen.has(key)) continue;
            seen.add(key);
            findings.push({
              ruleId: 'IG902',
              severity: 'low',
              message: `${policy.address}: unknown action ${JSON.stringify(action)}: ${problem}.`,
              range: entry.range,
              resource: policy.address,
              evidence: action,
              suggestion: hintsLeft-- > 0 ? suggestionFor(action, (listed ??= lowerCased(entries)), catalog, widens) : GENERIC,
            });
          }
        }
      }
    }
    return findings;
  },
};

const GENERIC = 'Correct the action name (see the Service Authorization Reference); a misspelt action silently grants or denies nothing.';

/** IG902 findings per policy that get a hint; the rest get the generic suggestion. */
const MAX_HINTS_PER_POLICY = 100;

function lowerCased(entries: Value[]): ReadonlySet<string> {
  return new Set(entries.map((e) => knownString(e)?.toLowerCase()).filter((a): a is string => a !== undefined));
}

/** Names the likely intended action when there is a good candidate (built only for an entry that has a problem). */
function suggestionFor(action: string, listed: ReadonlySet<string>, catalog: ActionCatalog, widens: HintContext['widens']): string {
  const hint = actionHint(action, catalog, listed);
  return hint ? hintSuggestion(action, hint, { listed, ...(widens ? { widens } : {}) }) : GENERIC;
}
