import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatSarif, relativeUri } from '../../src/report/sarif.js';
import { PIPELINE_RULES, RULES } from '../../src/rules/registry.js';
import type { Finding } from '../../src/rules/types.js';
import type { ScanResult } from '../../src/scan.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';

/* ajv-formats is CommonJS: its function is the module itself or its `default`. */
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test/schemas/sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
    originalUriBaseIds: Record<string, unknown>;
    artifacts: Array<{ location: { uri: string; uriBaseId: string } }>;
    results: Array<Record<string, any>>;
  }>;
}

const options = { version: '9.9.9', color: false };

function finding(overrides: Partial<Finding> & { line?: number } = {}): Finding {
  const line = overrides.line ?? 3;
  return {
    ruleId: 'IG101',
    severity: 'critical',
    message: 'aws_lambda_permission.x lets any AWS principal invoke it.',
    range: { file: 'infra dir/100%/main.tf', line, column: 3, endLine: line, endColumn: 20 },
    resource: 'aws_lambda_permission.x',
    suggestion: 'Pin it.',
    evidence: 'principal = "*"',
    ...overrides,
  };
}

function sarifOf(findings: Finding[]): SarifLog {
  const result: ScanResult = { files: 1, findings, notices: [] };
  return JSON.parse(formatSarif(result, options)) as SarifLog;
}

describe('sarif formatter', () => {
  it('validates against the SARIF 2.1.0 schema for the shipped examples', async () => {
    const log = JSON.parse(formatSarif(await scanPaths('examples', 'test/fixtures/IG901'), options));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(4);
  });

  it('the schema check rejects a broken log (the validator can fail)', () => {
    const log = sarifOf([finding()]) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('describes every rule with help, security-severity and tags', () => {
    const { rules } = sarifOf([]).runs[0].tool.driver;
    expect(rules.map((r) => r.id)).toEqual([...RULES.map((r) => r.meta.id), ...PIPELINE_RULES.map((r) => r.id)]);
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toContain('T1648');
      expect(rule.help.markdown).toContain('T1648');
      expect(rule.properties['security-severity']).toMatch(/^\d+\.\d$/);
      expect(rule.properties.tags).toContain('security');
    }
    const ig101 = rules.find((r) => r.id === 'IG101');
    expect(ig101?.properties['security-severity']).toBe('9.5');
    expect(ig101?.defaultConfiguration.level).toBe('error');
    expect(rules.find((r) => r.id === 'IG901')?.properties['security-severity']).toBe('5.5');
  });

  it('maps severities to levels and security-severity numbers', () => {
    const levels = sarifOf([
      finding({ severity: 'critical' }),
      finding({ severity: 'high', resource: 'b' }),
      finding({ severity: 'medium', resource: 'c' }),
      finding({ severity: 'low', resource: 'd' }),
      finding({ severity: 'info', resource: 'e' }),
    ]).runs[0].results.map((r) => r.level);
    expect(levels).toEqual(['error', 'error', 'warning', 'note', 'note']);
  });

  it('gives a result graded other than its rule (IG302 on a public trust) its own security-severity', () => {
    const results = sarifOf([
      finding({ ruleId: 'IG302', severity: 'critical' }),
      finding({ ruleId: 'IG302', severity: 'medium', resource: 'b' }),
    ]).runs[0].results;
    expect(results.map((r) => [r.level, r.properties['security-severity']])).toEqual([
      ['error', '9.5'],
      ['warning', undefined],
    ]);
  });

  it('locates results by relative, percent-encoded URIs under %SRCROOT% with the finding range as given', () => {
    const run = sarifOf([finding({ range: { file: 'infra dir/100%/main.tf', line: 7, column: 5, endLine: 9, endColumn: 2 } })]).runs[0];
    const location = run.results[0].locations[0].physicalLocation;
    expect(location.artifactLocation).toMatchObject({ uri: 'infra%20dir/100%25/main.tf', uriBaseId: '%SRCROOT%', index: 0 });
    expect(location.region).toEqual({ startLine: 7, startColumn: 5, endLine: 9, endColumn: 2 });
    expect(run.artifacts).toEqual([expect.objectContaining({ location: { uri: 'infra%20dir/100%25/main.tf', uriBaseId: '%SRCROOT%' } })]);
    expect(run.originalUriBaseIds).toHaveProperty(['%SRCROOT%']);
    expect(run.results[0].ruleIndex).toBe(0);
  });

  it('never writes absolute or file: URIs for results, on a real scan', async () => {
    const run = (JSON.parse(formatSarif(await scanPaths('examples/terraform/vulnerable'), options)) as SarifLog).runs[0];
    const uris = [...run.results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri), ...run.artifacts.map((a) => a.location.uri)];
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).toMatch(/^examples\/terraform\/vulnerable\/[a-z]+\.tf$/);
    expect(new Set(run.artifacts.map((a) => a.location.uri))).toEqual(new Set(uris));
  });

  it('keeps partial fingerprints across line moves and separates distinct findings', () => {
    const fp = (f: Finding) => sarifOf([f]).runs[0].results[0].partialFingerprints as Record<string, string>;
    expect(fp(finding({ line: 3 }))).toEqual(fp(finding({ line: 40 })));
    expect(fp(finding())).not.toEqual(fp(finding({ resource: 'aws_lambda_permission.y' })));
    expect(fp(finding())).not.toEqual(fp(finding({ evidence: 'principal = "s3.amazonaws.com"' })));
    expect(fp(finding())).not.toEqual(fp(finding({ ruleId: 'IG102' })));
    const twins = sarifOf([finding({ line: 3 }), finding({ line: 9 })]).runs[0].results.map((r) => Object.values(r.partialFingerprints)[0]);
    expect(twins[0]).not.toEqual(twins[1]);
  });

  it('puts a fix without edits (a guardrail SCP) in the result properties, never as an invalid SARIF fix', async () => {
    const log = JSON.parse(formatSarif(await scanPaths('examples/organization/vulnerable'), options)) as SarifLog;
    expect(validate(log)).toBe(true);
    const ig402 = log.runs[0].results.find((r) => r.ruleId === 'IG402')!;
    expect(ig402.fixes).toBeUndefined();
    expect(ig402.properties.fix.description).toContain('invokeguard guardrails --emit terraform|cloudformation|json');
    expect(ig402.properties.fix.replacement).toContain('resource "aws_organizations_policy"');
    expect(JSON.parse(ig402.properties.fix.snippets.scp).Statement.map((s: { Sid: string }) => s.Sid)).toContain('DenyPublicLambdaPermissions');
    // A fix with edits is a SARIF fix, not a property.
    const edited = sarifOf([finding({ fix: { description: 'Pin it.', replacement: '"1"', edits: [{ file: 'main.tf', start: 1, end: 2, text: '"1"' }] } })]);
    expect(validate(edited)).toBe(true);
    expect(edited.runs[0].results[0].fixes).toHaveLength(1);
    expect(edited.runs[0].results[0].properties.fix).toBeUndefined();
  });

  it('encodes paths segment by segment', () => {
    expect(relativeUri('a/b c/#d.tf')).toBe('a/b%20c/%23d.tf');
    expect(relativeUri('./x.tf')).toBe('x.tf');
  });
});

