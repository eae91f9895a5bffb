import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

async function findings(rule: string, files: Record<string, string>) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === rule).map((f) => [f.ruleId, f.resource, f.range.line, f.severity]);
}

/** A Lambda execution role (jsonencode) whose one trust statement (line 4 of its block) has this Condition. */
const role = (name: string, condition: string) => `resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }, Condition = ${condition} }]
  })
}
`;

/** The same, through `data "aws_iam_policy_document"`: the statement block is line 2. */
const documentRole = (name: string, test: string, variable: string, values: string) => `data "aws_iam_policy_document" "${name}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "${test}"
      variable = "${variable}"
      values   = ${values}
    }
  }
}
resource "aws_iam_role" "${name}" {
  name               = "${name}"
  assume_role_policy = data.aws_iam_policy_document.${name}.json
}
`;

describe('IG303: only a condition that can fail for another account or function scopes the Lambda trust', () => {
  const unscoping: Array<[string, string]> = [
    ['like_star', '{ StringLike = { "aws:SourceAccount" = "*" } }'],
    ['star_in_list', '{ StringLike = { "aws:SourceAccount" = ["123456789012", "*"] } }'],
    ['any_digits', '{ StringLike = { "aws:SourceAccount" = "?*" } }'],
    ['twelve_marks', '{ StringLike = { "aws:SourceAccount" = "????????????" } }'],
    // An account id is exactly twelve digits: any wildcard in one names many accounts.
    ['star_digit', '{ StringLike = { "aws:SourceAccount" = "*1*" } }'],
    ['account_prefix', '{ StringLike = { "aws:SourceAccount" = "1234567890*" } }'],
    ['one_mark', '{ StringLike = { "aws:SourceAccount" = "12345678901?" } }'],
    ['arn_star', '{ ArnLike = { "aws:SourceArn" = "*" } }'],
    ['arn_every_field', '{ ArnLike = { "aws:SourceArn" = "arn:aws:*:*:*:*" } }'],
    ['every_function', '{ ArnLike = { "aws:SourceArn" = "arn:aws:lambda:*:*:function:*" } }'],
    ['every_account_in_region', '{ ArnLike = { "aws:SourceArn" = "arn:aws:lambda:us-east-1:*:function:*" } }'],
    ['if_exists', '{ StringEqualsIfExists = { "aws:SourceAccount" = "123456789012" } }'],
    ['for_all_values', '{ "ForAllValues:StringEquals" = { "aws:SourceAccount" = ["123456789012"] } }'],
    ['negated_arn', '{ ArnNotLike = { "aws:SourceArn" = "arn:aws:lambda:us-east-1:444455556666:function:*" } }'],
    ['unknown_pattern', '{ StringLike = { "aws:SourceAccount" = var.account } }'],
  ];

  it('reports wildcard values, …IfExists, ForAllValues: and negated operators (jsonencode)', async () => {
    const source = 'variable "account" {}\n' + unscoping.map(([name, condition]) => role(name, condition)).join('');
    expect(await findings('IG303', { 'main.tf': source })).toEqual(unscoping.map(([name], i) => ['IG303', `aws_iam_role.${name}`, 2 + i * 6 + 3, 'low']));
  });

  it('reports them through data "aws_iam_policy_document"', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['like_star', 'StringLike', 'aws:SourceAccount', '["*"]'],
      ['every_function', 'ArnLike', 'aws:SourceArn', '["arn:aws:lambda:*:*:function:*"]'],
      ['if_exists', 'StringEqualsIfExists', 'aws:SourceAccount', '["123456789012"]'],
    ];
    const source = cases.map(([name, test, variable, values]) => documentRole(name, test, variable, values)).join('');
    expect(await findings('IG303', { 'main.tf': source })).toEqual(cases.map(([name], i) => ['IG303', `aws_iam_role.${name}`, i * 18 + 2, 'low']));
  });

  it('reports a wildcard account with a digit in it like one matching every account (fixture)', async () => {
    const { findings: found } = await scan({ paths: ['test/fixtures/IG303/fail-account-wildcard.tf'], cwd: REPO_ROOT });
    expect(found.filter((f) => f.ruleId === 'IG303').map((f) => [f.ruleId, f.resource, f.range.line])).toEqual([
      ['IG303', 'aws_iam_role.star_digit', 4],
      ['IG303', 'aws_iam_role.all', 16],
    ]);
    expect(found.find((f) => f.resource === 'aws_iam_role.star_digit')?.message).toContain('(StringLike aws:SourceAccount does not:');
  });

  it('says which condition did not count', async () => {
    const { findings: found } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': role('like_star', '{ StringLike = { "aws:SourceAccount" = "*" } }') }) });
    expect(found.find((f) => f.ruleId === 'IG303')?.message).toContain('(StringLike aws:SourceAccount does not:');
  });

  it('accepts patterns that still name particular accounts or functions', async () => {
    const source = [
      role('account_like', '{ StringLike = { "aws:SourceAccount" = "123456789012" } }'),
      role('one_account_functions', '{ ArnLike = { "aws:SourceArn" = "arn:aws:lambda:*:123456789012:function:*" } }'),
      role('named_function', '{ ArnEquals = { "aws:SourceArn" = "arn:aws:lambda:us-east-1:123456789012:function:orders" } }'),
      role('variable_account', '{ StringEquals = { "aws:SourceAccount" = var.account } }'),
      role('caller_account', '{ ArnLike = { "aws:SourceArn" = "arn:aws:lambda:*:${data.aws_caller_identity.current.account_id}:function:*" } }'),
      documentRole('document_account', 'StringEquals', 'aws:SourceAccount', '[data.aws_caller_identity.current.account_id]'),
      'variable "account" {}\ndata "aws_caller_identity" "current" {}\n',
    ].join('');
    expect(await findings('IG303', { 'main.tf': source })).toEqual([]);
  });

  it('CloudFormation: reports a wildcard SourceAccount and ArnLike on every ARN, accepts !Sub of the account', async () => {
    const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AnyAccount:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
            Condition: { StringLike: { "aws:SourceAccount": ["*"] } }
  AnyArn:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:*:*:*:*" } }
  ThisAccount:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
            Condition: { ArnLike: { "aws:SourceArn": !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:*" } }
`;
    expect(await findings('IG303', { 'template.yaml': template })).toEqual([
      ['IG303', 'AnyAccount', 8, 'low'],
      ['IG303', 'AnyArn', 17, 'low'],
    ]);
  });
});

/** An execution role (Lambda's own statement first, line 4) also trusting `principal` under `condition` (line 5); 7 lines. */
const sharedRole = (name: string, principal: string, condition = '') => `resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({ Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }, Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } } },
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = ${principal}${condition ? `, Condition = ${condition}` : ''} },
  ] })
}
`;

describe('IG302: critical when anyone can assume the execution role', () => {
  it('grades a public principal with no condition scoping it to an account or organisation critical (jsonencode)', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['aws_star', '{ AWS = "*" }', '', 'critical'],
      ['bare_star', '"*"', '', 'critical'],
      ['any_account_root', '{ AWS = "arn:aws:iam::*:root" }', '', 'critical'],
      ['star_in_list', '{ AWS = ["arn:aws:iam::123456789012:root", "*"] }', '', 'critical'],
      // Neither says whose identity it is.
      ['external_id', '{ AWS = "*" }', '{ StringEquals = { "sts:ExternalId" = "s3cr3t" } }', 'critical'],
      ['any_org', '{ AWS = "*" }', '{ StringLike = { "aws:PrincipalOrgID" = "*" } }', 'critical'],
      ['any_source_account', '{ AWS = "*" }', '{ StringLike = { "aws:SourceAccount" = "*" } }', 'critical'],
      ['digit_source_account', '{ AWS = "*" }', '{ StringLike = { "aws:SourceAccount" = "*1*" } }', 'critical'],
      ['if_exists_account', '{ AWS = "*" }', '{ StringEqualsIfExists = { "aws:PrincipalAccount" = "123456789012" } }', 'critical'],
      ['services_only', '{ AWS = "*" }', '{ Bool = { "aws:PrincipalIsAWSService" = "true" } }', 'medium'],
      ['org', '{ AWS = "*" }', '{ StringEquals = { "aws:PrincipalOrgID" = "o-abc123def4" } }', 'medium'],
      ['principal_account', '{ AWS = "*" }', '{ StringEquals = { "aws:PrincipalAccount" = "123456789012" } }', 'medium'],
      ['vpce', '"*"', '{ StringEquals = { "aws:SourceVpce" = "vpce-0123456789abcdef0" } }', 'medium'],
      ['one_account', '{ AWS = "arn:aws:iam::444455556666:root" }', '', 'medium'],
      ['service', '{ Service = "ec2.amazonaws.com" }', '', 'medium'],
    ];
    const source = cases.map(([name, principal, condition]) => sharedRole(name, principal, condition)).join('');
    expect(await findings('IG302', { 'main.tf': source })).toEqual(cases.map(([name, , , severity], i) => ['IG302', `aws_iam_role.${name}`, i * 7 + 5, severity]));
  });

  it('points at the public principal, even when another trustee comes first', async () => {
    const { findings: found } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': sharedRole('mixed', '{\n    Service = "ec2.amazonaws.com"\n    AWS = "*"\n  }') }) });
    const finding = found.find((f) => f.ruleId === 'IG302')!;
    expect([finding.severity, finding.range.line]).toEqual(['critical', 7]);
    expect(finding.message).toContain('can be assumed by anyone with an AWS account (AWS: *, no condition scoping it to an account or organisation)');
    expect(finding.evidence).toBe('Service: ec2.amazonaws.com; AWS: *');
  });

  it('reads data "aws_iam_policy_document"', async () => {
    const document = (name: string, condition: string) => `data "aws_iam_policy_document" "${name}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
