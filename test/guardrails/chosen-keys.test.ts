import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { candidates, cidrEdges, type KeyCondition } from '../../src/guardrails/choices.js';
import { valueMatches } from '../../src/guardrails/condition-values.js';
import { documentDenies, type RequestContext } from '../../src/guardrails/evaluate.js';
import { guardrailSpec, scenarioRequest } from '../../src/guardrails/scenarios.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { policyDocumentFromValue } from '../../src/model/policy-document.js';
import { createPositionMapper } from '../../src/model/range.js';
import type { PolicyDocument } from '../../src/model/types.js';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { scan } from '../../src/scan.js';
import { propertyParameters } from '../helpers/property.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * Keys every real request carries (region, source address, the principal's organisation, …) are
 * chosen by the attacker: an SCP counts only if it denies the attack whatever they hold.
 */

const ORG = 'aws_organizations_organization.org';

/** An organisation whose root carries one SCP per statement list (the root stands on line 1). */
function orgWith(...scps: object[][]): string {
  const lines = ['resource "aws_organizations_organization" "org" {', '  feature_set = "ALL"', '}'];
  scps.forEach((statements, i) => {
    lines.push(
      '',
      `resource "aws_organizations_policy" "scp${i}" {`,
      `  name    = "scp${i}"`,
      `  content = ${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: statements }))}`,
      '}',
      '',
      `resource "aws_organizations_policy_attachment" "scp${i}" {`,
      `  policy_id = aws_organizations_policy.scp${i}.id`,
      '  target_id = aws_organizations_organization.org.roots[0].id',
      '}',
    );
  });
  return `${lines.join('\n')}\n`;
}

/** The IG401–IG405 findings of a scan, as [ruleId, resource, line]. */
async function preventive(text: string, orgId?: string): Promise<Array<[string, string, number]>> {
  const dir = tempTree({ 'org.tf': text });
  const config: InvokeguardConfig | undefined = orgId ? { file: 'test', rules: {}, accounts: [], orgId, cidrs: [], include: [], exclude: [] } : undefined;
  const { findings } = await scan({ paths: [dir], cwd: dir, ...(config ? { config } : {}) });
  return findings.filter((f) => /^IG40[1235]$/.test(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line]);
}

const ALL_FOUR: Array<[string, string, number]> = [['IG401', ORG, 1], ['IG402', ORG, 1], ['IG403', ORG, 1], ['IG405', ORG, 1]];

const REGION_LOCK = {
  Sid: 'DenyOutsideEU',
  Effect: 'Deny',
  NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*', 'cloudfront:*', 'route53:*'],
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
};
const PUBLIC_URL_DENY = guardrailSpec('IG401').statements;
const urlDenyIn = (operator: string, region = 'us-east-1') => ({
  Effect: 'Deny',
  Action: ['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'],
  Resource: '*',
  Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' }, [operator]: { 'aws:RequestedRegion': region } },
});

