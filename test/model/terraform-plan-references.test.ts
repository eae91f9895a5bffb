import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../src/model/build-model.js';
import { withoutInstanceKeys } from '../../src/model/terraform/plan.js';
import { parseText } from '../../src/parse/parse-file.js';

/** A plan of one attachment whose policy_id is known only after apply, with these configuration references, beside `others`. */
async function attachmentPolicy(references: string[], others: string[] = ['aws_organizations_policy.p'], module = '') {
  const resource = (address: string) => ({ address: `${module}${address}`, mode: 'managed', type: address.split('.').at(-2)!, name: address.split('.').at(-1)!.replace(/\[.*$/, ''), values: {} });
  const attachment = 'aws_organizations_policy_attachment.a';
  const planned = [resource(attachment), ...others.map(resource)];
  const configured = { resources: [{ address: attachment, mode: 'managed', type: 'aws_organizations_policy_attachment', name: 'a', expressions: { policy_id: { references } } }] };
  const plan = {
    format_version: '1.2',
    planned_values: { root_module: module ? { child_modules: [{ address: module.slice(0, -1), resources: planned }] } : { resources: planned } },
    resource_changes: [{ address: `${module}${attachment}`, change: { after_unknown: { policy_id: true } } }],
    configuration: { root_module: module ? { module_calls: { m: { module: configured } } } : configured },
  };
  const model = buildModel([await parseText('terraform-plan', 'org.plan.json', JSON.stringify(plan))]);
  const value = model.posture!.attachments[0].policyId!;
  return value.kind === 'unknown' ? { ref: value.ref, resource: value.resource, resourceType: value.resourceType } : value.kind;
}

describe('plan values known after apply, named by their configuration references', () => {
  it('names the resource the references traverse, as the HCL evaluator does', async () => {
    expect(await attachmentPolicy(['aws_organizations_policy.p.id', 'aws_organizations_policy.p'])).toEqual({
      ref: 'aws_organizations_policy.p.id',
      resource: 'aws_organizations_policy.p',
      resourceType: 'aws_organizations_policy',
    });
  });

  it('reads references inside a module call relative to that module instance', async () => {
    const module = 'module.m["k"].';
    expect(await attachmentPolicy(['aws_organizations_policy.p.id', 'aws_organizations_policy.p'], ['aws_organizations_policy.p'], module)).toMatchObject({ resource: 'module.m["k"].aws_organizations_policy.p' });
  });

  it('names an instance of a counted block only when the references name it', async () => {
    const counted = ['aws_organizations_policy.p[0]', 'aws_organizations_policy.p[1]'];
    expect(await attachmentPolicy(['aws_organizations_policy.p[1].id', 'aws_organizations_policy.p[1]', 'aws_organizations_policy.p'], counted)).toMatchObject({ resource: 'aws_organizations_policy.p[1]' });
    // `aws_organizations_policy.p[count.index].id`: which instance depends on the attachment's own index.
    expect(await attachmentPolicy(['aws_organizations_policy.p', 'count.index'], counted)).toEqual({ ref: '(known after apply)' });
    expect(await attachmentPolicy(['aws_organizations_policy.p'], counted)).toEqual({ ref: '(known after apply)' });
  });

  it('leaves the value plainly unknown when it may be anything else', async () => {
    const plain = { ref: '(known after apply)' };
    expect(await attachmentPolicy(['var.policy_id'])).toEqual(plain);
    expect(await attachmentPolicy(['module.scp.id', 'module.scp'])).toEqual(plain);
    // A conditional between two policies, or between a policy and a variable.
    expect(await attachmentPolicy(['aws_organizations_policy.p.id', 'aws_organizations_policy.q.id'], ['aws_organizations_policy.p', 'aws_organizations_policy.q'])).toEqual(plain);
    expect(await attachmentPolicy(['var.use_p', 'aws_organizations_policy.p.id'])).toEqual(plain);
    // A resource the plan does not hold (the configuration and planned values disagree).
    expect(await attachmentPolicy(['aws_organizations_policy.gone.id', 'aws_organizations_policy.gone'])).toEqual(plain);
    expect(await attachmentPolicy([])).toEqual(plain);
  });

  it('matches a planned instance to its configuration block by dropping instance keys', () => {
    expect(withoutInstanceKeys('module.a["x]y"].module.b[0].aws_x.y["k"]')).toBe('module.a.module.b.aws_x.y');
    expect(withoutInstanceKeys('aws_x.y')).toBe('aws_x.y');
  });
});
