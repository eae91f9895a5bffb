import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../../src/report/json.js';
import { escapeCell, formatMarkdown } from '../../src/report/markdown.js';
import { formatStylish } from '../../src/report/stylish.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT, ruleTriples as triples, scanPaths } from '../helpers/scan.js';
import { tempCopy } from '../helpers/temp-tree.js';

/** Each guardrail rule's failing fixtures pin [rule, resource, line]; passing fixtures fire nothing for the rule. */
const FAILING: Record<string, Record<string, Array<[string, string, number]>>> = {
  IG401: {
    'fail.tf': [['IG401', 'aws_organizations_organization.org', 1]],
    'fail.cfn.yaml': [['IG401', 'Org', 3]],
    'scps/fail.json': [['IG401', 'test/fixtures/IG401/scps/fail.json', 1]],
    // Two Denies sparing different wildcard paths of aws:PrincipalOrgPaths: a path matching both is spared by both.
    'fail-org-paths.tf': [['IG401', 'aws_organizations_organization.org', 1]],
    // A Deny on us-east-1's functions only: the function may be in any region (the twin's Resource covers every region).
    'fail-region.tf': [['IG401', 'aws_organizations_organization.org', 2]],
    // A guardrail SCP whose Denies exempt member account 999988887777 / cover eu-central-1 and eu-west-1 functions only.
    'fail-account-exempt.tf': [['IG401', 'aws_organizations_organization.org', 3]],
    'fail-eu-only.tf': [['IG401', 'aws_organizations_organization.org', 2]],
  },
  // The account left directly under the root, where no guardrail is attached.
  IG402: {
    'fail.tf': [['IG402', 'aws_organizations_account.legacy', 13]],
    'fail.cfn.yaml': [['IG402', 'Legacy', 15]],
    // An SCP denying AddPermission alone: PutResourcePolicy writes a statement for Principal "*" all the same.
    'fail-put-resource-policy.tf': [['IG402', 'aws_organizations_organization.org', 1]],
    // AddPermission, PutResourcePolicy and layer sharing denied in us-east-1 only.
    'fail-region.tf': [['IG402', 'aws_organizations_organization.org', 2]],
  },
  IG403: {
    'fail.tf': [['IG403', 'aws_organizations_organization.org', 1]],
    'fail.cfn.yaml': [['IG403', 'Org', 3]],
    // An allow-list of every IPv4 address (two halves) has no outside; the passing twin lists the company's ranges, 203.0.113.0/24 among them.
    'fail-allow-list.tf': [['IG403', 'aws_organizations_organization.org', 1]],
    // The perimeter reaches the token of a function in us-east-1 only / in account 111122223333 only though attached at
    // the root (the twin attaches it to that account alone) / of any function not named trusted-*.
    'fail-region.tf': [['IG403', 'aws_organizations_organization.org', 2]],
    'fail-account.tf': [['IG403', 'aws_organizations_organization.org', 2]],
    'fail-name.tf': [['IG403', 'aws_organizations_organization.org', 2]],
  },
  IG404: {
    'fail.tf': [
      ['IG404', 'aws_organizations_policy.defects', 14],
      ['IG404', 'aws_organizations_policy.defects', 15],
      ['IG404', 'aws_organizations_policy.defects', 21],
      ['IG404', 'aws_organizations_policy.forgotten', 33],
    ],
    'fail.cfn.yaml': [
      ['IG404', 'NotAttached', 5],
      ['IG404', 'NotAttached', 15],
    ],
    'scps/fail.json': [['IG404', 'test/fixtures/IG404/scps/fail.json', 8]],
  },
  IG405: {
    'fail.tf': [['IG405', 'aws_organizations_organization.org', 1]],
    'fail.cfn.yaml': [['IG405', 'Org', 3]],
    'fail-put-resource-policy.cfn.yaml': [['IG405', 'Org', 3]],
    // A role name allowed in any account; the passing twin allow-lists partner account 444455556666 and its principals.
    'fail-partner.tf': [['IG405', 'aws_organizations_organization.org', 1]],
  },
  IG501: {
    'fail.tf': [['IG501', 'aws_cloudtrail.org', 5]],
    'fail.cfn.yaml': [['IG501', 'Trail', 5]],
    // A stopped trail records nothing; its twin's enable_logging is a variable without a default (not judged).
    'fail-stopped.tf': [['IG501', 'aws_cloudtrail.org', 6]],
    'fail-stopped.cfn.yaml': [['IG501', 'Trail', 5]],
    // Selectors whose other field selectors leave Invoke out (eventName, readOnly = true, ReadOnly basic selector).
    'fail-no-invoke.tf': [['IG501', 'aws_cloudtrail.org', 6]],
    'fail-no-invoke.cfn.yaml': [['IG501', 'Trail', 5]],
    // Selectors keeping some invokes only (a function-ARN prefix, one caller, one function's ARN, an event source no invoke has).
    'fail-partial.tf': [['IG501', 'aws_cloudtrail.org', 6]],
    'fail-partial.cfn.yaml': [['IG501', 'Trail', 5]],
    // An event data store selecting Lambda data events whose ingestion is stopped (suspend = "true", IngestionEnabled: false).
    'fail-ingestion.tf': [['IG501', 'aws_cloudtrail_event_data_store.lake', 6]],
    'fail-ingestion.cfn.yaml': [['IG501', 'Lake', 5]],
  },
  IG502: {
    'fail.tf': [['IG502', 'aws_guardduty_detector.main', 5]],
    'fail.cfn.yaml': [['IG502', 'Detector', 10]],
    // Lambda Protection on a disabled detector: reported on the detector.
    'fail-disabled.tf': [['IG502', 'aws_guardduty_detector.main', 6]],
    'fail-disabled.cfn.yaml': [['IG502', 'Detector', 5]],
    // The organisation feature for new accounts only.
    'fail-new-accounts.tf': [['IG502', 'aws_guardduty_organization_configuration_feature.lambda', 11]],
  },
  IG503: {
    'fail.tf': [['IG503', 'aws_organizations_organization.org', 1]],
    'fail.cfn.yaml': [['IG503', 'Org', 3]],
    // Only unused- and internal-access analyzers: reported on the first.
    'fail-unused.tf': [['IG503', 'aws_accessanalyzer_analyzer.unused', 6]],
    'fail-unused.cfn.yaml': [['IG503', 'Unused', 5]],
  },
  IG504: {
    'fail.tf': [['IG504', 'aws_cloudwatch_log_metric_filter.lambda', 5]],
    'fail.cfn.yaml': [['IG504', 'Filter', 6]],
    // A filter written before PutResourcePolicy existed: it misses the new way to open a function.
    'fail-put-resource-policy.tf': [['IG504', 'aws_cloudwatch_log_metric_filter.lambda', 6]],
  },
  IG505: {
    'fail.tf': [['IG505', 'aws_securityhub_account.main', 5]],
    'fail.cfn.yaml': [['IG505', 'Hub', 5]],
    // Central configuration: the FSBP policy is associated with nothing / its policy turns Security Hub off.
    'fail-central.tf': [['IG505', 'aws_securityhub_configuration_policy.baseline', 14]],
    'fail-central.cfn.yaml': [['IG505', 'Policy', 11]],
    // Organisation configuration: new accounts without the default standards / not enabled at all.
    'fail-organization.tf': [['IG505', 'aws_securityhub_organization_configuration.org', 6]],
    'fail-organization.cfn.yaml': [['IG505', 'OrgConfig', 5]],
    // FSBP with control Lambda.1 turned off: by a standards control or control association in the account, by the
    // standard's DisabledStandardsControls, by a configuration policy's disabled list or an enabled list without it.
    'fail-control.tf': [['IG505', 'aws_securityhub_standards_control.lambda_public', 8]],
    'fail-association.tf': [['IG505', 'aws_securityhub_standards_control_association.lambda_public', 8]],
    'fail-control.cfn.yaml': [['IG505', 'Fsbp', 5]],
    'fail-central-control.tf': [['IG505', 'aws_securityhub_configuration_policy.baseline', 13]],
    'fail-central-control.cfn.yaml': [['IG505', 'Policy', 11]],
  },
};