${condition}  }
}
resource "aws_iam_role" "${name}" {
  assume_role_policy = data.aws_iam_policy_document.${name}.json
}
`;
    const org = '    condition {\n      test     = "StringEquals"\n      variable = "aws:PrincipalOrgID"\n      values   = ["o-abc123def4"]\n    }\n';
    expect(await findings('IG302', { 'main.tf': document('open', '') + document('org', org) })).toEqual([
      ['IG302', 'aws_iam_role.open', 13, 'critical'],
      ['IG302', 'aws_iam_role.org', 19 + 13, 'medium'],
    ]);
  });

  it('grades the rule fixtures: the Terraform one', async () => {
    expect(await findings('IG302', { 'main.tf': readFileSync(join(REPO_ROOT, 'test/fixtures/IG302/fail.tf'), 'utf8') })).toEqual([
      ['IG302', 'aws_iam_role.shared', 8, 'medium'],
      ['IG302', 'aws_iam_role.with_account', 21, 'medium'],
      ['IG302', 'aws_iam_role.ecs_task', 31, 'medium'],
      ['IG302', 'aws_iam_role.anyone', 46, 'critical'],
    ]);
  });

  it('CloudFormation: "*" with no condition is critical, a whole account stays medium', async () => {
    expect(await findings('IG302', { 'template.yaml': readFileSync(join(REPO_ROOT, 'test/fixtures/IG302/fail.cfn.yaml'), 'utf8') })).toEqual([
      ['IG302', 'Shared', 11, 'medium'],
      ['IG302', 'Everyone', 24, 'critical'],
      ['IG302', 'GeneratedWithCustomTrust', 33, 'medium'],
    ]);
  });
});

describe('IG302: critical when anyone with a GitHub, GitLab, Google or Cognito identity can assume the execution role', () => {
  const github = '{ Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }';
  const aud = '"token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"';
  const sub = (operator: string, value: string) => `{ StringEquals = { ${aud} }, ${operator} = { "token.actions.githubusercontent.com:sub" = ${value} } }`;

  it('grades each trust by whether a condition pins the claim naming the caller (jsonencode)', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['gh_no_condition', github, '', 'critical'],
      ['gh_aud_only', github, `{ StringEquals = { ${aud} } }`, 'critical'],
      ['gh_any_repo', github, sub('StringLike', '"repo:*"'), 'critical'],
      ['gh_star', github, sub('StringLike', '"*"'), 'critical'],
      // Anyone can create `attacker/app`, or an owner that starts with `org`.
      ['gh_any_owner', github, sub('StringLike', '"repo:*/app:*"'), 'critical'],
      ['gh_owner_prefix', github, sub('StringLike', '"repo:org*"'), 'critical'],
      ['gh_star_in_list', github, sub('StringLike', '["repo:org/app:*", "*"]'), 'critical'],
      ['gh_if_exists', github, sub('StringEqualsIfExists', '"repo:org/app:ref:refs/heads/main"'), 'critical'],
      ['gh_negated', github, sub('StringNotLike', '"repo:evil/*"'), 'critical'],
      ['gh_branch', github, sub('StringEquals', '"repo:org/app:ref:refs/heads/main"'), 'medium'],
      ['gh_org_repos', github, sub('StringLike', '"repo:org/*"'), 'medium'],
      ['gh_module_variable', github, sub('StringLike', 'var.subjects'), 'medium'],
      ['gh_symbolic_org', github, sub('StringLike', '"repo:${var.org}/*"'), 'medium'],
      ['gh_repository_claim', github, '{ StringEquals = { "token.actions.githubusercontent.com:repository" = "org/app" } }', 'medium'],
      // An enterprise's own issuer serves its workflows alone: another trustee, not anyone.
      ['gh_enterprise_open', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/acme" }', '{ StringEquals = { "token.actions.githubusercontent.com/acme:aud" = "sts.amazonaws.com" } }', 'medium'],
      ['gh_enterprise_pinned', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/acme" }', '{ StringLike = { "token.actions.githubusercontent.com/acme:sub" = "repo:acme/app:*" } }', 'medium'],
      // The provider's ARN from a resource: its conditions' keys say which provider it is.
      ['gh_provider_reference', '{ Federated = aws_iam_openid_connect_provider.github.arn }', `{ StringEquals = { ${aud} } }`, 'critical'],
      ['gh_reference_pinned', '{ Federated = aws_iam_openid_connect_provider.github.arn }', sub('StringLike', '"repo:org/app:*"'), 'medium'],
      ['cognito_no_pool', '{ Federated = "cognito-identity.amazonaws.com" }', '{ "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "unauthenticated" } }', 'critical'],
      ['cognito_any_pool_in_region', '{ Federated = "cognito-identity.amazonaws.com" }', '{ StringLike = { "cognito-identity.amazonaws.com:aud" = "us-east-1:*" } }', 'critical'],
      ['cognito_pool', '{ Federated = "cognito-identity.amazonaws.com" }', '{ StringEquals = { "cognito-identity.amazonaws.com:aud" = "us-east-1:12345678-1234-1234-1234-123456789012" } }', 'medium'],
      ['gitlab_no_sub', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/gitlab.com" }', '{ StringEquals = { "gitlab.com:aud" = "https://gitlab.com" } }', 'critical'],
      ['gitlab_any_group', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/gitlab.com" }', '{ StringLike = { "gitlab.com:sub" = "project_path:*" } }', 'critical'],
      ['gitlab_project', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/gitlab.com" }', '{ StringLike = { "gitlab.com:sub" = "project_path:group/app:*" } }', 'medium'],
      ['terraform_cloud_open', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io" }', '{ StringEquals = { "app.terraform.io:aud" = "aws.workload.identity" } }', 'critical'],
      ['terraform_cloud_org', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io" }', '{ StringLike = { "app.terraform.io:sub" = "organization:acme:project:*:workspace:*:run_phase:*" } }', 'medium'],
      ['google_no_client', '{ Federated = "accounts.google.com" }', '', 'critical'],
      ['google_client', '{ Federated = "accounts.google.com" }', '{ StringEquals = { "accounts.google.com:aud" = "1234-abc.apps.googleusercontent.com" } }', 'medium'],
      // One cluster's service accounts: not anyone's.
      ['eks_cluster', '{ Federated = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789" }', '', 'medium'],
    ];
    const source = 'variable "subjects" {}\nvariable "org" {}\n' + cases.map(([name, principal, condition]) => sharedRole(name, principal, condition)).join('');
    expect(await findings('IG302', { 'main.tf': source })).toEqual(cases.map(([name, , , severity], i) => ['IG302', `aws_iam_role.${name}`, 2 + i * 7 + 5, severity]));
  });

  it('names the missing claim, or the pattern that did not pin it, and suggests one that does', async () => {
    const source = sharedRole('aud_only', github, `{ StringEquals = { ${aud} } }`) + sharedRole('any_repo', github, sub('StringLike', '"repo:*"'));
    const { findings: found } = await scan({ paths: ['.'], cwd: tempTree({ 'main.tf': source }) });
    const [audOnly, anyRepo] = found.filter((f) => f.ruleId === 'IG302');
    expect(audOnly.message).toContain('can be assumed by any GitHub Actions workflow, in any repository (Federated: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com, no condition on token.actions.githubusercontent.com:sub)');
    expect(audOnly.suggestion).toContain('`StringEquals token.actions.githubusercontent.com:sub = repo:ORG/REPO:ref:refs/heads/main`');
    expect(anyRepo.message).toContain('token.actions.githubusercontent.com, StringLike token.actions.githubusercontent.com:sub repo:* matches any caller)');
  });

  it('reads data "aws_iam_policy_document"', async () => {
    const document = (name: string, condition: string) => `data "aws_iam_policy_document" "${name}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
