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

  it('models each Allow statement of a resource policy as Lambda permissions with their scoping conditions', () => {
    const model = modelOf('test/fixtures/IG101/fail.iam.json', 'test/fixtures/IG101/pass.iam.json');
    const summary = model.permissions.map((p) => ({
      line: p.range.line,
      principal: p.principal?.value.kind === 'string' ? p.principal.value.value : undefined,
      sourceArn: p.sourceArn?.value.kind === 'string' ? p.sourceArn.value.value : undefined,
      sourceAccount: p.sourceAccount?.value.kind === 'string' ? p.sourceAccount.value.value : undefined,
      org: p.principalOrgId?.value.kind === 'string' ? p.principalOrgId.value.value : undefined,
      callers: p.callerConditions?.map((c) => `${c.key}=${c.scope}`),
    }));
    const none = { sourceArn: undefined, sourceAccount: undefined, org: undefined, callers: undefined };
    expect(summary).toEqual([
      { ...none, line: 5, principal: '*' },
      // Condition keys are matched case-insensitively (`AWS:SourceArn`).
      { ...none, line: 12, principal: '*', sourceArn: 'arn:aws:events:us-east-1:*:rule/nightly' },
      // lambda:GetFunction is no invoke grant, but a grant all the same: IG105 reads it (IG101 and the invoker graph pass it by).
      { ...none, line: 20, principal: '*' },
      { ...none, line: 27, principal: 'sns.amazonaws.com' },
      // StringEqualsIfExists lets a caller without the key through: it scopes nothing.
      { ...none, line: 34, principal: '*' },
      // StringLike "*" names no account.
      { ...none, line: 42, principal: '*' },
      // aws:SourceIp is not read as scoping the caller's account.
      { ...none, line: 50, principal: '*' },
      { ...none, line: 58, principal: '*', callers: ['aws:PrincipalIsAWSService=aws-service'] },
      // An account or organisation id with a wildcard names many: StringLike "*1*", "o-a*", "*" set no source account or organisation id.
      { ...none, line: 66, principal: '*' },
      { ...none, line: 74, principal: '*' },
      { ...none, line: 82, principal: 's3.amazonaws.com' },
      // aws:PrincipalOrgID is both the permission's organisation id and a caller condition (a trust policy has only the latter).
      { ...none, line: 4, principal: '*', org: 'o-a1b2c3d4e5', callers: ['aws:PrincipalOrgID=organisation'] },
      { ...none, line: 12, principal: 'arn:aws:iam::444455556666:root' },
      { ...none, line: 19, principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::uploads', sourceAccount: '123456789012' },
      // The Deny statement grants nothing; nor do Resource "*" (line 37), an S3 ARN (44) or a layer ARN (51).
      { ...none, line: 58, principal: '*', callers: ['aws:PrincipalAccount=account'] },
      { ...none, line: 66, principal: '*', callers: ['aws:PrincipalArn=account'] },
      { ...none, line: 74, principal: '*', callers: ['aws:PrincipalOrgPaths=organisation'] },
      { ...none, line: 82, principal: '*', callers: ['aws:SourceVpce=network'] },
      { ...none, line: 90, principal: '*', callers: ['aws:PrincipalIsAWSService=aws-service', 'aws:SourceOrgID=source-organisation'] },
    ]);
  });
});
