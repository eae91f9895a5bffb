import { resolve, sep } from 'node:path';
import { applyRuleSettings, ruleEnabled, type InvokeguardConfig } from './config/config.js';
import { discover, type DiscoveryNotice } from './discover/discover.js';
import { displayPath } from './discover/display-path.js';
import { referencedFileReader } from './discover/referenced-files.js';
import { invokerGraph, type FunctionInvokers } from './graph/invokers.js';
import { guardrailsActive } from './guardrails/activation.js';
import { loadConditionKeys } from './guardrails/condition-keys.js';
import { withholdParentEdits, withholdSharedInstanceFixes } from './fix/instances.js';
import { resolveFixes } from './fix/resolve.js';
import { loadActionCatalog } from './iam/action-catalog.js';
import { IAM_PREFIX_OF_ENDPOINT } from './iam/action-hints.js';
import { modelAssembler } from './model/assemble-model.js';
import { resourceAt } from './model/resource-spans.js';
import { installedKey } from './model/terraform/module-tree.js';
import type { AnalyzerOptions } from './analyzer/client.js';
import type { PolicyToCheck } from './analyzer/policies.js';
import type { Model } from './model/types.js';
import { knownString } from './model/value.js';
import { mapLimit } from './map-limit.js';
import { changedPlaces, withContext } from './scope/changed-files.js';
import { relocateToModuleCalls } from './scope/installed-modules.js';
import { fileParser } from './parse/parse-pool.js';
import { parseText } from './parse/parse-file.js';
import { loadYamlLibrary } from './parse/yaml-library.js';
import { readSource } from './parse/read-source.js';
import { parseTfvarsJson } from './parse/terraform-json/tf-json.js';
import type { NoEditSpans } from './parse/no-edit-spans.js';
import type { InputError, SourceDocument } from './parse/types.js';
import { ACCESS_ANALYZER_RULE, DUPLICATE_KEY_RULE, INPUT_ERROR_RULE, RULES } from './rules/registry.js';
import { runRules, ruleErrorMessage, type RuleError } from './rules/run-rules.js';
import type { Finding, Rule } from './rules/types.js';
import { applySuppressions, type SuppressedFinding } from './suppress/apply.js';
import { directivesCollector, type DirectiveScan } from './suppress/directives.js';

export interface ScanOptions {
  paths: string[];
  /** Files or folders of SCP JSON kept outside the scanned paths (`--scp`): scanned too, read as SCPs. */
  scpPaths?: string[];
  /** Paths in results are relative to this folder (default: the process's cwd). */
  cwd?: string;
  maxFileBytes?: number;
  /** Rule settings, include/exclude globs, and the organisation facts rules may read. */
  config?: InvokeguardConfig;
  /** `--guardrails`: run the organisation guardrail rules even without organisation code in the scan. */
  guardrails?: boolean;
  /** Cross-check with AWS IAM Access Analyzer (`--access-analyzer`); absent: no network call is made. */
  accessAnalyzer?: AnalyzerOptions;
  /** Texts to scan instead of what is on disk, by absolute path (the fix stage checks edited files before writing them). */
  contents?: ReadonlyMap<string, string>;
  /** `paths` are changed files (pre-commit): scanned with the context they need, only findings that belong to them reported. */
  changedOnly?: boolean;
  /** Analyse the module code `terraform init` installed under `.terraform/modules` (default: true). */
  installedModules?: boolean;
  /** `--var-file`: tfvars (HCL or JSON) applied to every root module after its own, in order, as `terraform -var-file` is. */
  varFiles?: string[];
  /** Also compute who can invoke each function (the HTML report draws it). */
  invokerGraph?: boolean;
  /** Called as each file is parsed (progress display). */
  onProgress?: (parsed: number, total: number) => void;
  /** Worker threads for the files the fast parsers decline (default: one fewer than the cores, none on 2 or fewer); 0 parses in this thread. */
  parseWorkers?: number;
  /** The rules to run (default: the registry's). For tests, e.g. a rule that throws. */
  rules?: readonly Rule[];
}