describe('attacker-chosen request keys (scan)', () => {
  it('a region-lock SCP silences none of IG401/402/403/405: the attacker works in an allowed region', async () => {
    expect(await preventive(orgWith())).toEqual(ALL_FOUR);
    expect(await preventive(orgWith([REGION_LOCK]))).toEqual(ALL_FOUR);
  });

  it('a Deny-all for principals outside the organisation never denies an insider', async () => {
    const outsiders = { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } };
    expect(await preventive(orgWith([outsiders]))).toEqual(ALL_FOUR);
    expect(await preventive(orgWith([outsiders]), 'o-abc123')).toEqual(ALL_FOUR);
    // With the config naming another organisation, the principal's org id is that one: everything is denied.
    expect(await preventive(orgWith([outsiders]), 'o-zzz999')).toEqual([]);
  });

  it('a region lock together with a real public-URL deny: IG401 is satisfied, the others fire', async () => {
    expect(await preventive(orgWith([REGION_LOCK], PUBLIC_URL_DENY as object[]))).toEqual([['IG402', ORG, 1], ['IG403', ORG, 1], ['IG405', ORG, 1]]);
  });

  it('a public-URL deny limited to one region does not count; two that cover every region together do', async () => {
    expect((await preventive(orgWith([urlDenyIn('StringEquals')]))).filter(([rule]) => rule === 'IG401')).toEqual([['IG401', ORG, 1]]);
    expect((await preventive(orgWith([urlDenyIn('StringEquals')], [urlDenyIn('StringNotEquals')]))).filter(([rule]) => rule === 'IG401')).toEqual([]);
  });

  it('a region the scan cannot read leaves the verdict unknown (no finding)', async () => {
    expect((await preventive(orgWith([urlDenyIn('StringEquals', '${var.region}')]))).filter(([rule]) => rule === 'IG401')).toEqual([]);
  });

  it("IG403's perimeter with NotIpAddress aws:SourceIp still counts: the stolen token is used from outside", async () => {
    const perimeter = {
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Null: { 'lambda:SourceFunctionArn': 'false' }, NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
    };
    expect(await preventive(orgWith([REGION_LOCK], [perimeter]))).toEqual([['IG401', ORG, 1], ['IG402', ORG, 1], ['IG405', ORG, 1]]);
  });

  it("IG403's outside address is outside every range the perimeter allow-lists (the repro: 203.0.113.0/24 is the company's)", async () => {
    const perimeter = (...cidrs: string[]) => ({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Null: { 'lambda:SourceFunctionArn': 'false' }, NotIpAddressIfExists: { 'aws:SourceIp': cidrs }, BoolIfExists: { 'aws:ViaAWSService': 'false' } },
    });
    const ig403 = async (...cidrs: string[]) => (await preventive(orgWith([perimeter(...cidrs)]))).filter(([rule]) => rule === 'IG403');
    for (const cidrs of [['203.0.113.0/24'], ['200.0.0.0/6'], ['198.51.100.0/24'], ['203.0.113.7', '2001:db8::/32']]) expect([cidrs, await ig403(...cidrs)]).toEqual([cidrs, []]);
    // Every IPv4 (or every IPv6) address allow-listed: no perimeter, the token works from anywhere.
    for (const cidrs of [['0.0.0.0/0'], ['0.0.0.0/1', '128.0.0.0/1'], ['10.0.0.0/8', '::/0']]) expect([cidrs, await ig403(...cidrs)]).toEqual([cidrs, [['IG403', ORG, 1]]]);
  });

  it("IG405's outside account is none the policies or the config name: an allow-listed partner is not the attacker", async () => {
    const allowList = (...principals: string[]) => ({
      Effect: 'Deny',
      Action: ['lambda:AddPermission', 'lambda:PutResourcePolicy'],
      Resource: '*',
      Condition: { StringNotLike: { 'lambda:Principal': ['111122223333', 'arn:aws:iam::111122223333:*', ...principals] } },
    });
    const ig405 = async (...principals: string[]) => (await preventive(orgWith([allowList(...principals)]))).filter(([rule]) => rule === 'IG405');
    expect(await ig405('444455556666', 'arn:aws:iam::444455556666:*')).toEqual([]);
    expect(await ig405('444455556666', '444455556667', 'arn:aws:iam::444455556666:*', 'arn:aws:iam::444455556667:*')).toEqual([]);
    // A wildcard is no account: every account matching it gets through.
    expect(await ig405('*')).toEqual([['IG405', ORG, 1]]);
    expect(await ig405('4444555566*', 'arn:aws:iam::4444555566*')).toEqual([['IG405', ORG, 1]]);
  });

  it('a source-IP deny does not stop IG401/402/405: the attacker may act from inside the network', async () => {
    const fromOutside = { Effect: 'Deny', Action: 'lambda:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } };
    expect(await preventive(orgWith([fromOutside]))).toEqual(ALL_FOUR);
  });
});

function scp(...statements: object[]): PolicyDocument {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return policyDocumentFromValue(parseJsonValue(text, createPositionMapper('scp.json', text)).value!)!;
}

const FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:victim';
const request = (chosen: RequestContext['chosen'], keys: RequestContext['keys'] = {}): RequestContext => ({ action: 'lambda:AddPermission', resource: FUNCTION, keys, chosen });
const deny = (condition: object) => ({ Effect: 'Deny', Action: 'lambda:AddPermission', Resource: '*', Condition: condition });

