import { identityGraph } from '../model/identity-graph.js';
import { otherTrustees } from '../iam/trust.js';
import { identityLabel } from './support/identity.js';
import { rootsOf } from './support/roots.js';
import type { Finding, Rule } from './types.js';

export const IG302: Rule = {
  meta: {
    id: 'IG302',
    title: 'Lambda execution role is also trusted by other principals',
    severity: 'medium',
    attack: 'T1648',
    description:
      'An execution role whose trust policy lets principals other than lambda.amazonaws.com assume it hands the function\'s permissions to them too, and a stolen function token used outside Lambda can no longer be told apart from their legitimate sessions. Give each function its own role trusted only by Lambda (and edgelambda.amazonaws.com for Lambda@Edge).',
    fixable: false,
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const node of identityGraph(model).nodes) {
      const trust = node.identity.trustDocument;
      // SAM's own trust for the role it generates is not the user's to fix; one the template writes is.
      if (!node.executionRole || (node.identity.implicit && !node.identity.userTrust) || !trust) continue;
      const others = otherTrustees(node.trust);
      if (others.length === 0) continue;
      const [first] = others;
      findings.push({
        ruleId: 'IG302',
        severity: 'medium',
        message: `Execution role ${identityLabel(node)} can also be assumed by ${others.map((o) => o.text).join('; ')}: they get the function's permissions, and its token's use outside Lambda blends in.`,
        range: first.principal?.value.range ?? first.statement.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: others.map((o) => o.text).join('; '),
        suggestion: 'Trust only lambda.amazonaws.com in the execution role; give other services or people a separate role with the permissions they need.',
      });
    }
    return findings;
  },
};