export interface ScanResult {
  files: number;
  findings: Finding[];
  notices: DiscoveryNotice[];
  /** Problems that did not stop the scan or change its findings (e.g. Access Analyzer unreachable). */
  warnings?: string[];
  /** The texts the fixes' edits were computed on, by file as findings show it (only files with a fix). */
  sources?: ReadonlyMap<string, string>;
  /** Per function, every principal that can invoke it (with `invokerGraph`). */
  invokers?: FunctionInvokers[];
  /** Findings an `invokeguard:ignore` with a reason removed from `findings`. */
  suppressed?: SuppressedFinding[];
  /** Rules whose check threw (also in notices, as IG900): their findings are missing. */
  ruleErrors?: RuleError[];
}

/** What is kept of a parsed file once it is modelled: its syntax tree is released. */
export interface ParsedFile {
  format: SourceDocument['format'];
  file: string;
  errors: InputError[];
  /** What the fix stage must not edit, from this parse (only files with such places): it need not parse the file again. */
  noEdit?: NoEditSpans;
}

export interface ModelResult {
  documents: ParsedFile[];
  /** The `invokeguard:ignore` directives written in the files, and IG903 problems with them. */
  directives: DirectiveScan;
  model: Model;
  notices: DiscoveryNotice[];
  display(path: string): string;
}

/** discover → parse → model: what `scan` runs rules on, and what `invokeguard graph` draws. */
export async function loadModel(options: ScanOptions): Promise<ModelResult> {
  const cwd = options.cwd ?? process.cwd();
  const display = displayPath(cwd);
  const scpPaths = options.scpPaths ?? [];
  const paths = options.changedOnly ? await withContext(options.paths, cwd) : options.paths;
  const { files, notices, modules } = await discover([...paths, ...scpPaths], cwd, { ...options.config, installedModules: options.installedModules ?? true });
  const scpRoots = scpPaths.map((p) => resolve(cwd, p));
  const displayed = files.map((f) => display(f.path));
  const scpFiles = new Set(displayed.filter((_, i) => scpRoots.some((r) => files[i].path === r || files[i].path.startsWith(r + sep))));
  const parser = fileParser({ files: files.length, workers: options.parseWorkers });
  const parse = (index: number) => parser.parse(files[index], displayed[index], options.maxFileBytes, options.contents?.get(files[index].path));
  // Each file is modelled as soon as its directory is complete and its tree dropped (see modelAssembler).
  const installed = new Map(modules.map((m) => [installedKey(display(m.callerDir), m.name), display(m.dir)]));
  const varDocuments = await Promise.all((options.varFiles ?? []).map((path) => parseVarFile(resolve(cwd, path), display(resolve(cwd, path)), options.maxFileBytes)));
  const varFiles = varDocuments.flatMap((d) => (d.format === 'terraform-vars' ? [d.hcl] : []));
  // file() reads what discovery would admit: inside the scanned paths, symlinks resolved, within the size limit.
  const readFile = referencedFileReader({ cwd, scanned: [...paths, ...scpPaths], maxFileBytes: options.maxFileBytes, contents: options.contents, display });
  const assembler = modelAssembler(displayed, scpFiles, (indices) => mapLimit(indices, 16, parse), { installed, varFiles, readFile });
  const directivesOf = directivesCollector();
  const directiveScans = new Array<DirectiveScan>(files.length);
  let parsed = 0;
  try {
    // Output order is the discovery order, whatever order the files finish in.
    const documents: ParsedFile[] = await mapLimit(
      files.map((_, index) => index),
      16,
      async (index) => {
        const document = await parse(index);
        directiveScans[index] = directivesOf(document);
        assembler.add(index, document);
        options.onProgress?.(++parsed, files.length);
        const kept: ParsedFile = { format: document.format, file: document.file, errors: document.errors };
        if ('noEdit' in document && document.noEdit) kept.noEdit = document.noEdit;
        return kept;
      },
    );
    const directives: DirectiveScan = { directives: directiveScans.flatMap((d) => d.directives), problems: directiveScans.flatMap((d) => d.problems) };
    // A var file's syntax errors are reported like any file's.
    const varErrors: ParsedFile[] = varDocuments.map((d) => ({ format: d.format, file: d.file, errors: d.errors }));
    // A variable file given with --var-file was applied: its notice of not being loaded does not hold.
    const given = new Set((options.varFiles ?? []).map((path) => resolve(cwd, path)));
    const held = given.size === 0 ? notices : notices.filter((n) => !given.has(resolve(cwd, n.path)));
    const model = await assembler.finish();
    // The model's notices name files as findings do (display paths) already.
    return { documents: [...documents, ...varErrors], directives, model, notices: [...held, ...(model.notices ?? []).map((n) => ({ ...n, path: resolve(cwd, n.path) }))], display };
  } finally {
    await parser.close();
  }
}