describe('attacker-chosen request keys (evaluator)', () => {
  it('a chosen key is present: Null "true" on it does not hold, Null "false" does', () => {
    const chosen = request({ 'aws:RequestedRegion': 'region' });
    expect(documentDenies(scp(deny({ Null: { 'aws:RequestedRegion': 'true' } })), chosen)).toBe('not-denied');
    expect(documentDenies(scp(deny({ Null: { 'aws:RequestedRegion': 'false' } })), chosen)).toBe('denied');
  });

  it('regions: a wildcard lock lets a matching region through; locking every listed region out denies', () => {
    const chosen = request({ 'aws:RequestedRegion': 'region' });
    expect(documentDenies(scp(deny({ StringNotLike: { 'aws:RequestedRegion': 'eu-*' } })), chosen)).toBe('not-denied');
    expect(documentDenies(scp(deny({ StringLike: { 'aws:RequestedRegion': '*' } })), chosen)).toBe('denied');
    expect(documentDenies(scp(deny({ StringLike: { 'aws:RequestedRegion': 'eu-*' } }), deny({ StringNotLike: { 'aws:RequestedRegion': 'eu-*' } })), chosen)).toBe('denied');
  });

  it('source addresses: every run between nested CIDRs is tried', () => {
    const chosen = request({ 'aws:SourceIp': 'ip' });
    // 10.0.1.0–10.0.255.255 is inside the /16 and outside the /24: neither statement denies it.
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '10.0.0.0/24' } }), deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/16' } })), chosen)).toBe('not-denied');
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '10.0.0.0/16' } }), deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/16' } })), chosen)).toBe('denied');
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } })), chosen)).toBe('denied');
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })), chosen)).toBe('not-denied');
  });

  it('a fixed key wins over a chosen one of the same name', () => {
    const outside = request({ 'aws:SourceIp': 'ip' }, { 'aws:SourceIp': '203.0.113.7' });
    expect(documentDenies(scp(deny({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })), outside)).toBe('denied');
  });

  it('outside addresses: only those outside every named range are tried, both families', () => {
    const outside = request({ 'aws:SourceIp': 'outside-ip' });
    const allowList = (...cidrs: string[]) => scp(deny({ NotIpAddress: { 'aws:SourceIp': cidrs } }));
    expect(documentDenies(allowList('203.0.113.0/24'), outside)).toBe('denied');
    expect(documentDenies(allowList('0.0.0.0/0'), outside)).toBe('not-denied');
    expect(documentDenies(allowList('0.0.0.0/0', '::/0'), outside)).toBe('not-denied');
    // A Deny of one range still lets every other outside address through.
    expect(documentDenies(scp(deny({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })), outside)).toBe('not-denied');
    expect(candidates('outside-ip', [{ base: 'NotIpAddress', patterns: ['203.0.113.0/24'] }])).toEqual({ values: ['2001:db8::7'], complete: true });
    // With every IPv6 address named, any IPv6 address is outside; 203.0.113.7, inside the IPv4 range, is not.
    expect(candidates('outside-ip', [{ base: 'NotIpAddress', patterns: ['203.0.113.0/24', '::/0'] }]).values).toEqual(['2001:db8::7', '203.0.112.255']);
  });

  it('an outside account is filled in per policy set, avoiding the accounts they, the request and the config name', () => {
    const grant = request({}, { 'lambda:Principal': 'arn:aws:iam::<OUTSIDE_ACCOUNT>:role/partner', 'aws:PrincipalAccount': '111122223333' });
    const allowList = (...accounts: string[]) => scp(deny({ StringNotLike: { 'lambda:Principal': accounts.map((a) => `arn:aws:iam::${a}:*`) } }));
    expect(documentDenies(allowList('444455556666'), grant)).toBe('denied');
    expect(documentDenies(allowList('111122223333'), grant)).toBe('denied');
    expect(documentDenies(allowList('444455556666', '444455556667'), grant)).toBe('denied');
    // A pattern names no account: "*7" lets the next id, 444455556667, through...
    const endsIn7 = scp(deny({ StringNotLike: { 'lambda:Principal': ['arn:aws:iam::444455556666:*', 'arn:aws:iam::*7:*'] } }));
    expect(documentDenies(endsIn7, grant)).toBe('not-denied');
    // ...unless the config names it as the organisation's own: then the outside account is 444455556668.
    expect(documentDenies(endsIn7, { ...grant, ownAccounts: ['444455556667'] })).toBe('denied');
    expect(documentDenies(endsIn7, scenarioRequest({ name: 'grant', ...grant }, { accounts: ['444455556667'] }))).toBe('denied');
  });

  it('booleans: both values are tried', () => {
    const chosen = request({ 'aws:SecureTransport': 'bool' });
    expect(documentDenies(scp(deny({ Bool: { 'aws:SecureTransport': 'false' } })), chosen)).toBe('not-denied');
    expect(documentDenies(scp(deny({ Bool: { 'aws:SecureTransport': 'false' } }), deny({ Bool: { 'aws:SecureTransport': 'true' } })), chosen)).toBe('denied');
  });

  it('an unreadable key is present with a value we cannot know: its conditions stay unknown', () => {
    const chosen = request({ 'aws:userid': 'unreadable' });
    expect(documentDenies(scp(deny({ StringNotLike: { 'aws:userid': 'AROAEXAMPLE:*' } })), chosen)).toBe('unknown');
    expect(documentDenies(scp(deny({ Null: { 'aws:userid': 'true' } })), chosen)).toBe('not-denied');
    expect(documentDenies(scp(deny({ Null: { 'aws:userid': 'false' } })), chosen)).toBe('denied');
  });

  it('free strings: a value may match two Denies\' different wildcard patterns at once', () => {
    const paths = request({ 'aws:PrincipalOrgPaths': 'string' });
    const spares = (operator: string, pattern: string) => deny({ [operator]: { 'aws:PrincipalOrgPaths': pattern } });
    // "o-abc/ou-prod/" is spared by both.
    expect(documentDenies(scp(spares('StringNotLike', 'o-abc/*'), spares('StringNotLike', '*/ou-prod/*')), paths)).toBe('not-denied');
    // Every path matching both also matches "o-abc/*ou-prod/*": denied, and shown to be.
    expect(documentDenies(scp(spares('StringNotLike', 'o-abc/*'), spares('StringNotLike', '*/ou-prod/*'), spares('StringLike', 'o-abc/*ou-prod/*')), paths)).toBe('denied');
    // "o-abc/ou-prod/" does not match "o-abc/*/ou-prod/*" (no second slash before ou-prod).
    expect(documentDenies(scp(spares('StringNotLike', 'o-abc/*'), spares('StringNotLike', '*/ou-prod/*'), spares('StringLike', 'o-abc/*/ou-prod/*')), paths)).toBe('not-denied');
    // Values compare case-sensitively: "o-abc/OU-PROD/" matches the upper-case pattern and not the lower-case one.
    expect(documentDenies(scp(spares('StringNotLike', 'o-abc/*'), spares('StringNotLike', '*/OU-PROD/*'), spares('StringLike', '*/ou-prod/*')), paths)).toBe('not-denied');
    // StringEquals reads `*` as itself: only the value "o-abc/*" is spared by the first, and the second denies it.
    expect(documentDenies(scp(spares('StringNotEquals', 'o-abc/*'), spares('StringLike', 'o-abc/\\*')), paths)).toBe('not-denied');
    expect(documentDenies(scp(spares('StringNotEquals', 'o-abc/*'), spares('StringLike', 'o-abc/?')), paths)).toBe('denied');
  });

  it('free strings: an operator the witness search does not read leaves "every value denied" unknown', () => {
    const paths = request({ 'aws:PrincipalOrgPaths': 'string' });
    const both = scp(deny({ StringEqualsIgnoreCase: { 'aws:PrincipalOrgPaths': 'o-abc/' } }), deny({ StringNotEqualsIgnoreCase: { 'aws:PrincipalOrgPaths': 'o-abc/' } }));
    expect(documentDenies(both, paths)).toBe('unknown');
    // One value getting through still shows the gap.
    expect(documentDenies(scp(deny({ StringEqualsIgnoreCase: { 'aws:PrincipalOrgPaths': 'o-abc/' } })), paths)).toBe('not-denied');
  });

  it("the organisation's id: any id a policy names unless the config fixes it", () => {
    const [scenario] = guardrailSpec('IG405').scenarios;
    const insiders = scp({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } });
    const outsiders = scp({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } });
    expect(documentDenies(outsiders, scenario)).toBe('not-denied');
    expect(documentDenies(insiders, scenario)).toBe('not-denied');
    expect(documentDenies(outsiders, scenarioRequest(scenario, { orgId: 'o-abc123' }))).toBe('not-denied');
    expect(documentDenies(insiders, scenarioRequest(scenario, { orgId: 'o-abc123' }))).toBe('denied');
  });

  it('every scenario states its keys: region always chosen, source address chosen (outside the named ranges for IG403)', () => {
    for (const rule of ['IG401', 'IG402', 'IG403', 'IG405'])
      for (const scenario of guardrailSpec(rule).scenarios) {
        expect([scenario.name, scenario.chosen?.['aws:RequestedRegion'], scenario.chosen?.['aws:PrincipalOrgID']]).toEqual([scenario.name, 'region', 'organisation']);
        expect([scenario.name, scenario.chosen?.['aws:SourceIp'], scenario.keys['aws:SourceIp']]).toEqual([scenario.name, rule === 'IG403' ? 'outside-ip' : 'ip', undefined]);
      }
  });
});