const cases = Object.entries(FAILING).flatMap(([rule, files]) => Object.entries(files).map(([file, expected]) => [rule, file, expected] as const));

describe.each(cases)('%s %s', (rule, file, expected) => {
  it('fails exactly the expected resources, at their lines', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/${file}`)).toEqual(expected);
  });
  it('the passing twin fires nothing', async () => {
    expect(await triples(rule, `test/fixtures/${rule}/${file.replace('fail', 'pass')}`)).toEqual([]);
  });
});

describe('guardrail messages', () => {
  const guardrailFinding = async (rule: string, path: string) => (await scan({ paths: [path], cwd: REPO_ROOT })).findings.find((f) => f.ruleId === rule)!;

  it('an SCP that covers only some functions is named, with a request it lets through and what spares it', async () => {
    const ig401 = await guardrailFinding('IG401', 'test/fixtures/IG401/fail-eu-only.tf');
    expect(ig401.message).toBe(
      'SCPs stop public function URLs only in part: "create a function URL with AuthType NONE", "switch an existing function URL to AuthType NONE" are not denied on aws_organizations_organization.org (root), aws_organizations_organizational_unit.workloads (OU), aws_organizations_account.app (account). ' +
        'aws_organizations_policy.lambda_guard denies "create a function URL with AuthType NONE" only for some requests: on function victim in us-east-1, account 444455556666 it is not denied ' +
        "(aws_organizations_policy.lambda_guard's Resource covers only arn:aws:lambda:eu-central-1:*:function:*, arn:aws:lambda:eu-west-1:*:function:*).",
    );
    expect(ig401.suggestion).toMatch(/^Deny function URL configs with AuthType NONE organisation-wide\. In aws_organizations_policy\.lambda_guard, widen its Resource to "\*", or attach the SCP in policies\/guardrails\/IG401\.json to the root /);
    // The evidence (the fingerprint) is the scenarios, as before.
    expect(ig401.evidence).toBe('create a function URL with AuthType NONE; switch an existing function URL to AuthType NONE');
    // IG405: only the Deny written for outside principals explains the gap; the Principal "*" Deny (another attack) is not blamed.
    const ig405 = await guardrailFinding('IG405', 'test/fixtures/IG401/fail-eu-only.tf');
    expect(ig405.message).toContain(
      "on function victim in us-east-1, account 444455556666 it is not denied (aws_organizations_policy.lambda_guard's Resource covers only arn:aws:lambda:eu-central-1:*:function:*, arn:aws:lambda:eu-west-1:*:function:*).",
    );
    expect(ig405.message).not.toContain('lambda:Principal');
  });

  it('an SCP exempting a member account names the account and the condition', async () => {
    const ig401 = await guardrailFinding('IG401', 'test/fixtures/IG401/fail-account-exempt.tf');
    expect(ig401.message).toContain(
      'aws_organizations_policy.lambda_guard and aws_organizations_policy.region deny "create a function URL with AuthType NONE" only for some requests: on function victim in eu-central-1, account 999988887777 it is not denied ' +
        "(aws_organizations_policy.lambda_guard's StringNotEquals aws:PrincipalAccount [999988887777] spares aws:PrincipalAccount = 999988887777; " +
        "aws_organizations_policy.region's StringNotEquals aws:RequestedRegion [eu-central-1, eu-west-1] spares aws:RequestedRegion = eu-central-1).",
    );
    // The fix is in the SCP written for the attack, not in the region SCP.
    expect(ig401.suggestion).toContain('In aws_organizations_policy.lambda_guard, drop 999988887777 from its StringNotEquals aws:PrincipalAccount exemption, or attach the SCP');
    expect(ig401.suggestion).not.toContain('aws_organizations_policy.region');
  });

  it('a perimeter scoped to some functions is told to widen its scope; no SCP for the attack keeps "No SCP stops"', async () => {
    const ig403 = await guardrailFinding('IG403', 'test/fixtures/IG403/fail-region.tf');
    expect(ig403.message).toContain(
      "on function victim in us-east-2, account 444455556666 it is not denied (aws_organizations_policy.perimeter's ArnLike lambda:SourceFunctionArn [arn:aws:lambda:us-east-1:*:function:*] spares lambda:SourceFunctionArn = arn:aws:lambda:us-east-2:444455556666:function:victim).",
    );
    expect(ig403.suggestion).toContain('In aws_organizations_policy.perimeter, widen its ArnLike lambda:SourceFunctionArn to cover arn:aws:lambda:us-east-2:444455556666:function:victim, or attach');
    const ig401 = await guardrailFinding('IG401', 'test/fixtures/IG401/fail.tf');
    expect(ig401.message).toMatch(/^No SCP stops public function URLs: /);
    expect(ig401.suggestion).toContain('Attach the SCP in policies/guardrails/IG401.json to the root');
  });

  it('IG505 names control Lambda.1 and what turns it off', async () => {
    const message = async (file: string) => (await scan({ paths: [`test/fixtures/IG505/${file}`], cwd: REPO_ROOT })).findings.find((f) => f.ruleId === 'IG505')!.message;
    expect(await message('fail-control.tf')).toBe(
      'aws_securityhub_standards_control.lambda_public disables Security Hub control Lambda.1 (Lambda function policies should prohibit public access): the AWS Foundational Security Best Practices standard runs without it, so public function policies go unflagged.',
    );
    expect(await message('fail-control.cfn.yaml')).toMatch(/^Security Hub standard Fsbp disables control Lambda\.1 /);
    expect(await message('fail-central-control.cfn.yaml')).toMatch(/^Security Hub configuration policy Policy turns off control Lambda\.1 /);
  });

  it('IG501 names the filter that keeps invokes out (trail line and old wording kept where nothing selects Lambda)', async () => {
    const ig501 = async (file: string) => (await scan({ paths: [`test/fixtures/IG501/${file}`], cwd: REPO_ROOT })).findings.find((f) => f.ruleId === 'IG501')!;
    const prefix = await ig501('fail-partial.tf');
    expect(prefix.message).toBe(
      'CloudTrail aws_cloudtrail.org selects Lambda data events but logs invokes of only some functions (resources.ARN starts_with [arn:aws:lambda:us-east-1:111122223333:function:payments]): an attacker invoking any other function goes unrecorded.',
    );
    expect(prefix.suggestion).toBe("Remove the resources.ARN field selector, or leave functions out with not_starts_with or not_equals instead, so every function's invokes are logged.");
    expect(prefix.evidence).toBe('resources.ARN starts_with [arn:aws:lambda:us-east-1:111122223333:function:payments]');
    expect((await ig501('fail-partial.cfn.yaml')).message).toBe(
      'CloudTrail Trail selects Lambda data events but logs invokes by only some callers (userIdentity.arn Equals [arn:aws:iam::111122223333:role/deployer]): an attacker calling as any other identity goes unrecorded.',
    );
    expect((await ig501('fail-no-invoke.tf')).message).toBe('CloudTrail aws_cloudtrail.org selects Lambda data events but leaves Invoke out (eventName not_equals [Invoke]): function invokes go unrecorded.');
    expect((await ig501('fail-no-invoke.cfn.yaml')).message).toBe(
      'CloudTrail Trail selects Lambda data events but keeps only read-only events, and Invoke is a write event (readOnly Equals [true]): function invokes go unrecorded.',
    );
    const none = await ig501('fail.tf');
    expect(none.message).toBe('CloudTrail aws_cloudtrail.org does not log Lambda Invoke data events: function invokes go unrecorded.');
    expect(none.evidence).toBeUndefined();
  });

  it('IG501 says an event data store does not ingest', async () => {
    for (const file of ['fail-ingestion.tf', 'fail-ingestion.cfn.yaml']) {
      const { findings } = await scan({ paths: [`test/fixtures/IG501/${file}`], cwd: REPO_ROOT });
      expect(findings.find((f) => f.ruleId === 'IG501')!.message).toMatch(/^CloudTrail event data store \S+ does not ingest events \(suspend = true \/ IngestionEnabled: false\)/);
    }
  });

  it('names the scenario that gets through and the target it gets through on', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG402/fail.tf'], cwd: REPO_ROOT });
    const [finding] = findings.filter((f) => f.ruleId === 'IG402');
    expect(finding.message).toContain('lambda:AddPermission with Principal');
    expect(finding.message).toContain('aws_organizations_account.legacy (account)');
    expect(finding.message).not.toContain('aws_organizations_account.app');
    // The fix is the guardrail: the SCP, where it goes, and how to get the full set; nothing --fix could apply.
    // In a Terraform repository the replacement is Terraform: the SCP and its attachment, ready to paste.
    expect(finding.fix!.replacement).toBe(finding.fix!.snippets!.terraform);
    expect(finding.fix!.replacement).toContain('resource "aws_organizations_policy" "invokeguard_ig402"');
    expect(finding.fix!.replacement).toContain('resource "aws_organizations_policy_attachment" "invokeguard_ig402"');
    expect(JSON.parse(finding.fix!.snippets!.scp).Statement[0].Sid).toBe('DenyPublicLambdaPermissions');
    expect(finding.fix!.snippets!.cloudformation).toContain('Type: AWS::Organizations::Policy');
    expect(finding.fix!.edits).toEqual([]);
    expect(finding.fix!.description).toContain('The gap is on aws_organizations_account.legacy (account).');
    expect(finding.fix!.description).toContain('`invokeguard guardrails --emit terraform|cloudformation|json` prints the full set');
    expect(finding).not.toHaveProperty('guardrail');
  });

  it('names PutResourcePolicy where an SCP denies AddPermission alone, and recommends denying both', async () => {
    const only = async (rule: string, file: string) => {
      const { findings } = await scan({ paths: [`test/fixtures/${rule}/${file}`], cwd: REPO_ROOT });
      return findings.filter((f) => f.ruleId === rule);
    };
    const [ig402] = await only('IG402', 'fail-put-resource-policy.tf');
    expect(ig402.message).toBe(
      'No SCP stops resource permissions for a public principal: "lambda:PutResourcePolicy with Principal "*"" is not denied on aws_organizations_organization.org (root).',
    );
    expect(ig402.evidence).toBe('lambda:PutResourcePolicy with Principal "*"');
    expect(JSON.parse(ig402.fix!.snippets!.scp).Statement[0].Action).toEqual(['lambda:AddPermission', 'lambda:PutResourcePolicy']);
    const [ig405] = await only('IG405', 'fail-put-resource-policy.cfn.yaml');
    expect(ig405.evidence).toBe('lambda:PutResourcePolicy granting an account outside the organisation; lambda:PutResourcePolicy granting a role in an account outside the organisation');
    // Where AddPermission gets through too, the message names both; the evidence (the fingerprint) stays as it was.
    const [both] = await only('IG405', 'fail.tf');
    expect(both.message).toContain('"lambda:PutResourcePolicy granting an account outside the organisation"');
    expect(both.evidence).toBe('lambda:AddPermission granting an account outside the organisation; lambda:AddPermission granting a role in an account outside the organisation');
  });

  it('IG504 names PutResourcePolicy where a filter misses it', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG504/fail-put-resource-policy.tf'], cwd: REPO_ROOT });
    expect(findings.filter((f) => f.ruleId === 'IG504').map((f) => f.message)).toEqual(['Metric filter aws_cloudwatch_log_metric_filter.lambda misses Lambda persistence events: PutResourcePolicy.']);
  });

  it('fills the SCP from the config, and says when placeholders remain', async () => {
    const base = { file: 'test', rules: {}, cidrs: [], include: [], exclude: [] };
    const scp = async (accounts: string[]) => {
      const { findings } = await scan({ paths: ['test/fixtures/IG405/fail.tf'], cwd: REPO_ROOT, config: { ...base, accounts, orgId: 'o-mine12345' } });
      return findings.find((f) => f.ruleId === 'IG405')!.fix!;
    };
    const open = await scp([]);
    expect(open.replacement).toContain('"<ACCOUNT_ID>"');
    const filled = await scp(['111122223333']);
    expect(filled.replacement).toContain('"111122223333"');
    expect(filled.replacement).not.toContain('<ACCOUNT_ID>');
    // Partner accounts are the user's to list; the description names what is left.
    expect(open.description).toContain('Replace <ACCOUNT_ID>, <PARTNER_ACCOUNT_ID> first');
    expect(filled.description).toContain('Replace <PARTNER_ACCOUNT_ID> first');
    // IG401's SCP has no placeholder, so the description does not ask for any.
    const { findings } = await scan({ paths: ['test/fixtures/IG401/fail.tf'], cwd: REPO_ROOT });
    expect(findings.find((f) => f.ruleId === 'IG401')!.fix!.description).not.toContain('Replace');
  });

  it('gives the replacement in the language of the file the gap was found in', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG401/fail.cfn.yaml'], cwd: REPO_ROOT });
    const fix = findings.find((f) => f.ruleId === 'IG401')!.fix!;
    expect(fix.replacement).toBe(fix.snippets!.cloudformation);
    expect(fix.replacement).toContain('TargetIds:');
    const fromScpFile = (await scan({ paths: ['test/fixtures/IG401/scps/fail.json'], cwd: REPO_ROOT })).findings.find((f) => f.ruleId === 'IG401')!;
    expect(fromScpFile.fix!.replacement).toBe(fromScpFile.fix!.snippets!.scp);
  });
});

describe('guardrail fixes in reports and --fix', () => {
  const ORG = 'examples/organization/vulnerable';
  it('stylish, json and markdown show the fix description; json also the SCP', async () => {
    const result = await scanPaths(ORG);
    const options = { version: '0.0.0', color: false };
    const scenario = result.findings.filter((f) => ['IG401', 'IG402', 'IG403', 'IG405'].includes(f.ruleId));
    expect(scenario.map((f) => f.ruleId).sort()).toEqual(['IG401', 'IG402', 'IG403', 'IG405']);
    const stylish = formatStylish(result, options);
    const json = JSON.parse(formatJson(result, options)) as { findings: Array<{ ruleId: string; fix?: { description: string; replacement?: string; snippets?: unknown; edits: unknown[] } }> };
    const markdown = formatMarkdown(result, options);
    for (const f of scenario) {
      expect(stylish).toContain(`--fix: ${f.fix!.description}`);
      expect(json.findings.find((j) => j.ruleId === f.ruleId)!.fix).toEqual({ description: f.fix!.description, replacement: f.fix!.replacement, snippets: f.fix!.snippets, edits: [] });
      expect(markdown.split('\n').find((l) => l.includes(`| ${f.ruleId} |`))).toContain(`**By hand:** ${escapeCell(f.fix!.description)}`);
    }
  });

  it('--fix leaves them alone and does not count them as fixed', async () => {
    const dir = await tempCopy(ORG);
    const before = readFileSync(join(dir, 'main.tf'), 'utf8');
    const run = await runCaptured(['--fix', '.'], { cwd: dir });
    expect(run.stderr).toContain('invokeguard: fixed 0 finding(s) in 0 file(s)');
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe(before);
  });
});

describe('guardrail rules stay silent in application repositories', () => {
  const APP_PATHS = [
    'examples/terraform', 'examples/cloudformation', 'examples/sam', 'examples/cdktf', 'examples/plan',
    ...['IG101', 'IG102', 'IG103', 'IG104', 'IG105', 'IG201', 'IG202', 'IG203', 'IG205', 'IG901', 'IG902'].map((r) => `test/fixtures/${r}`),
  ];
  it.each(APP_PATHS)('%s: no IG4xx/IG5xx finding', async (path) => {
    const { findings } = await scan({ paths: [path], cwd: REPO_ROOT });
    expect(findings.filter((f) => /^IG[45]/.test(f.ruleId))).toEqual([]);
  });

  it('--guardrails runs them anyway, on the scan\'s first resource', async () => {
    const { findings } = await scan({ paths: ['examples/terraform/fixed'], cwd: REPO_ROOT, guardrails: true });
    const ids = [...new Set(findings.map((f) => f.ruleId))];
    expect(ids).toEqual(expect.arrayContaining(['IG401', 'IG402', 'IG403', 'IG405', 'IG501', 'IG502', 'IG503', 'IG504', 'IG505']));
    expect(findings.every((f) => f.range.line >= 1 && f.resource !== '')).toBe(true);
  });

  it('SCP files alone run the preventive rules but not the detective ones', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG401/scps/fail.json'], cwd: REPO_ROOT });
    expect(findings.some((f) => f.ruleId === 'IG401')).toBe(true);
    expect(findings.filter((f) => /^IG5/.test(f.ruleId))).toEqual([]);
  });
});

describe('examples/organization', () => {
  it('the vulnerable organisation fires every guardrail rule, each on the resource that should carry it', async () => {
    const { findings } = await scan({ paths: ['examples/organization/vulnerable'], cwd: REPO_ROOT });
    expect(findings.map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG401', 'aws_organizations_organization.org', 2],
      ['IG402', 'aws_organizations_organization.org', 2],
      ['IG403', 'aws_organizations_organization.org', 2],
      ['IG405', 'aws_organizations_organization.org', 2],
      ['IG503', 'aws_organizations_organization.org', 2],
      ['IG504', 'aws_organizations_organization.org', 2],
      ['IG505', 'aws_organizations_organization.org', 2],
      ['IG404', 'aws_organizations_policy.lambda', 22],
      ['IG404', 'aws_organizations_policy.perimeter', 42],
      ['IG501', 'aws_cloudtrail.org', 59],
      ['IG502', 'aws_guardduty_detector.main', 65],
    ]);
  });
  it('the fixed organisation (the emitted set, placeholders filled) is finding-free', async () => {
    const { findings } = await scan({ paths: ['examples/organization/fixed'], cwd: REPO_ROOT });
    expect(findings).toEqual([]);
  });
});
