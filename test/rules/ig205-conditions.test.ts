import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** IG205 findings of a folder as [file, line, message]. */
async function ig205(files: Record<string, string>) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree(files) });
  return findings.filter((f) => f.ruleId === 'IG205').map((f) => [f.range.file, f.range.line, f.message]);
}

/** A policy file of one statement granting `actions` on "*" under `condition` (line 3 holds the Action). */
type ConditionBlock = Record<string, Record<string, string | string[]>>;
const policy = (actions: string[], condition: ConditionBlock) =>
  `{"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow", "Resource": "*",
  "Action": ${JSON.stringify(actions)},
  "Condition": ${JSON.stringify(condition)}
}]}
`;

const ANY = 'it can open any function to any principal.';
const URL_ACTIONS = ['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig'];

describe('IG205 reads the condition keys that limit whom a function can be opened to', () => {
  it('reports AddPermission limited by lambda:Principal naming the principals, and nothing for IAM-authenticated URLs (the audit probe)', async () => {
    const probe = `{"Version":"2012-10-17","Statement":[
 {"Sid":"SvcOnly","Effect":"Allow","Action":"lambda:AddPermission","Resource":"*",
  "Condition":{"StringEquals":{"lambda:Principal":["events.amazonaws.com","sns.amazonaws.com"]}}},
 {"Sid":"IamUrls","Effect":"Allow","Action":["lambda:CreateFunctionUrlConfig","lambda:UpdateFunctionUrlConfig"],"Resource":"*",
  "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"AWS_IAM"}}}]}
`;
    expect(await ig205({ 'policy.json': probe })).toEqual([
      [
        'policy.json',
        2,
        'policy.json allows lambda:AddPermission on every resource (via "lambda:AddPermission"): it can open any function to "events.amazonaws.com", "sns.amazonaws.com" alone (its lambda:Principal condition); a grant to a service without a source account or source ARN lets it invoke for a resource in any account.',
      ],
    ]);
  });

  it('names an account without the service note', async () => {
    const [[, , message]] = await ig205({ 'p.json': policy(['lambda:AddPermission'], { StringEquals: { 'lambda:Principal': '111122223333' } }) });
    expect(message).toBe('p.json allows lambda:AddPermission on every resource (via "lambda:AddPermission"): it can open any function to "111122223333" alone (its lambda:Principal condition).');
  });

  it('keeps "any principal" when the condition admits "*" or only excludes it', async () => {
    const cases: ConditionBlock[] = [
      { StringLike: { 'lambda:Principal': '*' } },
      { StringLike: { 'lambda:Principal': ['sns.amazonaws.com', '?'] } },
      { StringNotEquals: { 'lambda:Principal': '*' } },
      // A value the scan cannot know may be "*".
      { StringEquals: { 'lambda:Principal': '${aws:PrincipalTag/callee}' } },
      // A key AddPermission never carries does not limit it; IfExists lets the request through without it.
      { StringEqualsIfExists: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
    ];
    for (const condition of cases) {
      const [[, , message]] = await ig205({ 'p.json': policy(['lambda:AddPermission'], condition) });
      expect(`${JSON.stringify(condition)} ${message}`).toBe(`${JSON.stringify(condition)} p.json allows lambda:AddPermission on every resource (via "lambda:AddPermission"): ${ANY}`);
    }
  });

  it('drops URL actions whose auth type cannot be NONE, however the operator is qualified', async () => {
    const cases: ConditionBlock[] = [
      { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      // An update without AuthType (the key absent) leaves the URL's auth type unchanged.
      { StringEqualsIfExists: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      { 'ForAnyValue:StringEquals': { 'lambda:FunctionUrlAuthType': ['AWS_IAM'] } },
      { 'ForAllValues:StringEquals': { 'lambda:FunctionUrlAuthType': ['AWS_IAM'] } },
      { StringNotEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      { StringNotLike: { 'lambda:FunctionUrlAuthType': 'N*' } },
      // Only AddPermission carries lambda:Principal: a statement requiring it never grants a URL action.
      { StringEquals: { 'lambda:Principal': 'events.amazonaws.com' } },
    ];
    for (const condition of cases) expect([condition, await ig205({ 'p.json': policy(URL_ACTIONS, condition) })]).toEqual([condition, []]);
  });

  it('keeps URL actions whose condition admits NONE', async () => {
    const cases: ConditionBlock[] = [
      { StringEquals: { 'lambda:FunctionUrlAuthType': ['AWS_IAM', 'NONE'] } },
      // String operators are case-sensitive: "none" is not the API's NONE.
      { StringNotEquals: { 'lambda:FunctionUrlAuthType': 'none' } },
      { StringNotEqualsIgnoreCase: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      // A negation of lambda:Principal holds when the key is absent, as it is for a URL action.
      { StringNotEquals: { 'lambda:Principal': '*' } },
      { StringEqualsIfExists: { 'lambda:Principal': 'events.amazonaws.com' } },
    ];
    for (const condition of cases) {
      const found = await ig205({ 'p.json': policy(URL_ACTIONS, condition) });
      expect([condition, found.map(([, line, message]) => [line, String(message).endsWith(ANY)])]).toEqual([condition, [[3, true]]]);
    }
  });

  it('names AddPermission apart when the same statement also opens URLs to anyone', async () => {
    const [[, , message]] = await ig205({
      'p.json': policy(['lambda:AddPermission', 'lambda:CreateFunctionUrlConfig'], { StringEqualsIfExists: { 'lambda:Principal': 'events.amazonaws.com' } }),
    });
    expect(message).toBe(
      'p.json allows lambda:AddPermission, lambda:CreateFunctionUrlConfig on every resource (via "lambda:AddPermission"): it can open any function to any principal (lambda:AddPermission only to "events.amazonaws.com").',
    );
  });

  it('points at an action the statement still grants, not one its condition rules out', async () => {
    const found = await ig205({
      'p.json': policy(['lambda:AddLayerVersionPermission', 'lambda:AddPermission'], { StringEquals: { 'lambda:Principal': '111122223333' } }),
    });
    expect(found.map(([, , message]) => message)).toEqual([
      'p.json allows lambda:AddPermission on every resource (via "lambda:AddPermission"): it can open any function to "111122223333" alone (its lambda:Principal condition).',
    ]);
  });

  it('reports PutResourcePolicy as opening to any principal: its document may name many, so lambda:Principal does not narrow it', async () => {
    const found = await ig205({
      'p.json': policy(['lambda:AddPermission', 'lambda:PutResourcePolicy'], { StringEquals: { 'lambda:Principal': '111122223333' } }),
    });
    expect(found).toEqual([
      [
        'p.json',
        3,
        'p.json allows lambda:AddPermission, lambda:PutResourcePolicy on every resource (via "lambda:AddPermission"): it can open any function to any principal (lambda:AddPermission only to "111122223333").',
      ],
    ]);
  });

  it('drops PutResourcePolicy under a key its requests never carry, and reports it on every version and alias', async () => {
    expect(await ig205({ 'p.json': policy(['lambda:PutResourcePolicy'], { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } }) })).toEqual([]);
    const aliases = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:PutResourcePolicy", "Resource": "arn:aws:lambda:*:*:function:*:*"}]}\n`;
    expect(await ig205({ 'p.json': aliases })).toEqual([
      ['p.json', 1, `p.json allows lambda:PutResourcePolicy on every version and alias of every function (via "lambda:PutResourcePolicy"): ${ANY}`],
    ]);
  });
});
