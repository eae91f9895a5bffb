import { identityGraph } from '../model/identity-graph.js';
import { isPublicTrustee, otherTrustees, scopedToCallers, type OtherTrustee } from '../iam/trust.js';
import { unpinnedWebIdentity, type UnpinnedWebIdentity } from '../iam/web-identity.js';
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
      'An execution role whose trust policy lets principals other than lambda.amazonaws.com assume it hands the function\'s permissions to them too, and a stolen function token used outside Lambda can no longer be told apart from their legitimate sessions. Give each function its own role trusted only by Lambda (and edgelambda.amazonaws.com for Lambda@Edge). Lambda is Lambda however the partition is written (`lambda.amazonaws.com.cn`, `!Sub "lambda.${AWS::URLSuffix}"`, `lambda.${data.aws_partition.current.dns_suffix}`), and a trust statement lets its principals assume the role through `Action` or through a `NotAction` that leaves sts:AssumeRole in. Severity: critical when anyone can assume the role, that is a trust statement names `"*"`, `{"AWS": "*"}`, an AWS principal ARN with a wildcard account, or an Allow\'s NotPrincipal, and no condition scopes it to an account, organisation or network (aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceVpc(e), or a scoping aws:SourceAccount / aws:SourceArn, each with values that do not match everything, and an account without a wildcard): anyone with an AWS account then gets the function\'s credentials, from anywhere. Critical too when a Federated principal is an identity provider anyone can get tokens from and no condition pins the claim that names the caller: GitHub Actions (`token.actions.githubusercontent.com:sub`, or its `job_workflow_ref`, `repository`, `repository_id`, `enterprise_id`), GitLab.com and HCP Terraform (`gitlab.com:sub`, `app.terraform.io:sub`), Google (`accounts.google.com:aud` or `:sub`), Amazon Cognito identity pools (`cognito-identity.amazonaws.com:aud`). A `StringLike` pattern that starts with a wildcard or leaves the owner open (`repo:*`, `repo:*/app:*`, `project_path:*`) pins nothing; `aud` = sts.amazonaws.com does not either (every GitHub workflow sends it), nor does Cognito\'s `amr`, which only picks among one pool\'s identities. IAM has rejected new GitHub trust policies with no such `sub` condition since 2024 (MalformedPolicyDocument "… must evaluate, using StringEquals, StringLike or StringEqualsIgnoreCase, token.actions.githubusercontent.com:sub … which is not scoped to all"), but roles created earlier keep their trust, and that check reads only the first value of a list. Issuers of one organisation (an EKS cluster, self-managed GitLab, GitHub Enterprise Server, a GitHub enterprise\'s own issuer `token.actions.githubusercontent.com/SLUG`) stay medium. Medium otherwise: a public principal so scoped, or limited to AWS services (aws:PrincipalIsAWSService), included. In SARIF a critical finding carries its own security-severity.',
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
      const federated = open ? undefined : firstUnpinnedWebIdentity(others);
      const named = others.map((o) => o.text).join('; ');
      // The finding points at what makes it critical, when something does.
      const at = open ?? federated?.trustee ?? others[0];
      const label = identityLabel(node);
      findings.push({
        ruleId: 'IG302',
        severity: open || federated ? 'critical' : 'medium',
        message: open
          ? `Execution role ${label} can be assumed by anyone with an AWS account (${open.text}, no condition scoping it to an account or organisation): they get the function's permissions from anywhere.`
          : federated
            ? webIdentityMessage(label, federated.trustee, federated.unpinned)
            : `Execution role ${label} can also be assumed by ${named}: they get the function's permissions, and its token's use outside Lambda blends in.`,
        range: at.principal?.value.range ?? at.statement.range,
        resource: node.identity.address,
        ...rootsOf(node.identity),
        evidence: named,
        suggestion: open
          ? 'Remove the public principal from the execution role\'s trust: trust only lambda.amazonaws.com, and give whoever else needs the permissions a separate role trusting their account by id.'
          : federated
            ? `Add \`StringEquals ${federated.unpinned.claimKey} = ${federated.unpinned.provider.example}\` to the trust statement, naming your own; better, trust only lambda.amazonaws.com here and give the federated callers a separate role with the permissions they need.`
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

/** The first Federated trustee of a public identity provider (GitHub Actions, Cognito, …) whose statement pins no caller claim. */
function firstUnpinnedWebIdentity(others: readonly OtherTrustee[]): { trustee: OtherTrustee; unpinned: UnpinnedWebIdentity } | undefined {
  for (const trustee of others) {
    const unpinned = trustee.principal && unpinnedWebIdentity(trustee.principal, trustee.statement);
    if (unpinned) return { trustee, unpinned };
  }
  return undefined;
}

function webIdentityMessage(label: string, trustee: OtherTrustee, { provider, claimKey, broad }: UnpinnedWebIdentity): string {
  const why = broad.length > 0 ? `${broad.join('; ')} matches any caller` : `no condition on ${claimKey}`;
  return `Execution role ${label} can be assumed by ${provider.anyone} (${trustee.text}, ${why}): they get the function's permissions from anywhere.`;
}
