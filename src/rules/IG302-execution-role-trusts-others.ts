import { identityGraph } from '../model/identity-graph.js';
import { isPublicTrustee, otherTrustees, scopedToCallers, type OtherTrustee } from '../iam/trust.js';
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
      'An execution role whose trust policy lets principals other than lambda.amazonaws.com assume it hands the function\'s permissions to them too, and a stolen function token used outside Lambda can no longer be told apart from their legitimate sessions. Give each function its own role trusted only by Lambda (and edgelambda.amazonaws.com for Lambda@Edge). Severity: critical when anyone can assume the role, that is a trust statement names `"*"`, `{"AWS": "*"}`, an AWS principal ARN with a wildcard account, or an Allow\'s NotPrincipal, and no condition scopes it to an account, organisation or network (aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceVpc(e), or a scoping aws:SourceAccount / aws:SourceArn, each with values that do not match everything, and an account without a wildcard): anyone with an AWS account then gets the function\'s credentials, from anywhere. Medium otherwise: a public principal so scoped, or limited to AWS services (aws:PrincipalIsAWSService), included. In SARIF a critical finding carries its own security-severity.',
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
      const open = others.find(anyoneCanAssume);
      const named = others.map((o) => o.text).join('; ');
      // The finding points at what makes it critical, when something does.
      const at = open ?? others[0];
      findings.push({
        ruleId: 'IG302',
        severity: open ? 'critical' : 'medium',
        message: open
          ? `Execution role ${identityLabel(node)} can be assumed by anyone with an AWS account (${open.text}, no condition scoping it to an account or organisation): they get the function's permissions from anywhere.`
          : `Execution role ${identityLabel(node)} can also be assumed by ${named}: they get the function's permissions, and its token's use outside Lambda blends in.`,
        range: at.principal?.value.range ?? at.statement.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: named,
        suggestion: open
          ? 'Remove the public principal from the execution role\'s trust: trust only lambda.amazonaws.com, and give whoever else needs the permissions a separate role trusting their account by id.'
          : 'Trust only lambda.amazonaws.com in the execution role; give other services or people a separate role with the permissions they need.',
      });
    }
    return findings;
  },
};

/** A public trustee whose statement no condition keeps to an account, organisation or network. */
function anyoneCanAssume(trustee: OtherTrustee): boolean {
  return isPublicTrustee(trustee) && !scopedToCallers(trustee.statement);
}