/**
 * Microsoft's SARIF Multitool, from the dev dependency @microsoft/sarif-multitool (its platform
 * package holds a self-contained .NET binary). Skipped where no platform package is installed.
 */
function multitool(): string | undefined {
  const binary = process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool';
  const candidate = join(REPO_ROOT, 'node_modules', '@microsoft', `sarif-multitool-${process.platform}`, binary);
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

/** Runs `validate --rule-kind "Sarif;Gh"` (the rules GitHub code scanning applies on upload) and returns its error-level results. */
async function multitoolErrors(tool: string, sarif: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'invokeguard-sarif-'));
  const input = join(dir, 'input.sarif');
  const output = join(dir, 'validation.sarif');
  await writeFile(input, sarif);
  await promisify(execFile)(tool, ['validate', '--rule-kind', 'Sarif;Gh', '--output', output, input], {
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
  const validation = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as { runs: Array<{ results?: Array<{ level?: string; ruleId: string; message: { id?: string; text?: string } }> }> };
  // The tool writes the level as "error" or "Error".
  return (validation.runs[0].results ?? []).filter((r) => (r.level ?? 'warning').toLowerCase() === 'error').map((r) => `${r.ruleId} ${r.message.id ?? r.message.text ?? ''}`);
}

const tool = multitool();
(tool ? describe : describe.skip)(`SARIF Multitool validate --rule-kind "Sarif;Gh" (${tool ? 'from node_modules' : `skipped: no @microsoft/sarif-multitool-${process.platform} installed`})`, () => {
  it('reports no error for the shipped examples, input errors and suppressions included', async () => {
    const scanned = await scanPaths('examples', 'test/fixtures/IG901');
    const suppressed = { ...scanned, suppressed: [{ finding: scanned.findings[0], justification: 'accepted for the test', directive: scanned.findings[0].range }] };
    expect(await multitoolErrors(tool as string, formatSarif(suppressed, options))).toEqual([]);
  }, 120_000);

  it('reports what GitHub would refuse (the check can fail)', async () => {
    const log = JSON.parse(formatSarif(await scanPaths('examples/terraform/vulnerable'), options));
    log.runs[0].results[0].locations = [];
    expect(await multitoolErrors(tool as string, JSON.stringify(log))).toEqual(expect.arrayContaining([expect.stringMatching(/^GH\d+ /)]));
  }, 120_000);
});
