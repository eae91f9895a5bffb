import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { formatHtml } from '../../src/report/html.js';
import { graphFromFindings, type InvokeGraph } from '../../src/report/invoke-graph.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { RULES } from '../../src/rules/registry.js';
import type { Finding, Rule } from '../../src/rules/types.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** The examples' estate (one account, their organisation), so IG103 reports the examples' partner grants too. */
const CONFIG: InvokeguardConfig = { file: 'test', rules: {}, accounts: ['111122223333'], orgId: 'o-a1b2c3d4e5', cidrs: [], include: [], exclude: [] };

const GRANT_FIXTURES = ['test/fixtures/IG101', 'test/fixtures/IG102', 'test/fixtures/IG103', 'test/fixtures/IG104', 'test/fixtures/IG105'];

async function scanned(paths: string[], rules?: readonly Rule[]): Promise<ScanResult> {
  return scan({ paths, cwd: REPO_ROOT, config: CONFIG, ...(rules ? { rules } : {}) });
}

/** Edges by their nodes' labels: what the drawing shows, whatever ids the nodes got. */
function labelled(graph: InvokeGraph): Array<[string | undefined, string | undefined, string, string[]]> {
  const label = new Map([...graph.principals, ...graph.functions].map((n) => [n.id, n.label]));
  return graph.edges.map((e) => [label.get(e.from), label.get(e.to), e.severity, e.via]);
}

/** The HTML report's graph and its "findings by function" headings, as the findings alone draw them. */
function drawn(result: ScanResult): { svg: string; groups: string[] } {
  const html = formatHtml({ ...result, invokers: undefined }, { version: '1.2.3', color: false });
  return {
    svg: /<div class="graph-box">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '',
    groups: [...html.matchAll(/<section class="group"><h3>([^<]+)<\/h3>/g)].map((m) => m[1]),
  };
}

/** Every rule, with each finding's message and evidence reworded to text that shares nothing with the original. */
function rewordedRules(): Rule[] {
  const reword = (text: string) => `Reworded ${createHash('sha256').update(text).digest('hex').slice(0, 16)}.`;
  return RULES.map((rule) => ({
    meta: rule.meta,
    check: (context) =>
      rule.check(context).map((f): Finding => ({ ...f, message: reword(f.message), ...(f.evidence !== undefined ? { evidence: reword(f.evidence) } : {}) })),
  }));
}

