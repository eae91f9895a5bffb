import type { AccessAnalyzerClient, ReasonSummary, ValidatePolicyFinding } from '@aws-sdk/client-accessanalyzer';
import { cached } from './cache.js';
import type { PolicyType } from './policies.js';

export interface AnalyzerOptions {
  region?: string;
  profile?: string;
  /** Overrides the service endpoint (a VPC endpoint, a proxy, a test server). */
  endpoint?: string;
  /** Per HTTP attempt: connecting and waiting for the answer each get this long. */
  timeoutMs: number;
  /** Where answers are cached between runs; undefined: no disk cache. */
  cacheDir?: string;
  /** Calls in flight at once. */
  concurrency: number;
}

/** The answer of CheckNoPublicAccess / CheckAccessNotGranted, as plain data. */
export interface CheckAnswer {
  result?: string;
  message?: string;
  reasons: ReasonSummary[];
}

/** The three Access Analyzer operations the cross-check uses, cached; ValidatePolicy follows `nextToken` to the end. */
export interface AnalyzerApi {
  validatePolicy(input: { policyDocument: string; policyType: PolicyType; validatePolicyResourceType?: 'AWS::IAM::AssumeRolePolicyDocument' }): Promise<ValidatePolicyFinding[]>;
  checkNoPublicAccess(input: { policyDocument: string; resourceType: 'AWS::Lambda::Function' }): Promise<CheckAnswer>;
  checkAccessNotGranted(input: { policyDocument: string; policyType: 'IDENTITY_POLICY'; access: Array<{ actions?: string[]; resources?: string[] }> }): Promise<CheckAnswer>;
}

/** Retries on throttling (429), 5xx and timeouts, with the SDK's exponential backoff and jitter. */
const MAX_ATTEMPTS = 3;

/**
 * Loads the SDK (only now: a scan without `--access-analyzer` never pays for it or opens a
 * socket) and wraps a client. Credentials come from the SDK's usual chain (environment,
 * profile, SSO, instance role).
 */
export async function createAnalyzerApi(options: AnalyzerOptions): Promise<AnalyzerApi> {
  // The SDK's notice about its own future Node support says nothing about the scan; users may still opt in to it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-accessanalyzer');
  const client: AccessAnalyzerClient = new sdk.AccessAnalyzerClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    // Without throwOnRequestTimeout the handler only logs a late answer and keeps waiting.
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs, throwOnRequestTimeout: true },
  });
  const region = await client.config.region().catch(() => undefined);
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_ACCESSANALYZER ?? process.env.AWS_ENDPOINT_URL;
  const memo = cached(options.cacheDir, { region: region ?? null, endpoint: endpoint ?? null });
  const answer = (out: { result?: string; message?: string; reasons?: ReasonSummary[] }): CheckAnswer => ({
    ...(out.result !== undefined ? { result: out.result } : {}),
    ...(out.message !== undefined ? { message: out.message } : {}),
    reasons: out.reasons ?? [],
  });
  return {
    validatePolicy: (input) =>
      memo('ValidatePolicy', input, async () => {
        const findings: ValidatePolicyFinding[] = [];
        for await (const page of sdk.paginateValidatePolicy({ client }, input))
          findings.push(...(page.findings ?? []));
        return findings;
      }),
    checkNoPublicAccess: (input) => memo('CheckNoPublicAccess', input, async () => answer(await client.send(new sdk.CheckNoPublicAccessCommand(input)))),
    checkAccessNotGranted: (input) => memo('CheckAccessNotGranted', input, async () => answer(await client.send(new sdk.CheckAccessNotGrantedCommand(input)))),
  };
}

/**
 * A failure that concerns one request (the service rejected this policy) rather than the whole
 * service being unreachable (network, timeout, credentials, region, permissions, outage).
 */
export function isRequestProblem(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'ValidationException' || name === 'InvalidParameterException' || ($metadata?.httpStatusCode === 400 && name !== 'ThrottlingException');
}

/** One line that says why, without the SDK's stack or request ids. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.replace(/\s+/g, ' ').slice(0, 300);
  return String(error);
}
