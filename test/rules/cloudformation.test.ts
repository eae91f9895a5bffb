import { describe, expect, it } from '@jest/globals';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { formatGithub } from '../../src/report/github.js';
import { formatSarif } from '../../src/report/sarif.js';
import { ruleTriples, scanPaths, triples } from '../helpers/scan.js';

const CONFIG: Record<string, InvokeguardConfig> = {
  IG103: { file: 'test', rules: {}, accounts: ['111122223333'], orgId: 'o-mine12345', cidrs: [], include: [], exclude: [] },
};

/** Each rule's CloudFormation fixtures, YAML and (where written) JSON: exact [rule, logical id, line]; passing fixtures fire nothing. */
const EXPECTED: Record<string, Partial<Record<'yaml' | 'json', Array<[string, string, number]>>>> = {
  IG101: {
    yaml: [
      ['IG101', 'Public', 18],
      ['IG101', 'ViaParameter', 24],
      ['IG101', 'PublicUrl', 30],
      ['IG101', 'PinnedOnlySometimes', 37],
      ['IG101', 'WildcardAccountArn', 44],
    ],
    json: [
      ['IG101', 'Public', 33],
      ['IG101', 'ViaParameter', 46],
      ['IG101', 'PublicUrl', 58],
      ['IG101', 'PinnedOnlySometimes', 69],
      ['IG101', 'WildcardAccountArn', 90],
    ],
  },
  IG102: {
    yaml: [
      ['IG102', 'S3BucketOnly', 20],
      ['IG102', 'SnsNothing', 27],
      ['IG102', 'S3FromMapping', 33],
      ['IG102', 'EventsJoinedWildcard', 40],
      // Alexa: no EventSourceToken (skill id); a SourceAccount does not stand in for one.
      ['IG102', 'AlexaAnySkill', 47],
      ['IG102', 'SmartHomeAccountOnly', 53],
    ],
    json: [
      ['IG102', 'S3BucketOnly', 30],
      ['IG102', 'SnsNothing', 46],
      ['IG102', 'S3FromMapping', 56],
      ['IG102', 'EventsJoinedWildcard', 73],
    ],
  },
  IG103: {
    yaml: [
      ['IG103', 'StrangerAccount', 12],
      // The partition substituted by !Sub must not hide the account.
      ['IG103', 'StrangerRole', 18],
      ['IG103', 'StrangerRoot', 24],
      ['IG103', 'OtherOrg', 30],
      // Read as invoke like IG101 reads them; lambda:GetFunction / lambda:Get* (pass.cfn.yaml) invoke nothing.
      ['IG103', 'StrangerInvokeAsync', 37],
      ['IG103', 'StrangerUnknownAction', 43],
    ],
  },
  IG104: {
    yaml: [
      ['IG104', 'Open', 16],
      ['IG104', 'ViaParameter', 21],
    ],
    json: [
      ['IG104', 'Open', 29],
      ['IG104', 'ViaParameter', 41],
    ],
  },
  IG105: {
    yaml: [
      ['IG105', 'Everything', 16],
      ['IG105', 'Read', 22],
      ['IG105', 'GetFunction', 28],
      // Too wide in one Fn::If branch is too wide.
      ['IG105', 'WideOutsideProd', 34],
      // A bare "*" is every Lambda action.
      ['IG105', 'Star', 40],
    ],
  },
  IG201: {
    yaml: [
      ['IG201', 'InvokeStar', 10],
      ['IG201', 'UserInline', 22],
      ['IG201', 'Everything', 32],
      ['IG201', 'Worker', 43],
    ],
    json: [
      ['IG201', 'InvokeStar', 12],
      ['IG201', 'UserInline', 31],
      ['IG201', 'Everything', 52],
      ['IG201', 'Worker', 74],
    ],
  },
  IG202: {
    yaml: [
      ['IG202', 'LambdaAdmin', 10],
      ['IG202', 'Admin', 20],
      // Every function of the deploying account, written with pseudo parameters.
      ['IG202', 'Operator', 35],
    ],
  },
  IG203: {
    yaml: [
      ['IG203', 'NotIam', 9],
      ['IG203', 'NotResource', 20],
    ],
  },
  IG205: {
    yaml: [
      ['IG205', 'Tamper', 9],
      ['IG205', 'Tamper', 12],
      ['IG205', 'Deployer', 22],
      ['IG205', 'PolicyReplacer', 30],
    ],
  },
  IG902: {
    yaml: [
      ['IG902', 'Typos', 10],
      ['IG902', 'Typos', 11],
      ['IG902', 'Typos', 12],
      ['IG902', 'Worker', 27],
    ],
  },
  // Reported on the file, at the ignored key: a property, then a whole resource under the same logical id.
  IG904: {
    yaml: [
      ['IG904', 'test/fixtures/IG904/fail.cfn.yaml', 12],
      ['IG904', 'test/fixtures/IG904/fail.cfn.yaml', 15],
    ],
    json: [
      ['IG904', 'test/fixtures/IG904/fail.cfn.json', 12],
      ['IG904', 'test/fixtures/IG904/fail.cfn.json', 16],
    ],
  },
};

