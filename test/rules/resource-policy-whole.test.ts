import { describe, expect, it } from '@jest/globals';
import type { InvokeguardConfig } from '../../src/config/config.js';
import { mayInvoke } from '../../src/iam/permission-actions.js';
import { loadModel, scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';

const ESTATE: InvokeguardConfig = { file: 'test', rules: {}, accounts: ['111122223333'], orgId: 'o-mine123456', cidrs: [], include: [], exclude: [] };

async function findings(path: string, config?: InvokeguardConfig) {
  return (await scan({ paths: [`test/fixtures/resource-policy/${path}`], cwd: REPO_ROOT, ...(config ? { config } : {}) })).findings;
}

/** [ruleId, resource, line] of every finding of the IG1xx rules. */
async function found(path: string, config?: InvokeguardConfig): Promise<Array<[string, string, number]>> {
  return (await findings(path, config)).filter((f) => f.ruleId.startsWith('IG1')).map((f) => [f.ruleId, f.resource, f.range.line]);
}

/** A whole resource policy read as Lambda reads it: NotAction, every action of a statement, and the policy's Denies. */
describe('whole Lambda resource policies', () => {
  it('an Allow with NotAction grants invoke (IG101 at the principal) and every other action it leaves (IG105 at the NotAction)', async () => {
    expect(await found('fail-not-action.tf')).toEqual([
      ['IG101', 'aws_lambda_resource_policy.not_action', 17],
      ['IG105', 'aws_lambda_resource_policy.not_action', 18],
      // aws_iam_policy_document's not_actions, listed before its principals block.
      ['IG105', 'aws_lambda_resource_policy.document', 28],
      ['IG101', 'aws_lambda_resource_policy.document', 29],
      // A NotAction excluding both invoke actions invokes nothing: IG105 alone.
      ['IG105', 'aws_lambda_resource_policy.all_but_invoke', 50],
    ]);
    expect(await found('fail-not-action.cfn.yaml')).toEqual([
      ['IG101', 'Policy', 20],
      ['IG105', 'Policy', 21],
    ]);
  });

  it('says what a NotAction grants, and fixes it by hand in the statement syntax', async () => {
    const [, json, block, , none] = await findings('fail-not-action.tf');
    expect(json.message).toMatch(/^aws_lambda_resource_policy\.not_action grants every action but "lambda:GetFunction", which covers .*, not just invoke\.$/);
    expect(json.evidence).toBe('notAction = ["lambda:GetFunction"]');
    expect(json.fix?.description).toBe('Replace the statement\'s NotAction with "Action": "lambda:InvokeFunction".');
    expect(json.fix?.changes ?? []).toEqual([]);
    expect(block.fix?.description).toBe('Replace the statement\'s not_actions with actions = ["lambda:InvokeFunction"].');
    expect(none.message).toContain('but no invoke action');
  });

  it('a policy file: NotAction, a statement with a read action beside invoke, and an Allow its own Deny cancels', async () => {
    expect(await found('fail-whole.iam.json')).toEqual([
      ['IG101', 'test/fixtures/resource-policy/fail-whole.iam.json', 8],
      ['IG105', 'test/fixtures/resource-policy/fail-whole.iam.json', 9],
      ['IG105', 'test/fixtures/resource-policy/fail-whole.iam.json', 16],
    ]);
  });

  it('statements without an invoke action reach IG105, and every action of a statement is weighed', async () => {
    expect(await found('fail-non-invoke.tf')).toEqual([
      ['IG105', 'aws_lambda_resource_policy.non_invoke', 11],
      ['IG105', 'aws_lambda_resource_policy.non_invoke', 22],
      ['IG101', 'aws_lambda_resource_policy.read_and_invoke', 38],
      ['IG105', 'aws_lambda_resource_policy.read_and_invoke', 40],
    ]);
    const [code, more] = await findings('fail-non-invoke.tf');
    expect(code.message).toBe(
      'aws_lambda_resource_policy.non_invoke grants ["lambda:UpdateFunctionCode","lambda:GetFunction"], which covers lambda:UpdateFunctionCode, lambda:GetFunction but no invoke action: access other than invoke, which a resource permission never needs.',
    );
    expect(more.message).toContain('which covers lambda:UpdateFunctionConfiguration, not just invoke');
  });

  it('a statement of other actions only is no invoker of the function', async () => {
    const { model } = await loadModel({ paths: ['test/fixtures/resource-policy/fail-non-invoke.tf'], cwd: REPO_ROOT });
    expect(model.permissions.map(mayInvoke)).toEqual([false, true, true]);
  });

  it('an unconditional Deny cancels what it covers; a Deny unless the organisation keeps "*" to it', async () => {
    expect(await found('pass-deny.tf')).toEqual([]);
    // The organisation the Deny keeps it to is not ours: IG103 at the Deny's condition.
    expect(await found('pass-deny.tf', ESTATE)).toEqual([['IG103', 'aws_lambda_resource_policy.org_only', 44]]);
  });

  it('Denies of another function, with a condition not read, naming no caller, or of two conditions, or leaving some invoke, cancel nothing', async () => {
    expect(await found('fail-deny.tf')).toEqual([
      ['IG101', 'aws_lambda_resource_policy.kept', 16],
      ['IG101', 'aws_lambda_resource_policy.url_left', 65],
      ['IG105', 'aws_lambda_resource_policy.url_left', 66],
    ]);
  });

  it('CloudFormation: a Deny of lambda:* on "*" cancels; caller conditions decide IG103', async () => {
    expect(await found('deny.cfn.yaml')).toEqual([]);
    expect(await found('deny.cfn.yaml', ESTATE)).toEqual([
      // "*" with aws:PrincipalAccount of a stranger account (OwnViaStar names ours: nothing).
      ['IG103', 'PartnerViaStar', 33],
      // A Deny unless aws:PrincipalOrgID is another organisation.
      ['IG103', 'OtherOrgByDeny', 65],
      // aws:PrincipalOrgPaths under another organisation.
      ['IG103', 'OtherOrgPath', 79],
      // aws:SourceAccount and aws:PrincipalOrgID read as source_account and principal_org_id are (OwnOrgId names ours: nothing).
      ['IG103', 'StrangerSourceAccount', 93],
      ['IG103', 'OtherOrgId', 107],
    ]);
    const partner = (await findings('deny.cfn.yaml', ESTATE))[0];
    expect(partner.message).toBe(
      'PartnerViaStar lets principals of account 999988887777 ("*" with aws:PrincipalAccount "999988887777") invoke the function; it is not one of your configured accounts and the grant is not constrained to o-mine123456.',
    );
  });
});
