import { knownString } from '../model/value.js';
import { throughRoot } from './support/through-root.js';
import type { Finding, Rule } from './types.js';

export const IG902: Rule = {
  meta: {
    id: 'IG902',
    title: 'Unknown IAM action in a policy',
    severity: 'low',
    attack: 'T1648',
    remediation:
      'Correct the action name against the Service Authorization Reference; a misspelt action grants or denies nothing.',
    description:
      'An Action/NotAction entry that matches no action in the AWS Service Authorization Reference is a typo or a stale name: the policy does not do what its author meant (an Allow grants nothing, a Deny or NotAction protects nothing).',
    fixable: false,
  },
  check({ model, catalog }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const policy of model.identityPolicies) {
      for (const statement of policy.document?.statements ?? []) {
        for (const entry of [...statement.action, ...statement.notAction]) {
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
            message: `${policy.address}${throughRoot(policy)}: unknown action ${JSON.stringify(action)}: ${problem}.`,
            range: entry.range,
            resource: policy.address,
            evidence: action,
            suggestion: 'Correct the action name (see the Service Authorization Reference); a misspelt action silently grants or denies nothing.',
          });
        }
      }
    }
    return findings;
  },
};