describe.each(Object.keys(EXPECTED))('%s CloudFormation fixtures', (rule) => {
  const exts = Object.keys(EXPECTED[rule]) as Array<'yaml' | 'json'>;
  it.each(exts)('fails exactly the failing resources, at their lines (%s)', async (ext) => {
    expect(await ruleTriples(rule, `test/fixtures/${rule}/fail.cfn.${ext}`, CONFIG[rule])).toEqual(EXPECTED[rule][ext]);
  });
  it.each(exts)('passes the passing fixture (%s)', async (ext) => {
    expect(await ruleTriples(rule, `test/fixtures/${rule}/pass.cfn.${ext}`, CONFIG[rule])).toEqual([]);
  });
});

describe('SAM', () => {
  it('an Api/S3/Schedule function with a LambdaInvokePolicy scoped to one function gives no finding', async () => {
    expect(await triples('test/fixtures/sam/scoped.cfn.yaml')).toEqual([]);
  });
  it('an AlexaSkill event without SkillId lets any skill invoke: IG102 at its Type line; with SkillId, nothing', async () => {
    expect(await triples('test/fixtures/sam/alexa.cfn.yaml')).toEqual([['IG102', 'AnySkill', 12]]);
  });
  it('the same function with FunctionUrlConfig AuthType NONE gives IG104 at the AuthType line', async () => {
    expect(await triples('test/fixtures/sam/url-none.cfn.yaml')).toEqual([['IG104', 'Api', 19]]);
  });
  it('AWS managed policy names grant invoke on every function, reported at the name; an unpinned SNS topic event is IG102', async () => {
    expect(await triples('test/fixtures/sam/managed.cfn.yaml')).toEqual([
      ['IG201', 'Dispatcher', 11],
      // LambdaInvokePolicy with FunctionName "*" expands to function:** in this account: every function.
      ['IG201', 'Dispatcher', 12],
      // AWSLambda_FullAccess passes any role to Lambda and allows lambda:*: the role SAM generates for Admin can escalate.
      ['IG204', 'AdminRole', 14],
      // lambda:* on every resource: the function's token would control every function.
      ['IG301', 'AdminRole', 14],
      ['IG201', 'Admin', 20],
      // AWSLambda_FullAccess is lambda:* on *: full control and permission tampering too.
      ['IG202', 'Admin', 20],
      ['IG205', 'Admin', 20],
      ['IG102', 'Admin', 23],
    ]);
  });
});

describe('AWS::LanguageExtensions Fn::ForEach loops, expanded as CloudFormation expands them', () => {
  // Logical ids as CloudFormation generates them (`&{Team}` drops the "-" and "." of the items), each at the line in the loop body.
  const generated = (permission: number, url: number): Array<[string, string, number]> => [
    ['IG101', 'PermissionBilling', permission],
    ['IG101', 'PermissionOrders', permission],
    ['IG104', 'UrlblueteamDev', url],
    ['IG104', 'UrlblueteamProd', url],
    ['IG104', 'UrlredteamDev', url],
    ['IG104', 'UrlredteamProd', url],
  ];
  it('finds the public permission each iteration generates and the NONE URL of a nested loop over a parameter, in YAML', async () => {
    expect(await triples('test/fixtures/language-extensions/fail.cfn.yaml')).toEqual(generated(28, 38));
  });
  it('and in JSON', async () => {
    expect(await triples('test/fixtures/language-extensions/fail.cfn.json')).toEqual(generated(28, 44));
  });
  it('a loop generating only scoped permissions and IAM-authenticated URLs fires nothing', async () => {
    expect(await triples('test/fixtures/language-extensions/pass.cfn.yaml')).toEqual([]);
  });
});

