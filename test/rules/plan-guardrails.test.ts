import { describe, expect, it } from '@jest/globals';
import { scanPaths } from '../helpers/scan.js';

/** The findings of some rules in a plan or state file, as [ruleId, resource, line], and each one's message. */
async function findings(file: string, prefix: string) {
  const { findings } = await scanPaths(`test/fixtures/plan/${file}`);
  const chosen = findings.filter((f) => f.ruleId.startsWith(prefix));
  return { triples: chosen.map((f) => [f.ruleId, f.resource, f.range.line]), message: (rule: string) => chosen.find((f) => f.ruleId === rule)?.message };
}

describe('SCP attachments in plan and state JSON', () => {
  it('attaches new SCPs by their configuration references: the verdicts are evaluated', async () => {
    // policy_id and target_id are known after apply; the configuration names the policy (a counted
    // one by its instance) and the organisation's root. The deny-public-URL SCP satisfies IG401.
    const { triples } = await findings('scp-new.plan.json', 'IG4');
    expect(triples).toEqual([
      ['IG402', 'aws_organizations_organization.org', 7],
      ['IG403', 'aws_organizations_organization.org', 7],
      ['IG405', 'aws_organizations_organization.org', 7],
      // Every other SCP's attachment is resolved, so the one attached nowhere is known to be.
      ['IG404', 'aws_organizations_policy.forgotten', 50],
    ]);
  });

  it('matches existing SCPs, roots and OUs by the ids the plan records, and module references within their module', async () => {
    // The root's SCP (by its id p-abcd1234) denies only s3:DeleteBucket; the OU (parent r-ab12: the root) also gets
    // module.guardrails["sandbox"]'s new deny-public-URL SCP, named inside the module as aws_organizations_policy.urls.
    const { triples, message } = await findings('scp-existing.plan.json', 'IG4');
    expect(triples).toEqual([
      ['IG401', 'aws_organizations_organization.org', 7],
      ['IG402', 'aws_organizations_organization.org', 7],
      ['IG403', 'aws_organizations_organization.org', 7],
      ['IG405', 'aws_organizations_organization.org', 7],
    ]);
    expect(message('IG401')).toContain('not denied on aws_organizations_organization.org (root).');
    expect(message('IG402')).toContain('not denied on aws_organizations_organization.org (root), aws_organizations_organizational_unit.sandbox (OU).');
  });

  it('reads state JSON (values.root_module): attachments, parents and ids all literal', async () => {
    // The deny-public-URL SCP on the root satisfies IG401; the OU's SCP (and so its account's, whose parent is the OU
    // by id) denies public permissions, so IG402 names only the root; the SCP attached nowhere is IG404.
    const { triples, message } = await findings('scp.state.json', 'IG4');
    expect(triples).toEqual([
      ['IG402', 'aws_organizations_organization.org', 7],
      ['IG403', 'aws_organizations_organization.org', 7],
      ['IG405', 'aws_organizations_organization.org', 7],
      ['IG404', 'aws_organizations_policy.forgotten', 66],
    ]);
    expect(message('IG402')).toContain('not denied on aws_organizations_organization.org (root).');
  });
});

describe('other attributes known after apply in plans', () => {
  it('a new managed policy attached to a new execution role, both by reference, reaches the role', async () => {
    const { triples, message } = await findings('execution-role.plan.json', 'IG301');
    expect(triples).toEqual([['IG301', 'aws_iam_role.app', 7]]);
    expect(message('IG301')).toContain('(aws_iam_policy.everything (test/fixtures/plan/execution-role.plan.json:17))');
  });
});
