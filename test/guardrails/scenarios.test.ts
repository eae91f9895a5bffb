import { describe, expect, it } from '@jest/globals';
import { runCaptured } from '../helpers/cli.js';
import { documentDenies } from '../../src/guardrails/evaluate.js';
import { emitGuardrails } from '../../src/guardrails/emit.js';
import { GUARDRAIL_RULES, guardrailSpec, recommendedScp } from '../../src/guardrails/scenarios.js';
import { parseJsonValue } from '../../src/model/json-value.js';
import { policyDocumentFromValue } from '../../src/model/policy-document.js';
import { createPositionMapper } from '../../src/model/range.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

function documentOf(policy: object) {
  const text = JSON.stringify(policy);
  return policyDocumentFromValue(parseJsonValue(text, createPositionMapper('scp.json', text)).value!)!;
}

type Statement = Record<string, unknown>;
const scpOf = (statements: Statement[]) => documentOf({ Version: '2012-10-17', Statement: statements });
const statementsOf = (rule: string) => guardrailSpec(rule).statements as Statement[];

describe.each(GUARDRAIL_RULES)('%s scenarios', (rule) => {
  const { scenarios } = guardrailSpec(rule);

  it('each scenario is denied by the guardrail, and by the full recommended SCP', () => {
    for (const scenario of scenarios) {
      expect([scenario.name, documentDenies(scpOf(statementsOf(rule)), scenario)]).toEqual([scenario.name, 'denied']);
      expect([scenario.name, documentDenies(documentOf(recommendedScp()), scenario)]).toEqual([scenario.name, 'denied']);
    }
  });

  it('no SCP (or Allow-only) denies none of them', () => {
    for (const scenario of scenarios) {
      expect(documentDenies(scpOf([]), scenario)).toBe('not-denied');
      expect(documentDenies(scpOf([{ Effect: 'Allow', Action: '*', Resource: '*' }]), scenario)).toBe('not-denied');
    }
  });

  it('almost-guardrails let them through: a negated operator, a function/* resource', () => {
    const negate = (op: string) => (op.includes('Not') ? op.replace('Not', '') : op.replace(/^(String|Arn)/, '$1Not'));
    const wrongOperator = statementsOf(rule).map((s) => ({
      ...s,
      ...(s.Condition ? { Condition: Object.fromEntries(Object.entries(s.Condition as object).map(([op, v]) => [op === 'Null' || op.startsWith('Bool') ? op : negate(op), v])) } : {}),
    }));
    const slash = statementsOf(rule).map((s) => ({ ...s, Resource: 'arn:aws:lambda:*:*:function/*' }));
    for (const scenario of scenarios) {
      if (statementsOf(rule).some((s) => s.Condition)) expect([scenario.name, documentDenies(scpOf(wrongOperator), scenario)]).toEqual([scenario.name, 'not-denied']);
      expect([scenario.name, documentDenies(scpOf(slash), scenario)]).toEqual([scenario.name, 'not-denied']);
    }
  });
});

describe('IfExists in the credential perimeter (IG403)', () => {
  const [statement] = statementsOf('IG403');
  const condition = statement.Condition as Record<string, Record<string, unknown>>;
  const vpcCall = { action: 's3:GetObject', resource: 'arn:aws:s3:::corp-data/x', keys: { 'lambda:SourceFunctionArn': 'arn:aws:lambda:us-east-1:111122223333:function:f', 'aws:SourceVpc': '<VPC_ID>', 'aws:ViaAWSService': 'false' } };
  it('a function calling through its VPC endpoint (no aws:SourceIp) is not denied', () => {
    expect(documentDenies(scpOf([statement]), vpcCall)).toBe('not-denied');
  });
  it('with IfExists dropped from the perimeter, a Null-check rewrite that needs the key lets the stolen token through', () => {
    // "Deny when the caller is outside the CIDRs" written as IpAddress-absence plus a positive VPC check: no IfExists, missing key → false.
    const almost = { ...statement, Condition: { Null: condition.Null, StringEquals: { 'aws:SourceVpc': 'vpc-outside' } } };
    for (const scenario of guardrailSpec('IG403').scenarios) expect(documentDenies(scpOf([almost]), scenario)).toBe('not-denied');
    const withIfExists = { ...statement, Condition: { Null: condition.Null, StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-outside' } } };
    for (const scenario of guardrailSpec('IG403').scenarios) expect(documentDenies(scpOf([withIfExists]), scenario)).toBe('denied');
  });
});

describe('guardrails --emit round trip', () => {
  const FACTS = { orgId: 'o-a1b2c3d4e5', accounts: ['111122223333'], cidrs: ['10.0.0.0/8'] };
  const layouts: Record<string, (text: string) => Record<string, string>> = {
    terraform: (text) => ({ 'main.tf': text }),
    cloudformation: (text) => ({ 'guardrails.yaml': text }),
    json: (text) => ({ 'scps/guardrails.json': text }),
  };
  it.each(Object.keys(layouts))('%s: the emitted set, fed back, passes every scenario with no finding (placeholders and config-filled)', async (format) => {
    for (const facts of [{}, FACTS]) {
      const dir = tempTree(layouts[format](emitGuardrails(format as 'json', facts)));
      // JSON is the SCP alone: only the preventive rules judge it (--guardrails would ask for detective controls too).
      const { findings } = await scan({ paths: [dir], cwd: dir, guardrails: format !== 'json' });
      expect(findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    }
  });

  it.each(GUARDRAIL_RULES)('an attacked variant without the %s statements does not pass', async (rule) => {
    const scp = recommendedScp();
    const sids = new Set(statementsOf(rule).map((s) => s.Sid));
    const attacked = { ...scp, Statement: scp.Statement.filter((s) => !sids.has((s as Statement).Sid)) };
    const dir = tempTree({ 'scps/guardrails.json': JSON.stringify(attacked, null, 2) });
    const { findings } = await scan({ paths: [dir], cwd: dir });
    const fired = findings.map((f) => f.ruleId);
    expect(fired).toContain(rule);
  });

  it('the slash ARN variant of the emitted Terraform is caught twice: IG404 (never matches) and IG401', async () => {
    const text = emitGuardrails('terraform').replace('"Resource": "*",\n      "Condition": {\n        "StringEquals": {\n          "lambda:FunctionUrlAuthType"', '"Resource": "arn:aws:lambda:*:*:function/*",\n      "Condition": {\n        "StringEquals": {\n          "lambda:FunctionUrlAuthType"');
    expect(text).toContain('function/*');
    const dir = tempTree({ 'main.tf': text });
    const { findings } = await scan({ paths: [dir], cwd: dir });
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['IG401', 'IG404']);
  });

  it('the CLI prints it, filling placeholders from the config', async () => {
    const dir = tempTree({ '.invokeguard.yml': 'orgId: o-a1b2c3d4e5\ncidrs: [10.0.0.0/8]\naccounts: ["111122223333"]\n' });
    const { code, stdout } = await runCaptured(['guardrails', '--emit', 'json'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('"10.0.0.0/8"');
    expect(stdout).toContain('"o-a1b2c3d4e5"');
    expect(stdout).not.toContain('<CORPORATE_CIDR>');
    expect(stdout).toContain('<VPC_ID>');
    const bad = await runCaptured(['guardrails', '--emit', 'yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
  });
});
