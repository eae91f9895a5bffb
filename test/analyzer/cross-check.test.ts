import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verdict } from '../../src/analyzer/cross-check.js';
import { runCaptured } from '../helpers/cli.js';
import {
  defaultNoPublicAccess,
  dummyAwsEnvironment,
  spanOf,
  startFakeAnalyzer,
  type FakeAnalyzer,
  type FakeBehaviour,
  type Policy,
  type ValidateFinding,
} from '../helpers/fake-access-analyzer.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempCopy, tempTree } from '../helpers/temp-tree.js';

interface JsonFinding {
  ruleId: string;
  constructPath?: string;
  file: string;
  line: number;
  resource: string;
  message: string;
  evidence?: string;
  crossCheck?: { verdict: string; reason: string };
}

// Each test runs whole scans (some several); the machine is shared.
jest.setTimeout(30000);

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = dummyAwsEnvironment();
});
afterAll(() => restoreEnv());

const servers: FakeAnalyzer[] = [];
async function fake(behaviour: Partial<FakeBehaviour> = {}): Promise<FakeAnalyzer> {
  const server = await startFakeAnalyzer(behaviour);
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function scanJson(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = await runCaptured([...args, '-f', 'json'], { cwd: options.cwd ?? REPO_ROOT, ...(options.env ? { env: options.env } : {}) });
  return { ...run, findings: (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings };
}

function analyzer(server: FakeAnalyzer, ...more: string[]): string[] {
  return ['--access-analyzer', '--region', 'us-east-1', '--endpoint-url', server.endpoint, ...more];
}

/** Fake validation: a SUGGESTION for every policy, then a SECURITY_WARNING at each "lambda:*" (second page). */
function wildcardWarnings(policyDocument: string, policyType: string): ValidateFinding[] {
  if (policyType !== 'IDENTITY_POLICY') return [];
  const findings: ValidateFinding[] = [];
  for (let at = policyDocument.indexOf('"lambda:*"'); at >= 0; at = policyDocument.indexOf('"lambda:*"', at + 1)) {
    const span = spanOf(policyDocument, '"lambda:*"', at);
    if (!span) break;
    findings.push(
      { findingDetails: 'Review the redundant action.', findingType: 'SUGGESTION', issueCode: 'REDUNDANT_ACTION', learnMoreLink: 'https://example.invalid/redundant', locations: [{ path: [{ key: 'Statement' }], span }] },
      { findingDetails: 'Every Lambda action is allowed.', findingType: 'SECURITY_WARNING', issueCode: 'FAKE_ALL_LAMBDA_ACTIONS', learnMoreLink: 'https://example.invalid/all-actions', locations: [{ path: [{ key: 'Statement' }], span }] },
    );
  }
  return findings;
}

/** The fake's Access Analyzer finds the raw policy file's function (account 111122223333) not public: that IG101 is disputed. */
function publicExceptKnownFunction(policy: Policy) {
  const named = policy.Statement.some((s) => [s.Resource].flat().some((r) => r?.endsWith(':111122223333:function:orders')));
  return named ? { result: 'PASS' as const, message: 'The resource policy does not grant public access for the given resource type.', reasons: [] } : defaultNoPublicAccess(policy);
}

describe('--access-analyzer against a loopback Access Analyzer', () => {
  test('a scan of examples/ marks every IG101/IG201 confirmed or disputed and reports IG601 at the source line', async () => {
    const server = await fake({ validate: wildcardWarnings, noPublicAccess: publicExceptKnownFunction });
    const offline = await scanJson(['examples']);
    const online = await scanJson(['examples', ...analyzer(server, '--no-cache')]);
    expect(online.stderr).toBe('');
    expect(online.code).toBe(offline.code);

    // Offline findings are all still there, unchanged apart from the verdict.
    const withoutVerdict = online.findings.filter((f) => f.ruleId !== 'IG601').map(({ crossCheck: _, ...rest }) => rest);
    expect(withoutVerdict).toEqual(offline.findings);

    const judged = online.findings.filter((f) => f.ruleId === 'IG101' || f.ruleId === 'IG201');
    expect(judged.length).toBeGreaterThanOrEqual(10);
    expect(judged.map((f) => [f.ruleId, f.file, f.line, f.crossCheck?.verdict])).toEqual(
      judged.map((f) => [f.ruleId, f.file, f.line, f.file === 'examples/iam/vulnerable/orders-function-policy.json' ? 'disputed' : 'confirmed']),
    );
    expect(judged.find((f) => f.crossCheck?.verdict === 'disputed')?.crossCheck?.reason).toMatch(/no public access/);
    expect(judged.find((f) => f.resource === 'aws_lambda_permission.public')?.crossCheck?.reason).toMatch(/Statement allows public access/);
    // Other findings get no verdict.
    expect(online.findings.filter((f) => f.crossCheck && !['IG101', 'IG201'].includes(f.ruleId))).toEqual([]);

    // IG601 at the "lambda:*" element of each identity policy that has one; suggestions are not reported.
    expect(online.findings.filter((f) => f.ruleId === 'IG601').map((f) => [f.file, f.line, f.resource, f.evidence])).toEqual([
      ['examples/cdktf/vulnerable/cdktf.out/stacks/api/cdk.tf.json', 22, 'aws_iam_policy.orders_InvokerPolicy_5F6A7B8C', 'FAKE_ALL_LAMBDA_ACTIONS'],
      ['examples/iam/vulnerable/ci-deployer-policy.json', 9, 'examples/iam/vulnerable/ci-deployer-policy.json', 'FAKE_ALL_LAMBDA_ACTIONS'],
      ['examples/plan/vulnerable/tfplan.json', 21, 'aws_iam_role.orders', 'FAKE_ALL_LAMBDA_ACTIONS'],
      ['examples/terraform/vulnerable/ci.tf', 12, 'aws_iam_role_policy.deployer', 'FAKE_ALL_LAMBDA_ACTIONS'],
    ]);
    expect(online.findings.find((f) => f.ruleId === 'IG601')).toMatchObject({ constructPath: 'api/orders/InvokerPolicy' });
    expect(readFileSync(join(REPO_ROOT, 'examples/terraform/vulnerable/ci.tf'), 'utf8').split('\n')[11]).toContain('"lambda:*"');
    expect(readFileSync(join(REPO_ROOT, 'examples/iam/vulnerable/ci-deployer-policy.json'), 'utf8').split('\n')[8]).toContain('"lambda:*"');

    // What was sent: the raw resource policy as written, as a Lambda function; SCPs and trust policies with their types.
    const sent = (path: string) => server.requests.filter((r) => r.path === path).map((r) => r.body);
    const file = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/iam/vulnerable/orders-function-policy.json'), 'utf8')) as Policy & { Id?: string };
    const publicChecks = sent('/policy/check-no-public-access');
    expect(publicChecks.every((b) => b.resourceType === 'AWS::Lambda::Function')).toBe(true);
    expect(publicChecks.map((b) => JSON.parse(String(b.policyDocument)))).toContainEqual({ Version: file.Version, Statement: file.Statement });
    // The Terraform permissions of aws_lambda_function.orders as the one policy Lambda would build.
    expect(publicChecks.map((b) => JSON.parse(String(b.policyDocument)))).toContainEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders' },
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
          Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::invokeguard-unknown' } },
        },
      ],
    });
    const validations = sent('/policy/validation');
    const typeOf = (needle: string) => validations.filter((b) => String(b.policyDocument).includes(needle)).map((b) => [b.policyType, b.validatePolicyResourceType]);
    expect(typeOf('DenyPublicPermissions')).toContainEqual(['SERVICE_CONTROL_POLICY', undefined]);
    expect(typeOf('sts:AssumeRole')).toContainEqual(['RESOURCE_POLICY', 'AWS::IAM::AssumeRolePolicyDocument']);
    expect(sent('/policy/check-access-not-granted').every((b) => b.policyType === 'IDENTITY_POLICY' && JSON.stringify(b.access) === '[{"actions":["lambda:InvokeFunction"]}]')).toBe(true);
    // ValidatePolicy pages were followed through nextToken in the query string.
    expect(server.requests.some((r) => r.path === '/policy/validation' && r.query.nextToken === '1')).toBe(true);
    // Signed with the dummy credentials.
    expect(String(server.requests[0].headers.authorization)).toContain('Credential=AKIAIOSFODNN7EXAMPLE/');
  });

  test('the verdict shows in stylish, sarif and markdown output', async () => {
    const server = await fake({ noPublicAccess: publicExceptKnownFunction });
    const path = 'examples/iam/vulnerable';
    const stylish = await runCaptured([path, ...analyzer(server, '--no-cache')], { cwd: REPO_ROOT });
    expect(stylish.stdout).toMatch(/IG101 .*\n.*\n\s+Access Analyzer: disputed — Access Analyzer finds no public access/);
    expect(stylish.stdout).toMatch(/IG201 .*\n.*\n\s+Access Analyzer: confirmed — /);
    const sarif = JSON.parse((await runCaptured([path, '-f', 'sarif', ...analyzer(server, '--no-cache')], { cwd: REPO_ROOT })).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; properties: { crossCheck?: { verdict: string } } }> }>;
    };
    expect(sarif.runs[0].results.filter((r) => r.properties.crossCheck).map((r) => [r.ruleId, r.properties.crossCheck?.verdict])).toEqual([
      ['IG201', 'confirmed'],
      ['IG101', 'disputed'],
    ]);
    const markdown = await runCaptured([path, '-f', 'markdown', ...analyzer(server, '--no-cache')], { cwd: REPO_ROOT });
    expect(markdown.stdout).toContain('**Access Analyzer:** disputed — ');
  });

  test('throttling (429 ThrottlingException) is retried and the run ends as without it', async () => {
    const calm = await fake({ validate: wildcardWarnings });
    const throttled = await fake({ validate: wildcardWarnings, intercept: (_, n) => (n <= 3 ? { status: 429, type: 'ThrottlingException' } : undefined) });
    const path = 'examples/terraform/vulnerable';
    const expected = await scanJson([path, ...analyzer(calm, '--no-cache')]);
    const run = await scanJson([path, ...analyzer(throttled, '--no-cache')]);
    expect(run.stderr).toBe('');
    expect(run.findings).toEqual(expected.findings);
    expect(run.findings.some((f) => f.crossCheck?.verdict === 'confirmed')).toBe(true);
    expect(throttled.requests.length).toBe(calm.requests.length + 3);
  });

  test('a server error (5xx) is retried too', async () => {
    const server = await fake({ intercept: (_, n) => (n === 1 ? { status: 500, type: 'InternalServerException' } : undefined) });
    const run = await scanJson(['examples/iam/vulnerable', ...analyzer(server, '--no-cache')]);
    expect(run.stderr).toBe('');
    expect(run.findings.filter((f) => f.crossCheck).map((f) => f.crossCheck?.verdict)).toEqual(['confirmed', 'confirmed']);
  });

  test('a server that never answers: one timeout warning, offline findings and exit code unchanged', async () => {
    const server = await fake({ intercept: () => 'hang' });
    const path = 'examples/terraform/vulnerable';
    const offline = await scanJson([path]);
    const started = Date.now();
    const run = await scanJson([path, ...analyzer(server, '--no-cache', '--analyzer-timeout', '200')]);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(run.code).toBe(offline.code);
    expect(run.findings.map(({ crossCheck: _, ...rest }) => rest)).toEqual(offline.findings);
    expect(run.findings.filter((f) => f.crossCheck).every((f) => f.crossCheck?.verdict === 'unavailable')).toBe(true);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^invokeguard: warning: Access Analyzer cross-check unreachable \(.*(timeout|did not complete|timed out).*\); findings are the offline results\.\n$/i);
    // It gave up after the first call's retries instead of waiting out every policy.
    expect(server.requests.length).toBeLessThanOrEqual(12);
  });

  test('nothing listening: one warning, exit code unchanged', async () => {
    const server = await fake();
    await server.close();
    const offline = await scanJson(['examples/iam/vulnerable']);
    const run = await scanJson(['examples/iam/vulnerable', ...analyzer(server, '--no-cache')]);
    expect(run.code).toBe(offline.code);
    expect(run.stderr).toMatch(/^invokeguard: warning: Access Analyzer cross-check unreachable \(.*ECONNREFUSED.*\)/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('answers are cached in .invokeguard-cache/ (not scanned) unless --no-cache', async () => {
    const server = await fake({ validate: wildcardWarnings });
    const dir = await tempCopy('examples/iam/vulnerable');
    const first = await scanJson(['.', ...analyzer(server)], { cwd: dir });
    const asked = server.requests.length;
    expect(asked).toBeGreaterThan(0);
    expect(readdirSync(join(dir, '.invokeguard-cache')).length).toBeGreaterThan(0);
    const second = await scanJson(['.', ...analyzer(server)], { cwd: dir });
    expect(server.requests.length).toBe(asked);
    expect(second.findings).toEqual(first.findings);
    await scanJson(['.', ...analyzer(server, '--no-cache')], { cwd: dir });
    expect(server.requests.length).toBe(2 * asked);
    // Another endpoint (or region) is asked, not answered from what the first one said.
    const other = await fake({ validate: wildcardWarnings });
    await scanJson(['.', ...analyzer(other)], { cwd: dir });
    expect(other.requests.length).toBe(asked);
    await scanJson(['.', '--access-analyzer', '--region', 'eu-west-1', '--endpoint-url', other.endpoint], { cwd: dir });
    expect(other.requests.length).toBe(2 * asked);
    const noCacheDir = await tempCopy('examples/iam/vulnerable');
    await scanJson(['.', ...analyzer(server, '--no-cache')], { cwd: noCacheDir });
    expect(existsSync(join(noCacheDir, '.invokeguard-cache'))).toBe(false);
  });

  test('the endpoint comes from AWS_ENDPOINT_URL_ACCESSANALYZER, then AWS_ENDPOINT_URL', async () => {
    const specific = await fake();
    const general = await fake();
    const args = ['examples/iam/vulnerable', '--access-analyzer', '--region', 'us-east-1', '--no-cache'];
    await scanJson(args, { env: { AWS_ENDPOINT_URL_ACCESSANALYZER: specific.endpoint, AWS_ENDPOINT_URL: general.endpoint } });
    expect(specific.requests.length).toBeGreaterThan(0);
    expect(general.requests.length).toBe(0);
    await scanJson(args, { env: { AWS_ENDPOINT_URL: general.endpoint } });
    expect(general.requests.length).toBe(specific.requests.length);
  });

  test('ERROR findings map to their line; remarks about placeholders for unknown values are dropped', async () => {
    const dir = tempTree({
      'main.tf': [
        'resource "aws_lambda_function" "f" {',
        '  function_name = "f"',
        '}',
        'resource "aws_iam_policy" "p" {',
        '  policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Effect   = "Allow"',
        '      Action   = ["lambda:InvokeFuntion"]',
        '      Resource = aws_lambda_function.f.arn',
        '    }]',
        '  })',
        '}',
        '',
      ].join('\n'),
    });
    const server = await fake({
      validate: (doc) =>
        ['"lambda:InvokeFuntion"', 'invokeguard-unknown'].flatMap((needle) => {
          const span = spanOf(doc, needle);
          return span ? [{ findingDetails: `Fix ${needle}.`, findingType: 'ERROR' as const, issueCode: 'INVALID_ACTION', learnMoreLink: 'https://example.invalid/x', locations: [{ path: [], span }] }] : [];
        }),
    });
    const run = await scanJson(['.', ...analyzer(server, '--no-cache')], { cwd: dir });
    expect(String(server.requests.find((r) => r.path === '/policy/validation')?.body.policyDocument)).toContain('invokeguard-unknown');
    expect(run.findings.filter((f) => f.ruleId === 'IG601').map((f) => [f.ruleId, f.resource, f.line, f.evidence])).toEqual([['IG601', 'aws_iam_policy.p', 9, 'INVALID_ACTION']]);
  });

  test('IG601 can be turned off in the config like any rule; then ValidatePolicy is not called', async () => {
    const server = await fake({ validate: wildcardWarnings });
    const dir = await tempCopy('examples/iam/vulnerable');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '.invokeguard.yml'), 'rules:\n  IG601: off\n');
    const run = await scanJson(['.', ...analyzer(server, '--no-cache')], { cwd: dir });
    expect(run.findings.filter((f) => f.ruleId === 'IG601')).toEqual([]);
    expect(server.requests.filter((r) => r.path === '/policy/validation')).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});

/** Fake validation rule for the IG601 fixtures: iam:PassRole on "*" is a security warning at that Resource. */
function passRoleOnStar(policyDocument: string): ValidateFinding[] {
  const policy = JSON.parse(policyDocument) as Policy;
  let from = 0;
  return policy.Statement.flatMap((statement) => {
    const statementAt = policyDocument.indexOf('"Effect"', from);
    from = statementAt + 1;
    const actions = [statement.Action ?? []].flat();
    if (!actions.includes('iam:PassRole') || ![statement.Resource].flat().includes('*')) return [];
    const span = spanOf(policyDocument, '"*"', policyDocument.indexOf('"Resource"', statementAt));
    return span
      ? [{ findingDetails: 'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive.', findingType: 'SECURITY_WARNING' as const, issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', learnMoreLink: 'https://example.invalid/pass-role', locations: [{ path: [{ key: 'Statement' }], span }] }]
      : [];
  });
}

describe('--access-analyzer with --changed-only', () => {
  test('sends the policies of the changed file only; the folder scanned as its context is not sent', async () => {
    const server = await fake({ validate: wildcardWarnings });
    const changed = 'examples/terraform/vulnerable/ci.tf';
    const online = await scanJson(['--changed-only', changed, ...analyzer(server, '--no-cache')]);
    expect(online.stderr).toBe('');
    // Findings are the changed file's, each IG201 judged, and IG601 at its "lambda:*".
    expect(online.findings.length).toBeGreaterThan(0);
    expect(online.findings.every((f) => f.file === changed)).toBe(true);
    expect(online.findings.filter((f) => f.ruleId === 'IG201').map((f) => f.crossCheck?.verdict)).toEqual(['confirmed']);
    expect(online.findings.filter((f) => f.ruleId === 'IG601').map((f) => [f.line, f.evidence])).toEqual([[12, 'FAKE_ALL_LAMBDA_ACTIONS']]);
    // main.tf beside it (its invoker policy, its role's trust policy, its function's permissions) was only context.
    const sent = server.requests.map((r) => JSON.parse(String(r.body.policyDocument)) as Policy);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((p) => p.Statement.every((s) => s.Action === 'lambda:*'))).toBe(true);
    // Without --changed-only the same folder sends main.tf's policies too: the test above can fail.
    const whole = await fake({ validate: wildcardWarnings });
    await scanJson(['examples/terraform/vulnerable', ...analyzer(whole, '--no-cache')]);
    expect(whole.requests.length).toBeGreaterThan(server.requests.length);
  });
});

describe('IG601 fixtures', () => {
  test('fails exactly the failing policies, at the Resource line', async () => {
    const server = await fake({ validate: passRoleOnStar });
    const run = await scanJson(['test/fixtures/IG601/fail.tf', ...analyzer(server, '--no-cache')]);
    expect(run.findings.filter((f) => f.ruleId === 'IG601').map((f) => [f.ruleId, f.resource, f.line])).toEqual([
      ['IG601', 'aws_iam_policy.pass_any_role', 8],
      ['IG601', 'aws_iam_role_policy.deployer', 20],
      ['IG601', 'aws_iam_user_policy.heredoc', 38],
    ]);
    expect(run.findings.find((f) => f.ruleId === 'IG601')?.message).toBe(
      'Access Analyzer security warning PASS_ROLE_WITH_STAR_IN_RESOURCE: Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive.',
    );
  });
  test('passes the passing fixture', async () => {
    const server = await fake({ validate: passRoleOnStar });
    const run = await scanJson(['test/fixtures/IG601/pass.tf', ...analyzer(server, '--no-cache')]);
    expect(server.requests.some((r) => r.path === '/policy/validation')).toBe(true);
    expect(run.findings.filter((f) => f.ruleId === 'IG601')).toEqual([]);
  });
  test('offline, the fixtures produce no IG601', async () => {
    expect((await scanJson(['test/fixtures/IG601'])).findings.filter((f) => f.ruleId === 'IG601')).toEqual([]);
  });
});

test('--profile picks the named credentials', async () => {
  const dir = tempTree({ credentials: '[ci]\naws_access_key_id = AKIAPROFILEEXAMPLE01\naws_secret_access_key = example\n' });
  const saved = { file: process.env.AWS_SHARED_CREDENTIALS_FILE, id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  try {
    const server = await fake();
    const run = await scanJson(['examples/iam/vulnerable', ...analyzer(server, '--no-cache', '--profile', 'ci')]);
    expect(run.stderr).toBe('');
    expect(String(server.requests[0].headers.authorization)).toContain('Credential=AKIAPROFILEEXAMPLE01/');
  } finally {
    for (const [key, value] of [['AWS_SHARED_CREDENTIALS_FILE', saved.file], ['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('the fake speaks CheckNoNewAccess too (the fourth policy-check operation)', async () => {
  const server = await fake();
  const { AccessAnalyzerClient, CheckNoNewAccessCommand } = await import('@aws-sdk/client-accessanalyzer');
  const client = new AccessAnalyzerClient({ region: 'us-east-1', endpoint: server.endpoint });
  const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
  const same = await client.send(new CheckNoNewAccessCommand({ newPolicyDocument: doc('lambda:GetFunction'), existingPolicyDocument: doc('lambda:GetFunction'), policyType: 'IDENTITY_POLICY' }));
  const wider = await client.send(new CheckNoNewAccessCommand({ newPolicyDocument: doc('lambda:*'), existingPolicyDocument: doc('lambda:GetFunction'), policyType: 'IDENTITY_POLICY' }));
  expect([same.result, wider.result]).toEqual(['PASS', 'FAIL']);
  expect(server.requests.map((r) => [r.method, r.path])).toEqual([
    ['POST', '/policy/check-no-new-access'],
    ['POST', '/policy/check-no-new-access'],
  ]);
  client.destroy();
});

describe('verdict', () => {
  const here = new Set([1]);
  test('FAIL naming this statement confirms', () => {
    expect(verdict({ result: 'FAIL', reasons: [{ description: 'public', statementIndex: 1 }] }, here, 'public')).toEqual({ verdict: 'confirmed', reason: 'Access Analyzer confirms public access to the function: public' });
  });
  test('FAIL naming only another statement disputes', () => {
    expect(verdict({ result: 'FAIL', reasons: [{ description: 'public', statementIndex: 0 }] }, here, 'invoke').verdict).toBe('disputed');
  });
  test('FAIL without statement indices confirms', () => {
    expect(verdict({ result: 'FAIL', message: 'grants access', reasons: [] }, here, 'invoke').verdict).toBe('confirmed');
  });
  test('PASS disputes; anything else is unavailable', () => {
    expect(verdict({ result: 'PASS', reasons: [] }, here, 'invoke').verdict).toBe('disputed');
    expect(verdict({ reasons: [] }, here, 'invoke').verdict).toBe('unavailable');
  });
});