/** The whole pipeline: discover → parse → model → rules → fixes → suppressions (→ Access Analyzer). Output order is deterministic. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const { documents, directives: directiveScan, model, notices, display } = await loadModel(options);
  const catalog = await loadActionCatalog(servicesIn(model));
  const conditionKeys = await loadConditionKeys(model);
  const findings: Finding[] = [
    ...documents.flatMap((d) => d.errors.map((e) => inputErrorFinding(e, d.file))),
    ...model.errors.map((e) => inputErrorFinding(e, e.range.file)),
  ];
  const enabled = (options.rules ?? RULES).filter((rule) => ruleEnabled(options.config, rule.meta.id));
  const context = { model, catalog, conditionKeys, ...(options.guardrails ? { guardrails: true } : {}), ...(options.config ? { config: options.config } : {}) };
  // Guardrail findings carry their SCP as CloudFormation YAML, written by the yaml library.
  if (guardrailsActive(context)) await loadYamlLibrary();
  const ruled = runRules(enabled, context);
  findings.push(...ruled.findings);
  relocateToModuleCalls(findings, model);
  tagConstructPaths(findings, model);
  withholdParentEdits(findings, model);
  withholdSharedInstanceFixes(findings, model);
  // Fix stage: rules' changes become text edits on the files as scanned, with the places not to edit that the parse found.
  const sources = new Map<string, string>();
  const noEdit = new Map<string, NoEditSpans>();
  for (const d of documents) if (d.noEdit) noEdit.set(d.file, d.noEdit);
  await resolveFixes(
    findings,
    async (file) => {
      const text = options.contents?.get(resolve(cwd, file)) ?? textOf(await readSource(resolve(cwd, file), file, options.maxFileBytes));
      if (text !== undefined) sources.set(file, text);
      return text;
    },
    noEdit,
  );
  const analysed = documents.filter((d) => d.format !== 'ignored').length;
  const { directives, problems } = directiveScan;
  const { findings: kept, suppressed } = applySuppressions(sortFindings(dedupe(applyRuleSettings([...findings, ...problems], options.config))), directives, model);
  const warnings: string[] = [];
  // --changed-only: what rests on the changed paths (stands, is declared, or has a value written there), as against their context.
  const inChanged = options.changedOnly ? changedPlaces(options.paths, cwd, model) : undefined;
  if (options.accessAnalyzer) {
    // Loaded only when asked for: a normal scan never loads the AWS SDK.
    const { crossCheck } = await import('./analyzer/cross-check.js');
    // --changed-only: the context files are scanned for what the changed ones refer to, not sent to AWS.
    const only = inChanged && ((policy: PolicyToCheck) => inChanged(policy.range.file, policy.address) || policy.statements.some((s) => inChanged(s.range.file, s.address)));
    const checked = await crossCheck(model, kept, { ...options.accessAnalyzer, validate: ruleEnabled(options.config, ACCESS_ANALYZER_RULE.id), ...(only ? { only } : {}) });
    tagConstructPaths(checked.findings, model);
    const analyzerFindings = applySuppressions(applyRuleSettings(checked.findings, options.config), directives, model);
    kept.push(...analyzerFindings.findings);
    suppressed.push(...analyzerFindings.suppressed);
    if (checked.warning) warnings.push(checked.warning);
  }
  const inScope = inChanged ? (finding: Finding) => inChanged(finding.range.file, finding.resource) : () => true;
  return {
    files: analysed,
    findings: sortFindings(kept.filter(inScope)),
    suppressed: suppressed.filter((s) => inScope(s.finding)),
    notices: [...notices.map((n) => ({ ...n, path: display(n.path) })), ...ruled.errors.map((e) => ({ path: '.', message: ruleErrorMessage(e) }))],
    ...(ruled.errors.length > 0 ? { ruleErrors: ruled.errors } : {}),
    ...(warnings.length ? { warnings } : {}),
    ...(options.invokerGraph ? { invokers: invokerGraph(model) } : {}),
    sources,
  };
}

/** A `--var-file` as Terraform reads it: HCL, or JSON when its name ends in `.json`; unreadable, a located IG901. */
async function parseVarFile(path: string, display: string, maxFileBytes?: number): Promise<SourceDocument> {
  const source = await readSource(path, display, maxFileBytes);
  if ('error' in source) return { format: 'unreadable', file: display, errors: [source.error] };
  if (path.toLowerCase().endsWith('.json')) return { format: 'terraform-vars', file: display, ...parseTfvarsJson(display, source.text) };
  return parseText('terraform-vars', display, source.text);
}