describe('continuation lines indented as PyYAML and CloudFormation accept them', () => {
  it('analyses the whole template, past a flow map and a quoted !Sub policy left of their keys (YAML 1.2 stops at the first)', async () => {
    expect(await triples('test/fixtures/sam/lenient-indent.cfn.yaml')).toEqual([
      // The policy's statement, inside the quoted !Sub string (its line as written, before re-indenting).
      ['IG201', 'DispatcherRole', 23],
      ['IG101', 'OpenToAll', 37],
    ]);
  });
});

describe('anchors, aliases and merge keys, expanded as sam deploy and aws cloudformation package expand them', () => {
  it('finds a NONE function URL and a public permission written through aliases, at the anchored value (where --fix edits)', async () => {
    expect(await triples('test/fixtures/sam/aliases.cfn.yaml')).toEqual([
      ['IG104', 'ViaAlias', 8],
      ['IG104', 'ViaMergeKey', 13],
      ['IG101', 'Anyone', 49],
      ['IG101', 'AnyoneAgain', 55],
    ]);
  });
});

describe('AWS CDK synth output (cdk.out)', () => {
  const template = 'test/fixtures/cdk/cdk.out/ApiStack.template.json';

  it('names the construct each finding comes from (aws:cdk:path), in every format, and edits no generated template', async () => {
    const result = await scanPaths('test/fixtures/cdk');
    expect(result.findings.map((f) => [f.ruleId, f.resource, f.range.file, f.range.line, f.constructPath])).toEqual([
      ['IG303', 'OrdersServiceRoleC4D1E2F3', template, 8, 'ApiStack/Orders/ServiceRole/Resource'],
      ['IG104', 'OrdersFunctionUrl5E6F7A8B', template, 51, 'ApiStack/Orders/FunctionUrl/Resource'],
      ['IG101', 'OrdersinvokefunctionurlC9D0E1F2', template, 74, 'ApiStack/Orders/invoke-function-url'],
    ]);
    const url = result.findings.find((f) => f.ruleId === 'IG104')!;
    expect(url.fix!.edits).toEqual([]);
    expect(url.fix!.description).toContain('Not applied by --fix: the file is synthesised by the AWS CDK: change the construct ApiStack/Orders/FunctionUrl/Resource instead.');
    const sarif = JSON.parse(formatSarif(result, { version: 'test', color: false })) as { runs: Array<{ results: Array<{ properties: { constructPath?: string } }> }> };
    expect(sarif.runs[0].results.map((r) => r.properties.constructPath)).toEqual(['ApiStack/Orders/ServiceRole/Resource', 'ApiStack/Orders/FunctionUrl/Resource', 'ApiStack/Orders/invoke-function-url']);
    expect(formatGithub(result, { version: 'test', color: false })).toContain('%0AConstruct: ApiStack/Orders/FunctionUrl/Resource%0A');
  });
});

describe('IG901 for CloudFormation', () => {
  it('reports broken YAML where the parser stops (the line after an unclosed flow sequence)', async () => {
    // What parsed before the damage is still analysed, as for HCL.
    expect(await triples('test/fixtures/IG901/broken.cfn.yaml')).toEqual([
      ['IG101', 'Public', 8],
      ['IG901', 'test/fixtures/IG901/broken.cfn.yaml', 10],
    ]);
  });
  it('reports broken JSON at the exact line and still analyses what parsed', async () => {
    const found = await triples('test/fixtures/IG901/broken.cfn.json');
    expect(found).toContainEqual(['IG901', 'test/fixtures/IG901/broken.cfn.json', 14]);
    expect(found).toContainEqual(['IG101', 'Public', 9]);
  });
  it('refuses a YAML alias bomb quickly, with a located error', async () => {
    const started = Date.now();
    const found = await triples('test/fixtures/IG901/alias-bomb.cfn.yaml');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(found).toEqual([['IG901', 'test/fixtures/IG901/alias-bomb.cfn.yaml', 4]]);
  });
});

describe('CloudFormation and SAM examples', () => {
  it.each(['cloudformation', 'sam'])('%s: the vulnerable example fires every rule, the fixed one nothing', async (kind) => {
    const vulnerable = await triples(`examples/${kind}/vulnerable`);
    expect([...new Set(vulnerable.map(([rule]) => rule))]).toEqual(expect.arrayContaining(['IG101', 'IG102', 'IG104', 'IG201']));
    expect(await triples(`examples/${kind}/fixed`)).toEqual([]);
  });
});