describe('invoke graph from the findings', () => {
  it('draws the examples as it always has', async () => {
    expect(labelled(graphFromFindings((await scanned(['examples'])).findings))).toEqual([
      ['account 444455556666', 'aws_lambda_function.orders_Handler_9D0E1F2A', 'medium', ['aws_lambda_permission.orders_PartnerInvoke_7F8A9B0C (IG103)']],
      ['holders of aws_iam_policy.orders_InvokerPolicy_5F6A7B8C', 'every function', 'high', ['aws_iam_policy.orders_InvokerPolicy_5F6A7B8C (IG201)', 'aws_iam_policy.orders_InvokerPolicy_5F6A7B8C (IG202)', 'aws_iam_policy.orders_InvokerPolicy_5F6A7B8C (IG205)']],
      ['anyone on the internet (function URL)', 'aws_lambda_function.orders_Handler_9D0E1F2A', 'high', ['aws_lambda_function_url.orders_Url_3B4C5D6E (IG104)', 'module.uploads.aws_lambda_function_url.orders (IG104)']],
      ['any AWS principal (*)', 'aws_lambda_function.orders_Handler_9D0E1F2A', 'critical', ['aws_lambda_permission.orders_PublicInvoke_7F8A9B0C (IG101)']],
      ['sns.amazonaws.com (any account)', 'aws_lambda_function.orders_Handler_9D0E1F2A', 'high', ['aws_lambda_permission.orders_TopicInvoke_1C2D3E4F (IG102)']],
      ['account 444455556666', 'Orders', 'medium', ['PartnerMayInvoke (IG103)']],
      ['any AWS principal (*)', 'Orders', 'critical', ['AnyoneMayInvoke (IG101)']],
      ['s3.amazonaws.com (any account)', 'Orders', 'high', ['UploadsMayInvoke (IG102)']],
      ['anyone on the internet (function URL)', 'Orders', 'high', ['OrdersUrl (IG104)']],
      ['holders of OrdersRole', 'every function', 'high', ['OrdersRole (IG201)']],
      ['holders of Deployer', 'every function', 'critical', ['Deployer (IG204)', 'Deployer (IG201)']],
      ['holders of examples/iam/vulnerable/ci-deployer-policy.json', 'every function', 'high', ['examples/iam/vulnerable/ci-deployer-policy.json (IG201)', 'examples/iam/vulnerable/ci-deployer-policy.json (IG202)', 'examples/iam/vulnerable/ci-deployer-policy.json (IG205)']],
      ['any AWS principal (*)', 'arn:aws:lambda:us-east-1:111122223333:function:orders', 'critical', ['examples/iam/vulnerable/orders-function-policy.json (IG101)']],
      ['s3.amazonaws.com (any account)', 'arn:aws:lambda:us-east-1:111122223333:function:orders', 'high', ['examples/iam/vulnerable/orders-function-policy.json (IG102)']],
      ['holders of aws_iam_role.orders', 'every function', 'high', ['aws_iam_role.orders (IG201)', 'aws_iam_role.orders (IG202)', 'aws_iam_role.orders (IG205)']],
      ['any AWS principal (*)', 'aws_lambda_function.orders', 'critical', ['aws_lambda_permission.nightly (IG101)', 'aws_lambda_permission.public (IG101)']],
      ['s3.amazonaws.com (any account)', 'aws_lambda_function.orders_Handler_9D0E1F2A', 'high', ['module.uploads.aws_lambda_permission.s3 (IG102)']],
      ['anyone on the internet (function URL)', 'Api', 'high', ['Api (IG104)']],
      ['holders of Api', 'every function', 'high', ['Api (IG201)']],
      ['any AWS principal (*)', 'Worker', 'critical', ['LegacyHook (IG101)']],
      ['sns.amazonaws.com (any account)', 'Worker', 'high', ['TopicHook (IG102)']],
      ['account 444455556666', 'aws_lambda_function.orders', 'medium', ['aws_lambda_permission.partner (IG103)']],
      ['holders of aws_iam_role_policy.deployer', 'every function', 'high', ['aws_iam_role_policy.deployer (IG201)', 'aws_iam_role_policy.deployer (IG202)', 'aws_iam_role_policy.deployer (IG205)']],
      ['s3.amazonaws.com (any account)', 'aws_lambda_function.orders', 'high', ['aws_lambda_permission.from_s3 (IG102)']],
      ['anyone on the internet (function URL)', 'aws_lambda_function.orders', 'high', ['aws_lambda_function_url.orders (IG104)']],
      ['holders of aws_iam_policy.invoker', 'every function', 'high', ['aws_iam_policy.invoker (IG201)']],
    ]);
  });

  it('draws the same graph and groups when every message and evidence is reworded', async () => {
    const paths = ['examples', ...GRANT_FIXTURES];
    const original = await scanned(paths);
    const reworded = await scanned(paths, rewordedRules());
    // The double did reword: no message or evidence survives.
    expect(reworded.findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual(original.findings.map((f) => [f.ruleId, f.resource, f.range.line]));
    const texts = new Set(original.findings.flatMap((f) => [f.message, f.evidence ?? '']));
    expect(reworded.findings.filter((f) => texts.has(f.message) || (f.evidence !== undefined && texts.has(f.evidence)))).toEqual([]);
    expect(graphFromFindings(reworded.findings)).toEqual(graphFromFindings(original.findings));
    expect(drawn(reworded)).toEqual(drawn(original));
    expect(graphFromFindings(original.findings).edges.length).toBeGreaterThan(40);
  });

  it('every invoke-grant finding carries its grant', async () => {
    const { findings } = await scanned(['examples', ...GRANT_FIXTURES]);
    const grants = findings.filter((f) => /^IG1\d\d$/.test(f.ruleId));
    expect(new Set(grants.map((f) => f.ruleId))).toEqual(new Set(['IG101', 'IG102', 'IG103', 'IG104', 'IG105']));
    expect(grants.filter((f) => f.grant === undefined)).toEqual([]);
    expect(findings.filter((f) => !/^IG1\d\d$/.test(f.ruleId) && f.grant !== undefined)).toEqual([]);
  });

  it('records whom each rule’s grant opens the function to, and the function it names', async () => {
    const grants = async (path: string) => (await scanned([path])).findings.filter((f) => f.grant).map((f) => [f.ruleId, f.resource, f.range.line, f.grant]);
    expect(await grants('test/fixtures/IG102/fail.tf')).toEqual([
      ['IG102', 'aws_lambda_permission.s3_bucket_only', 8, { grantee: { kind: 'service', service: 's3.amazonaws.com' }, function: 'orders' }],
      ['IG102', 'aws_lambda_permission.sns_nothing', 15, { grantee: { kind: 'service', service: 'sns.amazonaws.com' }, function: 'orders' }],
      ['IG102', 'aws_lambda_permission.s3_literal_bucket', 21, { grantee: { kind: 'service', service: 's3.amazonaws.com' }, function: 'orders' }],
      ['IG102', 'aws_lambda_permission.alexa_any_skill', 29, { grantee: { kind: 'service', service: 'alexa-appkit.amazon.com' }, function: 'orders' }],
      ['IG102', 'aws_lambda_permission.smart_home_account_only', 36, { grantee: { kind: 'service', service: 'alexa-connectedhome.amazon.com' }, function: 'orders' }],
    ]);
    expect((await grants('test/fixtures/IG103/fail.tf')).slice(0, 2)).toEqual([
      ['IG103', 'aws_lambda_permission.stranger_account', 4, { grantee: { kind: 'account', account: '999988887777' }, function: 'orders' }],
      ['IG103', 'aws_lambda_permission.stranger_role', 10, { grantee: { kind: 'account', account: '999988887777' }, function: 'orders' }],
    ]);
    expect(await grants('test/fixtures/IG104/fail.tf')).toEqual([
      ['IG104', 'aws_lambda_function_url.open', 3, { grantee: { kind: 'internet' }, function: 'orders' }],
      ['IG104', 'aws_lambda_function_url.via_variable', 12, { grantee: { kind: 'internet' }, function: 'orders' }],
    ]);
    // A URL names its function by reference: the graph draws to the function, not to the URL resource.
    expect(await grants('test/fixtures/IG104/fail.cfn.yaml')).toEqual([
      ['IG104', 'Open', 16, { grantee: { kind: 'internet' }, function: 'Orders' }],
      ['IG104', 'ViaParameter', 21, { grantee: { kind: 'internet' }, function: 'Orders' }],
    ]);
    expect((await grants('test/fixtures/IG105/fail.tf'))[0]).toEqual(['IG105', 'aws_lambda_permission.everything', 2, { grantee: { kind: 'principal', principal: '123456789012' }, function: 'orders' }]);
  });

  it('draws a grant whose function cannot be named as its permission’s, as before', async () => {
    const dir = tempTree({ 'main.tf': 'resource "aws_lambda_permission" "open" {\n  action    = "lambda:InvokeFunction"\n  principal = "*"\n}\n' });
    const { findings } = await scan({ paths: [dir], cwd: dir });
    expect(findings.map((f) => [f.ruleId, f.range.line, f.message, f.grant])).toEqual([
      ['IG101', 3, expect.stringContaining('invoke the function: '), { grantee: { kind: 'any-principal' } }],
    ]);
    expect(labelled(graphFromFindings(findings))).toEqual([['any AWS principal (*)', 'function of aws_lambda_permission.open', 'critical', ['aws_lambda_permission.open (IG101)']]]);
  });

  it('draws a grant that invokes nothing from its principal to the function it names, not to a word of its message', async () => {
    const graph = labelled(graphFromFindings((await scanned(['test/fixtures/IG105/fail.tf'])).findings));
    // The message of lambda:GetFunction reads "… no invoke action: …"; the graph once took "action" for the function.
    expect(graph).toContainEqual([
      '123456789012',
      'orders',
      'medium',
      ['aws_lambda_permission.everything (IG105)', 'aws_lambda_permission.read (IG105)', 'aws_lambda_permission.star (IG105)', 'aws_lambda_permission.invoke_star (IG105)'],
    ]);
    expect(graph.filter(([, to]) => to === 'action')).toEqual([]);
  });

  it('names every AWS service, not the text of its evidence, for "*" limited to services', async () => {
    const graph = labelled(graphFromFindings((await scanned(['test/fixtures/IG101/fail.iam.json'])).findings));
    expect(graph).toContainEqual(['any AWS service (any account)', 'arn:aws:lambda:us-east-1:123456789012:function:orders', 'high', ['test/fixtures/IG101/fail.iam.json (IG102)']]);
  });

  it('leaves JSON and SARIF output without the grant', async () => {
    const result = await scanned(['examples/cloudformation/vulnerable']);
    expect(result.findings.filter((f) => f.grant !== undefined).length).toBeGreaterThan(0);
    for (const format of [formatJson, formatSarif]) expect(format(result, { version: '1.2.3', color: false })).not.toMatch(/"grant(ee)?":/);
  });
});
