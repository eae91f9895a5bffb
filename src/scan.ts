import { relative, resolve, sep } from 'node:path';
import { applyRuleSettings, ruleEnabled, type InvokeguardConfig } from './config/config.js';
import { discover, type DiscoveryNotice } from './discover/discover.js';
import { loadActionCatalog } from './iam/action-catalog.js';
import { buildModel } from './model/build-model.js';
import type { Model } from './model/types.js';
import { knownString } from './model/value.js';
import { mapLimit } from './map-limit.js';
import { changedFilter, withContext } from './scope/changed-files.js';
import { parseFile } from './parse/parse-file.js';
import type { InputError, SourceDocument } from './parse/types.js';
import { INPUT_ERROR_RULE, RULES } from './rules/registry.js';
import type { Finding } from './rules/types.js';
import { applySuppressions, type SuppressedFinding } from './suppress/apply.js';
import { ignoreDirectives } from './suppress/directives.js';

export interface ScanOptions {
  paths: string[];
  /** Files or folders of SCP JSON kept outside the scanned paths (`--scp`): scanned too, read as SCPs. */
  scpPaths?: string[];
  /** Paths in results are relative to this folder (default: the process's cwd). */
  cwd?: string;
  maxFileBytes?: number;
  /** Rule settings, include/exclude globs, and the organisation facts rules may read. */
  config?: InvokeguardConfig;
  /** `paths` are changed files (pre-commit): scanned with the context they need, only findings that belong to them reported. */
  changedOnly?: boolean;
  /** Called as each file is parsed (progress display). */
  onProgress?: (parsed: number, total: number) => void;
}

export interface ScanResult {
  files: number;
  findings: Finding[];
  notices: DiscoveryNotice[];
  /** Findings an `invokeguard:ignore` with a reason removed from `findings`. */
  suppressed?: SuppressedFinding[];
}

/** The whole pipeline: discover → parse → model → rules. Output order is deterministic. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const display = (path: string) => relative(cwd, path).split(sep).join('/') || '.';
  const scpPaths = options.scpPaths ?? [];
  const paths = options.changedOnly ? await withContext(options.paths, cwd) : options.paths;
  const { files, notices } = await discover([...paths, ...scpPaths], cwd, options.config);
  const scpRoots = scpPaths.map((p) => resolve(cwd, p));
  const scpFiles = new Set(files.filter((f) => scpRoots.some((r) => f.path === r || f.path.startsWith(r + sep))).map((f) => display(f.path)));
  // Reads overlap with parsing; output order is the discovery order whatever the I/O timing.
  let parsed = 0;
  const documents: SourceDocument[] = await mapLimit(files, 16, async (file) => {
    const document = await parseFile(file, display(file.path), options.maxFileBytes);
    options.onProgress?.(++parsed, files.length);
    return document;
  });
  const model = buildModel(documents, scpFiles);
  const catalog = await loadActionCatalog(servicesIn(model));
  const findings: Finding[] = [
    ...documents.flatMap((d) => d.errors.map((e) => inputErrorFinding(e, d.file))),
    ...model.errors.map((e) => inputErrorFinding(e, e.range.file)),
  ];
  for (const rule of RULES) if (ruleEnabled(options.config, rule.meta.id)) findings.push(...rule.check({ model, catalog, ...(options.config ? { config: options.config } : {}) }));
  for (const finding of findings) {
    const constructPath = model.resources.get(finding.resource)?.constructPath;
    if (constructPath !== undefined) finding.constructPath = constructPath;
  }
  const { directives, problems } = ignoreDirectives(documents);
  const { findings: kept, suppressed } = applySuppressions(sortFindings(dedupe(applyRuleSettings([...findings, ...problems], options.config))), directives, model);
  const analysed = documents.filter((d) => d.format !== 'ignored').length;
  const inScope = options.changedOnly ? changedFilter(options.paths, cwd, model) : () => true;
  return { files: analysed, findings: kept.filter(inScope), suppressed: suppressed.filter((s) => inScope(s.finding)), notices: notices.map((n) => ({ ...n, path: display(n.path) })) };
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
