import type { Condition, Principal, Statement } from '../model/types.js';
import { displayString, type Value } from '../model/value.js';
import { positiveMatchNarrows } from './statement.js';

/**
 * A web identity (OIDC) provider whose tokens anyone can get: a role trusting it without a condition on the
 * claim that names the caller is open to every user of the service. Condition keys are `ISSUER:claim`, the
 * issuer as IAM names the provider (`token.actions.githubusercontent.com`).
 */
export interface PublicWebIdentityProvider {
  issuer: RegExp;
  /** Who can get a token, for messages ("any GitHub Actions workflow, in any repository"). */
  anyone: string;
  /** The claims that name the caller; a condition on any one of them pins the role. */
  claims: readonly PinningClaim[];
  /** A value of the first claim to suggest. */
  example: string;
}

interface PinningClaim {
  name: string;
  /**
   * What the text before a pattern's first wildcard must name for the pattern to pin an owner: a wildcard
   * in the owner lets anyone create a match (`repo:*\/app:*` is met by `repo:attacker/app`). Without it, a
   * pattern pins unless it starts with a wildcard.
   */
  owner?: RegExp;
}

/**
 * The providers open to the public, and the claims their documentation pins a role with:
 * - GitHub Actions: `sub` (`repo:ORG/REPO:…`; "Configuring OpenID Connect in Amazon Web Services",
 *   docs.github.com), or one of the provider-specific claims STS evaluates since January 2026 that names a
 *   repository, reusable workflow or enterprise (aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims).
 *   A customised subject (`repository_owner_id:123:…`) counts when it starts with a whole `claim:value:`.
 * - GitLab.com: `sub` (`project_path:GROUP/PROJECT:ref_type:branch:ref:main`, GitLab's AWS OIDC guide).
 * - HCP Terraform: `sub` (`organization:ORG:project:…:workspace:…:run_phase:…`, HashiCorp's "Dynamic
 *   Credentials with the AWS Provider").
 * - Google: `aud` (the OAuth client id) or `sub` (one Google account), IAM's web identity federation keys.
 * - Amazon Cognito identity pools: `aud` (the pool id): "trust policies … must contain the
 *   cognito-identity.amazonaws.com:aud condition key to restrict role assumption to users from your intended
 *   identity pools" (STS AssumeRoleWithWebIdentity, RoleArn). `amr` (authenticated / unauthenticated) only
 *   chooses among one pool's identities, so it pins nothing.
 * Issuers of one organisation (an EKS cluster's `oidc.eks.REGION.amazonaws.com/id/…`, a self-managed GitLab,
 * GitHub Enterprise Server, a GitHub enterprise's own `token.actions.githubusercontent.com/SLUG`) issue tokens to that organisation's workloads alone: left to the medium grade.
 */
