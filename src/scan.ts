import { relative, resolve, sep } from 'node:path';
import { applyRuleSettings, ruleEnabled, type InvokeguardConfig } from './config/config.js';
import { discover, type DiscoveryNotice } from './discover/discover.js';
import { loadActionCatalog } from './iam/action-catalog.js';
import { buildModel } from './model/build-model.js';
import type { Model } from './model/types.js';
import { knownString } from './model/value.js';
import { mapLimit } from './map-limit.js';
import { parseFile } from './parse/parse-file.js';
import type { InputError, SourceDocument } from './parse/types.js';
import { INPUT_ERROR_RULE, RULES } from './rules/registry.js';
import { runRules, ruleErrorMessage, type RuleError } from './rules/run-rules.js';
import type { Finding, Rule } from './rules/types.js';

export interface ScanOptions {
  paths: string[];
  /** Files or folders of SCP JSON kept outside the scanned paths (`--scp`): scanned too, read as SCPs. */
  scpPaths?: string[];
  /** Paths in results are relative to this folder (default: the process's cwd). */
  cwd?: string;
  maxFileBytes?: number;
  /** Rule settings, include/exclude globs, and the organisation facts rules may read. */
  config?: InvokeguardConfig;
  /** The rules to run (default: the registry's). For tests, e.g. a rule that throws. */
  rules?: readonly Rule[];
}

export interface ScanResult {
  files: number;
  findings: Finding[];
  notices: DiscoveryNotice[];
  /** Rules whose check threw (also in notices, as IG900): their findings are missing. */
  ruleErrors?: RuleError[];
}

/** The whole pipeline: discover → parse → model → rules. Output order is deterministic. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const display = (path: string) => relative(cwd, path).split(sep).join('/') || '.';
  const scpPaths = options.scpPaths ?? [];
  const { files, notices } = await discover([...options.paths, ...scpPaths], cwd, options.config);
  const scpRoots = scpPaths.map((p) => resolve(cwd, p));
  const scpFiles = new Set(files.filter((f) => scpRoots.some((r) => f.path === r || f.path.startsWith(r + sep))).map((f) => display(f.path)));
  // Reads overlap with parsing; output order is the discovery order whatever the I/O timing.
  const documents: SourceDocument[] = await mapLimit(files, 16, (file) => parseFile(file, display(file.path), options.maxFileBytes));
  const model = buildModel(documents, scpFiles);
  const catalog = await loadActionCatalog(servicesIn(model));
  const findings: Finding[] = [
    ...documents.flatMap((d) => d.errors.map((e) => inputErrorFinding(e, d.file))),
    ...model.errors.map((e) => inputErrorFinding(e, e.range.file)),
  ];
  const enabled = (options.rules ?? RULES).filter((rule) => ruleEnabled(options.config, rule.meta.id));
  const ruled = runRules(enabled, { model, catalog, ...(options.config ? { config: options.config } : {}) });
  findings.push(...ruled.findings);
  for (const finding of findings) {
    const constructPath = model.resources.get(finding.resource)?.constructPath;
    if (constructPath !== undefined) finding.constructPath = constructPath;
  }
  const analysed = documents.filter((d) => d.format !== 'ignored').length;
  return {
    files: analysed,
    findings: sortFindings(dedupe(applyRuleSettings(findings, options.config))),
    notices: [...notices.map((n) => ({ ...n, path: display(n.path) })), ...ruled.errors.map((e) => ({ path: '.', message: ruleErrorMessage(e) }))],
    ...(ruled.errors.length > 0 ? { ruleErrors: ruled.errors } : {}),
  };
}

function inputErrorFinding(error: InputError, resource: string): Finding {
  return {
    ruleId: INPUT_ERROR_RULE.id,
    severity: INPUT_ERROR_RULE.severity,
    message: error.message,
    range: error.range,
    resource,
    suggestion: 'Fix the input so it can be analysed; until then invoke grants in it go unchecked.',
  };
}

/** Action services named in the model's policies, plus lambda, so the catalog loads only those. */
function servicesIn(model: Model): Set<string> {
  const services = new Set(['lambda']);
  for (const policy of model.identityPolicies)
    for (const statement of policy.document?.statements ?? [])
      for (const action of [...statement.action, ...statement.notAction]) {
        const service = knownString(action)?.split(':')[0];
        if (service && !service.includes('*') && !service.includes('?')) services.add(service.toLowerCase());
      }
  return services;
}

/** The same grant reached through two module instances is one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.resource}|${f.range.file}|${f.range.line}|${f.range.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.range.file < b.range.file ? -1 : a.range.file > b.range.file ? 1 : 0) ||
      a.range.line - b.range.line ||
      a.range.column - b.range.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resource.localeCompare(b.resource),
  );
}
