import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for AWS IAM Access Analyzer on 127.0.0.1 that speaks its restJson1 wire protocol
 * for the four policy-check operations (paths, JSON bodies, `nextToken` in the query of
 * ValidatePolicy, errors named by `x-amzn-errortype`), so the real SDK client can be pointed at it.
 * Its judgements are simple and deterministic (see the default handlers); tests override them.
 */

export interface Reason {
  description: string;
  statementIndex?: number;
  statementId?: string;
}
export interface CheckAnswer {
  result: 'PASS' | 'FAIL';
  message: string;
  reasons: Reason[];
}
export interface Position {
  line: number;
  column: number;
  offset: number;
}
export interface ValidateFinding {
  findingDetails: string;
  findingType: 'ERROR' | 'SECURITY_WARNING' | 'SUGGESTION' | 'WARNING';
  issueCode: string;
  learnMoreLink: string;
  locations: Array<{ path: Array<{ index?: number; key?: string }>; span: { start: Position; end: Position } }>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeBehaviour {
  validate(policyDocument: string, policyType: string, resourceType: string | undefined): ValidateFinding[];
  noPublicAccess(policy: Policy, resourceType: string): CheckAnswer;
  accessNotGranted(policy: Policy, access: Array<{ actions?: string[]; resources?: string[] }>): CheckAnswer;
  noNewAccess(newPolicy: Policy, existingPolicy: Policy): CheckAnswer;
  /** Runs first: return a status and error type to fail this request, 'hang' to never answer, undefined to go on. */
  intercept(request: RecordedRequest, count: number): { status: number; type: string } | 'hang' | undefined;
  /** Findings per ValidatePolicy page (so pagination is exercised). */
  pageSize: number;
}

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
export interface Policy {
  Version?: string;
  Statement: Statement[];
}

export interface FakeAnalyzer {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);

/** Public: an Allow statement to `*` (bare or as AWS) with no condition at all. */
export function defaultNoPublicAccess(policy: Policy): CheckAnswer {
  const reasons = policy.Statement.flatMap((s, i) => {
    const p = s.Principal as { AWS?: unknown } | string | undefined;
    const anyone = p === '*' || (typeof p === 'object' && p !== null && list(p.AWS as string | string[]).includes('*'));
    return s.Effect === 'Allow' && anyone && !s.Condition ? [{ description: 'Statement allows public access.', statementIndex: i, ...(s.Sid ? { statementId: s.Sid } : {}) }] : [];
  });
  return reasons.length ? { result: 'FAIL', message: 'The resource policy grants public access for the given resource type.', reasons } : { result: 'PASS', message: 'The resource policy does not grant public access for the given resource type.', reasons: [] };
}

/** Granted: an Allow statement whose actions match one of the access actions (on any resource). */
export function defaultAccessNotGranted(policy: Policy, access: Array<{ actions?: string[] }>): CheckAnswer {
  const wanted = access.flatMap((a) => a.actions ?? []);
  const reasons = policy.Statement.flatMap((s, i) =>
    s.Effect === 'Allow' && list(s.Action).some((pattern) => wanted.some((a) => matches(pattern, a))) ? [{ description: 'One or more of the listed actions or resources in the statement is granted.', statementIndex: i }] : [],
  );
  return reasons.length ? { result: 'FAIL', message: 'The policy document grants access to perform one or more of the listed actions or resources.', reasons } : { result: 'PASS', message: 'The policy document does not grant access to perform the listed actions or resources.', reasons: [] };
}

/** Where `needle` first occurs in `text`, as Access Analyzer positions (1-based line and column, 0-based offset). */
export function spanOf(text: string, needle: string, from = 0): { start: Position; end: Position } | undefined {
  const start = text.indexOf(needle, from);
  if (start < 0) return undefined;
  const position = (offset: number): Position => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1, offset };
  };
  return { start: position(start), end: position(start + needle.length) };
}

const DEFAULTS: FakeBehaviour = {
  validate: () => [],
  noPublicAccess: defaultNoPublicAccess,
  accessNotGranted: defaultAccessNotGranted,
  noNewAccess: (n, e) =>
    JSON.stringify(n) === JSON.stringify(e) ? { result: 'PASS', message: 'No new access.', reasons: [] } : { result: 'FAIL', message: 'The modified permissions grant new access.', reasons: [] },
  intercept: () => undefined,
  pageSize: 1,
};

export async function startFakeAnalyzer(behaviour: Partial<FakeBehaviour> = {}): Promise<FakeAnalyzer> {
  const b: FakeBehaviour = { ...DEFAULTS, ...behaviour };
  const requests: RecordedRequest[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        headers: req.headers,
      };
      requests.push(request);
      const intercepted = b.intercept(request, requests.length);
      if (intercepted === 'hang') return;
      if (intercepted) return send(res, intercepted.status, { message: `injected ${intercepted.type}` }, intercepted.type);
      if (request.method !== 'POST') return send(res, 404, { message: 'not found' }, 'ResourceNotFoundException');
      const body = request.body;
      const policy = (key: string) => JSON.parse(String(body[key])) as Policy;
      try {
        switch (request.path) {
          case '/policy/validation': {
            const all = b.validate(String(body.policyDocument), String(body.policyType), body.validatePolicyResourceType as string | undefined);
            const start = request.query.nextToken ? Number(request.query.nextToken) : 0;
            const size = request.query.maxResults ? Math.min(Number(request.query.maxResults), b.pageSize) : b.pageSize;
            const page = all.slice(start, start + size);
            return send(res, 200, { findings: page, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) });
          }
          case '/policy/check-no-public-access':
            return send(res, 200, b.noPublicAccess(policy('policyDocument'), String(body.resourceType)));
          case '/policy/check-access-not-granted':
            return send(res, 200, b.accessNotGranted(policy('policyDocument'), body.access as Array<{ actions?: string[] }>));
          case '/policy/check-no-new-access':
            return send(res, 200, b.noNewAccess(policy('newPolicyDocument'), policy('existingPolicyDocument')));
          default:
            return send(res, 404, { message: 'not found' }, 'ResourceNotFoundException');
        }
      } catch (error) {
        return send(res, 400, { message: String(error), reason: 'parseError' }, 'ValidationException');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Dummy credentials and no instance-metadata lookups for the SDK in this process; returns a restore function. */
export function dummyAwsEnvironment(): () => void {
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ACCESSANALYZER'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/invokeguard-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/invokeguard-test-credentials',
  });
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