export const PUBLIC_WEB_IDENTITY_PROVIDERS: readonly PublicWebIdentityProvider[] = [
  {
    // Only the shared issuer: an enterprise's own (`…githubusercontent.com/SLUG`, include_enterprise_slug)
    // issues tokens to that enterprise's workflows alone, an issuer of one organisation like those below.
    issuer: /^token\.actions\.githubusercontent\.com$/i,
    anyone: 'any GitHub Actions workflow, in any repository',
    claims: [
      { name: 'sub', owner: /^(repo:[^/]+\/|[a-z_]+:[^:]+:)/i },
      { name: 'job_workflow_ref', owner: /^[^/]+\// },
      { name: 'repository', owner: /^[^/]+\// },
      { name: 'repository_id' },
      { name: 'enterprise_id' },
    ],
    example: 'repo:ORG/REPO:ref:refs/heads/main',
  },
  {
    issuer: /^gitlab\.com$/i,
    anyone: 'any GitLab.com CI job, in any project',
    claims: [{ name: 'sub', owner: /^project_path:[^/]+\// }],
    example: 'project_path:GROUP/PROJECT:ref_type:branch:ref:main',
  },
  {
    issuer: /^app\.terraform\.io$/i,
    anyone: 'any HCP Terraform run, in any organisation',
    claims: [{ name: 'sub', owner: /^organization:[^:]+:/ }],
    example: 'organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:apply',
  },
  {
    issuer: /^accounts\.google\.com$/i,
    anyone: 'anyone with a Google account, through any OAuth client',
    claims: [{ name: 'aud' }, { name: 'sub' }],
    example: 'CLIENT_ID.apps.googleusercontent.com',
  },
  {
    issuer: /^cognito-identity\.amazonaws\.com$/i,
    anyone: 'any identity of any Amazon Cognito identity pool, in any account',
    // Pool ids are `REGION:GUID`: a wildcard in the GUID is met by creating pools until one matches.
    claims: [{ name: 'aud', owner: /^[a-z0-9-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i }],
    example: 'REGION:IDENTITY_POOL_ID',
  },
];

export interface UnpinnedWebIdentity {
  provider: PublicWebIdentityProvider;
  /** The condition key to add, as IAM spells it for this issuer (`token.actions.githubusercontent.com:sub`). */
  claimKey: string;
  /** Conditions on a pinning claim that do not pin it, as `Operator key value` (`StringLike …:sub repo:*`). */
  broad: string[];
}

/**
 * When a Federated principal is a public provider and no condition of its statement pins one of the provider's
 * caller claims (by equality, or by patterns naming an owner): which claim to add, and what did not count.
 * A principal whose value is a reference (`aws_iam_openid_connect_provider.github.arn`) is told by the condition
 * keys of its statement; one named by nothing stays unknown, never guessed.
 */
export function unpinnedWebIdentity(principal: Principal, statement: Statement): UnpinnedWebIdentity | undefined {
  if (principal.type !== 'Federated') return undefined;
  const issuer = issuerOf(principal.value) ?? issuerFromConditions(statement);
  const provider = issuer && PUBLIC_WEB_IDENTITY_PROVIDERS.find((p) => p.issuer.test(issuer));
  if (!issuer || !provider) return undefined;
  const prefix = `${issuer.toLowerCase()}:`;
  const broad: string[] = [];
  for (const condition of statement.condition) {
    const key = condition.key.toLowerCase();
    const claim = key.startsWith(prefix) ? provider.claims.find((c) => c.name === key.slice(prefix.length)) : undefined;
    if (!claim) continue;
    if (positiveMatchNarrows(condition, (value) => patternTooBroad(value, claim))) return undefined;
    broad.push(describe(condition));
  }
  return { provider, claimKey: `${issuer}:${provider.claims[0].name}`, broad };
}

/** The issuer a Federated principal names: the path of an `oidc-provider/` ARN, or the provider itself (`cognito-identity.amazonaws.com`). */
function issuerOf(value: Value): string | undefined {
  const text = displayString(value);
  if (text === undefined || value.kind === 'unknown') return undefined;
  const at = text.indexOf(':oidc-provider/');
  const issuer = at >= 0 ? text.slice(at + ':oidc-provider/'.length) : text;
  return issuer.includes('${') ? undefined : issuer;
}

function issuerFromConditions(statement: Statement): string | undefined {
  for (const condition of statement.condition) {
    const issuer = condition.key.slice(0, condition.key.lastIndexOf(':'));
    if (PUBLIC_WEB_IDENTITY_PROVIDERS.some((p) => p.issuer.test(issuer))) return issuer;
  }
  return undefined;
}

/**
 * Whether a pattern admits callers who are not yours: it starts with a wildcard, or a wildcard comes before the
 * owner it must name. Symbolic pieces (`${var.org}`) stand for one value each; a wholly unknown pattern (a module
 * variable) is given the benefit of the doubt, as a critical grade should not rest on a guess.
 */
function patternTooBroad(value: Value, claim: PinningClaim): boolean {
  if (value.kind === 'unknown') return false;
  const text = displayString(value);
  if (text === undefined) return false;
  const literal = text.replace(/\$\{[^}]*\}/g, 'X');
  const wildcard = literal.search(/[*?]/);
  if (wildcard < 0) return false;
  const before = literal.slice(0, wildcard);
  return before === '' || (claim.owner !== undefined && !claim.owner.test(before));
}

function describe(condition: Condition): string {
  const values = condition.values.map((v) => displayString(v) ?? '(unknown)').join(', ');
  return `${condition.operator} ${condition.key} ${values}`.trim();
}