describe('cidrEdges', () => {
  it('gives the first and last address and their outside neighbours', () => {
    expect(cidrEdges('10.0.0.0/24')).toEqual(['9.255.255.255', '10.0.0.0', '10.0.0.255', '10.0.1.0']);
    expect(cidrEdges('10.0.0.7/24')).toEqual(['9.255.255.255', '10.0.0.0', '10.0.0.255', '10.0.1.0']);
    expect(cidrEdges('0.0.0.0/0')).toEqual(['0.0.0.0', '255.255.255.255']);
    expect(cidrEdges('192.0.2.1')).toEqual(['192.0.2.0', '192.0.2.1', '192.0.2.2']);
    expect(cidrEdges('2001:db8::/32')).toEqual(['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8:0:0:0:0:0:0', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9:0:0:0:0:0:0']);
    expect(cidrEdges('not-an-address')).toEqual([]);
    expect(cidrEdges('10.0.0.0/33')).toEqual([]);
  });
});

describe('the AWS managed FullAWSAccess SCP', () => {
  const fullAccess = ['', 'resource "aws_organizations_policy_attachment" "full" {', '  policy_id = "p-FullAWSAccess"', '  target_id = aws_organizations_organization.org.roots[0].id', '}', ''].join('\n');

  it('denies nothing, so attaching it leaves every gap reported (it is not an SCP of unknown content)', async () => {
    expect(await preventive(orgWith() + fullAccess)).toEqual(ALL_FOUR);
    expect(await preventive(orgWith(PUBLIC_URL_DENY) + fullAccess)).toEqual(ALL_FOUR.filter(([rule]) => rule !== 'IG401'));
  });

  it('does not hide an SCP attached nowhere (IG404)', async () => {
    const text = `${orgWith()}${fullAccess}\nresource "aws_organizations_policy" "forgotten" {\n  name    = "forgotten"\n  content = ${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: PUBLIC_URL_DENY }))}\n}\n`;
    const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'org.tf': text }) });
    expect(findings.filter((f) => f.ruleId === 'IG404').map((f) => [f.resource, f.range.line])).toEqual([['aws_organizations_policy.forgotten', 10]]);
  });
});

