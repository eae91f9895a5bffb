import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { addIamPolicyFile } from '../../src/model/iam-policy-file.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { createPositionMapper } from '../../src/model/range.js';
import { emptyModel } from '../../src/model/types.js';
import { REPO_ROOT } from '../helpers/scan.js';

function modelOf(...files: string[]) {
  const model = emptyModel();
  for (const file of files) {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const { value } = parseJsonValue(text, createPositionMapper(file, text));
    if (value) addIamPolicyFile(model, file, value);
  }
  return model;
}

describe('raw IAM policy files', () => {
  it('classifies identity, resource, trust and SCP documents by content and folder', () => {
    const model = modelOf(
      'test/fixtures/IG201/fail.iam.json',
      'test/fixtures/IG101/fail.iam.json',
      'test/fixtures/iam-json/roles/trust.json',
      'test/fixtures/iam-json/scps/deny-lambda-public.json',
    );
    expect(model.standalonePolicies?.map((p) => [p.address, p.kind])).toEqual([
      ['test/fixtures/IG201/fail.iam.json', 'identity'],
      ['test/fixtures/IG101/fail.iam.json', 'resource'],
      ['test/fixtures/iam-json/roles/trust.json', 'trust'],
      ['test/fixtures/iam-json/scps/deny-lambda-public.json', 'scp'],
    ]);
    // Only the identity policy is an IdentityPolicy: an SCP's "Allow *" grants nothing by itself.
    expect(model.identityPolicies.map((p) => [p.address, p.kind])).toEqual([['test/fixtures/IG201/fail.iam.json', 'standalone']]);
  });

  it('models each invoke-granting Allow statement of a resource policy as Lambda permissions with their scoping conditions', () => {
    const model = modelOf('test/fixtures/IG101/fail.iam.json', 'test/fixtures/IG101/pass.iam.json');
    const summary = model.permissions.map((p) => ({
      line: p.range.line,
      principal: p.principal?.value.kind === 'string' ? p.principal.value.value : undefined,
      sourceArn: p.sourceArn?.value.kind === 'string' ? p.sourceArn.value.value : undefined,
      sourceAccount: p.sourceAccount?.value.kind === 'string' ? p.sourceAccount.value.value : undefined,
      org: p.principalOrgId?.value.kind === 'string' ? p.principalOrgId.value.value : undefined,
    }));
    expect(summary).toEqual([
      { line: 5, principal: '*', sourceArn: undefined, sourceAccount: undefined, org: undefined },
      // Condition keys are matched case-insensitively (`AWS:SourceArn`).
      { line: 12, principal: '*', sourceArn: 'arn:aws:events:us-east-1:*:rule/nightly', sourceAccount: undefined, org: undefined },
      // lambda:GetFunction is no invoke grant: no permission for line 20.
      { line: 27, principal: 'sns.amazonaws.com', sourceArn: undefined, sourceAccount: undefined, org: undefined },
      { line: 4, principal: '*', sourceArn: undefined, sourceAccount: undefined, org: 'o-a1b2c3d4e5' },
      { line: 12, principal: 'arn:aws:iam::444455556666:root', sourceArn: undefined, sourceAccount: undefined, org: undefined },
      { line: 19, principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::uploads', sourceAccount: '123456789012', org: undefined },
      // The Deny statement grants nothing.
    ]);
  });
});