${condition}  }
}
resource "aws_iam_role" "${name}" {
  assume_role_policy = data.aws_iam_policy_document.${name}.json
}
`;
    const pinned = '    condition {\n      test     = "StringLike"\n      variable = "token.actions.githubusercontent.com:sub"\n      values   = ["repo:org/app:*"]\n    }\n';
    expect(await findings('IG302', { 'main.tf': document('open', '') + document('pinned', pinned) })).toEqual([
      ['IG302', 'aws_iam_role.open', 13, 'critical'],
      ['IG302', 'aws_iam_role.pinned', 24 + 13, 'medium'],
    ]);
  });

  it('CloudFormation: GitHub with aud alone and Cognito with no pool are critical, a pinned subject stays medium', async () => {
    const role = (id: string, principal: string, condition: string) => `  ${id}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: { Federated: ${principal} }
            Action: sts:AssumeRoleWithWebIdentity
            Condition: ${condition}
`;
    const provider = '!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"';
    const template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' +
      role('AudOnly', provider, '{ StringEquals: { "token.actions.githubusercontent.com:aud": sts.amazonaws.com } }') +
      role('Pinned', provider, '{ StringEquals: { "token.actions.githubusercontent.com:aud": sts.amazonaws.com }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/app:*" } }') +
      role('AnyPool', 'cognito-identity.amazonaws.com', '{ "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": unauthenticated } }') +
      role('ProviderRef', '!Ref GitHubProvider', '{ StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }');
    expect(await findings('IG302', { 'template.yaml': template })).toEqual([
      ['IG302', 'AudOnly', 12, 'critical'],
      ['IG302', 'Pinned', 24, 'medium'],
      ['IG302', 'AnyPool', 36, 'critical'],
      ['IG302', 'ProviderRef', 48, 'critical'],
    ]);
  });
});