function textOf(source: { text: string } | { error: unknown }): string | undefined {
  return 'text' in source ? source.text : undefined;
}

/** CDK-for-Terraform: each finding names the construct its resource was synthesised from. */
function tagConstructPaths(findings: Finding[], model: Model): void {
  // Only synthesised code has construct paths: other scans skip the lookups (and the index they build).
  if (!model.resources.some((r) => r.constructPath !== undefined)) return;
  for (const finding of findings) {
    const constructPath = resourceAt(model, finding.resource, finding.range.file)?.constructPath;
    if (constructPath !== undefined) finding.constructPath = constructPath;
  }
}

/** What to do about each kind of input error: most leave part of a file unread; these two do not. */
const INPUT_SUGGESTIONS = {
  'duplicate-key': 'Delete the ignored entry (or move the intended value into the last one): reviewers read the first value, the deployer uses the last. The file was analysed with the last values.',
  'redefined-argument': 'Remove one of the two definitions: Terraform rejects the file until then. The rest of the file was analysed.',
} as const;

function inputErrorFinding(error: InputError, resource: string): Finding {
  const rule = error.kind === 'duplicate-key' ? DUPLICATE_KEY_RULE : INPUT_ERROR_RULE;
  return {
    ruleId: rule.id,
    severity: rule.severity,
    message: error.message,
    range: error.range,
    resource,
    suggestion: error.kind ? INPUT_SUGGESTIONS[error.kind] : 'Fix the input so it can be analysed; until then invoke grants in it go unchecked.',
  };
}

/** Action services named in the model's policies, plus lambda, so the catalog loads only those. */
function servicesIn(model: Model): Set<string> {
  const services = new Set(['lambda']);
  for (const policy of model.identityPolicies)
    for (const statement of policy.document?.statements ?? [])
      for (const action of [...statement.action, ...statement.notAction]) {
        const service = knownString(action)?.split(':')[0];
        if (!service || service.includes('*') || service.includes('?')) continue;
        services.add(service.toLowerCase());
        // An API endpoint prefix (bedrock-runtime) is not an IAM prefix: load the one IG902 will suggest instead.
        const iam = IAM_PREFIX_OF_ENDPOINT.get(service.toLowerCase());
        if (iam) services.add(iam.prefix);
      }
  return services;
}

/**
 * The same grant reached through two module instances is one finding; when two roots' instances of
 * one module share address and place, its `roots` lists both. A root's finding that says something
 * else (other inputs, other grants) stays its own: the root it names tells the two apart.
 */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding[]>();
  const roots = new Map<Finding, Set<string>>();
  const kept = findings.filter((f) => {
    const key = `${f.ruleId}|${f.resource}|${f.range.file}|${f.range.line}|${f.range.column}`;
    const same = seen.get(key);
    if (!same) {
      seen.set(key, [f]);
      return true;
    }
    if (f.roots === undefined) return false;
    const twin = same.find((k) => k.roots !== undefined && k.message === f.message);
    if (!twin) {
      same.push(f);
      return true;
    }
    const named = roots.get(twin) ?? new Set(twin.roots);
    for (const root of f.roots) named.add(root);
    roots.set(twin, named);
    return false;
  });
  for (const [finding, named] of roots) finding.roots = [...named].sort();
  return kept;
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
