import type { Finding, RuleMeta, Severity } from '../rules/types.js';
import { FINGERPRINT_KEY, fingerprintFindings } from './fingerprint.js';
import { ATTACK_TECHNIQUE_URI, INFORMATION_URI, allRuleMetas } from './rule-catalog.js';
import type { Formatter } from './types.js';
import { messageText } from './message.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

/** GitHub code scanning reads `security-severity` (0.0–10.0) to rank security alerts. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** A display path ("dir/a b.tf") as a relative URI reference ("dir/a%20b.tf"): never absolute, never file://. */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** "Lambda permission grants invoke to any AWS principal" → "LambdaPermissionGrantsInvokeToAnyAwsPrincipal". */
function ruleName(meta: RuleMeta): string {
  return meta.title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

function ruleHelp(meta: RuleMeta): { text: string; markdown: string } {
  const how = meta.fixable
    ? 'invokeguard can apply a fix for this rule.'
    : 'Each finding carries a least-privilege suggestion that names the accounts, services and resource references found in the scan; apply it by hand.';
  const fix = meta.remediation ? `${meta.remediation} ${how}` : how;
  return {
    text: `${meta.description}\n\nHow to fix: ${fix}\n\nMITRE ATT&CK: ${meta.attack} (Serverless Execution).`,
    markdown: [
      `**${meta.id}: ${meta.title}**`,
      '',
      meta.description,
      '',
      `**How to fix:** ${fix}`,
      '',
      `MITRE ATT&CK: [${meta.attack}](${ATTACK_TECHNIQUE_URI(meta.attack)})`,
    ].join('\n'),
  };
}

function sarifRule(meta: RuleMeta): Record<string, unknown> {
  return {
    id: meta.id,
    name: ruleName(meta),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: ruleHelp(meta),
    helpUri: INFORMATION_URI,
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      'security-severity': SECURITY_SEVERITY[meta.severity],
      precision: 'high',
      'problem.severity': meta.severity === 'info' || meta.severity === 'low' ? 'recommendation' : sarifLevel(meta.severity),
      tags: ['security', 'aws', 'lambda', `external/mitre-attack/${meta.attack}`],
    },
  };
}

/**
 * SARIF 2.1.0 for code scanning: every rule with help and security-severity, results located
 * by relative URIs under %SRCROOT%, an artifact per file with a finding, and partial
 * fingerprints that do not depend on the line.
 */
export const formatSarif: Formatter = (result, options) => {
  const metas = allRuleMetas();
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const suppressed = result.suppressed ?? [];
  // Suppressed findings are results too, marked as suppressed in source, so code scanning closes their alerts as such.
  const all = [...result.findings, ...suppressed.map((s) => s.finding)];
  const artifactIndex = new Map<string, number>();
  for (const f of all) if (!artifactIndex.has(f.range.file)) artifactIndex.set(f.range.file, artifactIndex.size);
  const fingerprints = fingerprintFindings(all);
  const results = all.map((f, i) => ({
    ...sarifResult(f, fingerprints[i], ruleIndex.get(f.ruleId), artifactIndex.get(f.range.file) ?? 0, metas[ruleIndex.get(f.ruleId) ?? -1]?.severity),
    ...(i >= result.findings.length ? { suppressions: [{ kind: 'inSource', justification: suppressed[i - result.findings.length].justification }] } : {}),
  }));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'invokeguard',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: metas.map(sarifRule),
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: options.srcRoot
            ? { uri: options.srcRoot.endsWith('/') ? options.srcRoot : `${options.srcRoot}/` }
            : { description: { text: 'The folder the scan was run from; every result path is relative to it.' } },
        },
        artifacts: [...artifactIndex.keys()].map((file) => ({ location: { uri: relativeUri(file), uriBaseId: SRCROOT }, roles: ['resultFile'] })),
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

/** `ruleSeverity`: the rule's default; a finding graded otherwise (IG302's public trust, a config override) says so itself. */
function sarifResult(f: Finding, fingerprint: string, rule: number | undefined, artifact: number, ruleSeverity: Severity | undefined): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    ...(rule !== undefined ? { ruleIndex: rule } : {}),
    level: sarifLevel(f.severity),
    message: { text: `${messageText(f)}\nSuggestion: ${f.suggestion}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.range.file), uriBaseId: SRCROOT, index: artifact },
          region: { startLine: f.range.line, startColumn: f.range.column, endLine: f.range.endLine, endColumn: f.range.endColumn },
        },
        logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...sarifFixes(f),
    properties: {
      severity: f.severity,
      // GitHub code scanning reads security-severity from a result's properties as well as its rule's (oasis-tcs/sarif-spec#612).
      ...(ruleSeverity !== undefined && f.severity !== ruleSeverity ? { 'security-severity': SECURITY_SEVERITY[f.severity] } : {}),
      resource: f.resource,
      ...(f.roots !== undefined ? { roots: [...f.roots] } : {}),
      ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
      suggestion: f.suggestion,
      ...(f.evidence !== undefined ? { evidence: f.evidence } : {}),
      ...(f.crossCheck !== undefined ? { crossCheck: { verdict: f.crossCheck.verdict, reason: f.crossCheck.reason } } : {}),
      // A SARIF fix needs artifactChanges: a fix applied by hand (e.g. a guardrail's SCP) is told here instead.
      ...(f.fix && f.fix.edits.length === 0 ? { fix: { description: f.fix.description, ...(f.fix.replacement !== undefined ? { replacement: f.fix.replacement } : {}), ...(f.fix.snippets ? { snippets: { ...f.fix.snippets } } : {}) } } : {}),
    },
  };
}

/** SARIF `fixes`: the finding's edits as replacements; offsets are UTF-16 code units, as the run's columnKind says. */
function sarifFixes(f: Finding): Record<string, unknown> {
  const edits = f.fix?.edits ?? [];
  if (edits.length === 0) return {};
  const files = [...new Set(edits.map((e) => e.file))];
  return {
    fixes: [
      {
        description: { text: f.fix!.description },
        artifactChanges: files.map((file) => ({
          artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT },
          replacements: edits
            .filter((e) => e.file === file)
            .map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })),
        })),
      },
    ],
  };
}