describe('candidates for a free string', () => {
  const OPERATORS = ['StringLike', 'StringNotLike', 'StringEquals', 'StringNotEquals'];
  // Patterns over a case pair, a separator and the wildcards, which StringEquals reads as characters.
  const pattern = fc.array(fc.constantFrom('a', 'A', '/', '*', '?'), { maxLength: 3 }).map((c) => c.join(''));
  const condition = fc.record({ base: fc.constantFrom(...OPERATORS), patterns: fc.array(pattern, { minLength: 1, maxLength: 2 }) });
  // Every string up to length 4 over those characters and one no pattern names: the brute-force oracle.
  const strings: string[] = [''];
  for (let n = 0, from = 0; n < 4; n++) {
    const to = strings.length;
    for (let i = from; i < to; i++) for (const c of ['a', 'A', '/', '*', '?', 'c']) strings.push(strings[i] + c);
    from = to;
  }
  const signature = (conditions: KeyCondition[], value: string) => conditions.map((c) => c.patterns.map((p) => (valueMatches(c.base, p, value) ? '1' : '0')).join('')).join('|');

  it('represent every way of matching the patterns that brute force finds, one value each, and say they are complete', () => {
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 3 }), (conditions) => {
        const found = candidates('string', conditions);
        const represented = found.values.map((v) => signature(conditions, v));
        expect(new Set(represented).size).toBe(represented.length);
        const known = new Set(represented);
        expect(strings.filter((value) => !known.has(signature(conditions, value)))).toEqual([]);
        expect(found.complete).toBe(true);
      }),
      propertyParameters(300),
    );
  });

  it('are not complete when an operator is one the search does not read', () => {
    expect(candidates('string', [{ base: 'StringLike', patterns: ['o-*'] }, { base: 'ArnLike', patterns: ['arn:aws:iam::*:role/x'] }]).complete).toBe(false);
    expect(candidates('organisation', [{ base: 'StringNotEquals', patterns: ['o-abc123'] }])).toEqual({ values: ['invokeguard-unlisted-value', 'o-abc123'], complete: true });
  });
});
