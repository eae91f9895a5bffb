import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { CACHE_DIR } from '../analyzer/cache.js';
import type { AnalyzerOptions } from '../analyzer/client.js';
import { applyBaseline, createBaseline, readBaseline } from '../baseline/baseline.js';
import { loadConfig } from '../config/config.js';
import { UsageError } from '../discover/discover.js';
import { GRAPH_FORMATS } from '../graph/render.js';
import { FORMATTERS } from '../report/formatters.js';
import { ruleErrorMessage } from '../rules/run-rules.js';
import { scan, type ScanResult } from '../scan.js';
import { runFixes } from './fix.js';
import { SEVERITIES, severityRank, type Rule, type Severity } from '../rules/types.js';
import { runGuardrailsCommand } from './guardrails-command.js';
import { runGraph, type GraphOptions } from './graph.js';
import { progressReporter } from './progress.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
  /** stderr is a terminal: progress is drawn there. */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

interface CliOptions {
  format: string;
  output?: string;
  severityThreshold: Severity;
  quiet?: boolean;
  debug?: boolean;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  scp: string[];
  guardrails?: boolean;
  accessAnalyzer?: boolean;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  cache: boolean;
  analyzerTimeout: number;
  fix?: boolean;
  fixDryRun?: boolean;
  showSuppressed?: boolean;
  changedOnly?: boolean;
  /** false with --no-installed-modules. */
  varFile: string[];
  installedModules?: boolean;
  keepGoing?: boolean;
  maxFileSize?: number;
  jobs?: number;
}

/** How the help lists the `guardrails` subcommand (its own `--help` says the rest). */
const GUARDRAILS_ENTRY = new Command('guardrails')
  .option('--emit <format>', 'output format')
  .description('print the recommended organisation guardrails (an SCP stopping every attack scenario, its attachment, detective controls) as terraform, cloudformation or json');

/**
 * argv → scan → report → exit code (0 clean, 1 findings at/above the threshold, 2 usage/internal error).
 * `testing.rules` replaces the rule registry (tests inject a failing rule).
 */
export async function runCli(argv: string[], io: CliIo, testing: { rules?: readonly Rule[] } = {}): Promise<number> {
  // A subcommand; a folder called "guardrails" is scanned as ./guardrails.
  if (argv[0] === 'guardrails') return runGuardrailsCommand(argv.slice(1), io);
  const program = new Command('invokeguard')
    .description('Find IaC that lets AWS Lambda become an execution and persistence path (MITRE ATT&CK T1648).')
    .argument('[paths...]', 'files and folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--severity-threshold <level>', 'lowest severity that fails the run').choices([...SEVERITIES]).default('low'))
    .option('-q, --quiet', 'report only findings at or above the threshold')
    .option('-c, --config <file>', 'config file (default: .invokeguard.yml in the first path, or the working directory)')
    .option('--baseline <file>', 'report only findings not in this baseline')
    .option('--write-baseline <file>', "write the current findings' fingerprints to a baseline file (exits 0)")
    .option('--scp <path>', 'SCP JSON file or folder kept elsewhere; scanned and read as service control policies (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--guardrails', 'run the organisation guardrail rules (IG4xx, IG5xx) even without organisation code in the scan')
    .option('--access-analyzer', 'cross-check findings and validate policies with AWS IAM Access Analyzer (needs AWS credentials; off by default)')
    .option('--region <region>', 'AWS region for --access-analyzer (default: the SDK\'s, e.g. AWS_REGION)')
    .option('--profile <name>', 'AWS profile for --access-analyzer credentials')
    .option('--endpoint-url <url>', 'Access Analyzer endpoint (default: AWS_ENDPOINT_URL_ACCESSANALYZER, AWS_ENDPOINT_URL, or AWS\'s)')
    .option('--no-cache', `do not read or write Access Analyzer answers in ${CACHE_DIR}/`)
    .addOption(new Option('--analyzer-timeout <ms>', 'time limit of each Access Analyzer request attempt').argParser(positiveInteger).default(10000))
    .option('--fix', "apply the findings' automatic fixes to the files, then report what remains")
    .addOption(new Option('--fix-dry-run', 'print the automatic fixes as a unified diff (for git apply) and change nothing').conflicts('fix'))
    .option('--changed-only', 'the paths are changed files (pre-commit): scan them with their context, report only findings that rest on them')
    .option('--no-installed-modules', 'do not analyse the module code terraform init installed under .terraform/modules')
    .option('--var-file <file>', 'Terraform variable file (HCL, or JSON if named .json) applied to every root module after its own tfvars, as terraform -var-file does (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--show-suppressed', 'list findings suppressed by invokeguard:ignore (with their reasons), not only count them')
    .option('--keep-going', 'when a rule fails internally (IG900), still exit 0/1 by the other findings instead of 2')
    .option('--max-file-size <bytes>', 'skip (IG901) files larger than this; k/M suffixes allowed (default 5M, or maxFileBytes in the config)', parseByteSize)
    .addOption(new Option('--jobs <n>', 'parse the files the fast parsers decline on n worker threads; 1: in the main thread (default: one fewer than the cores; 1 on 2 cores or fewer)').argParser(jobCount))
    .option('--debug', 'print stack traces of internal errors')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    // `guardrails` is dispatched before parsing (above), so commander does not know it: list it among the commands.
    .configureHelp({ visibleCommands: (cmd) => [...new Help().visibleCommands(cmd), ...(cmd.name() === 'invokeguard' ? [GUARDRAILS_ENTRY] : [])] })
    // Options after `graph` are the subcommand's own (its --format has other choices).
    .enablePositionalOptions()
    // The default command: scanning. Its work happens after parsing, below.
    .action(() => {});
  let graph: { paths: string[]; options: GraphOptions & { debug?: boolean } } | undefined;
  program
    .command('graph')
    .description('print, per Lambda function, every principal that can invoke it and where it is granted')
    .argument('[paths...]', 'files and folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices([...GRAPH_FORMATS]).default('json'))
    .option('-o, --output <file>', 'write the graph to a file instead of stdout')
    .option('-c, --config <file>', 'config file (include/exclude globs)')
    .option('--debug', 'print stack traces of internal errors')
    .action((graphPaths: string[], graphOptions: GraphOptions & { debug?: boolean }) => {
      graph = { paths: graphPaths, options: graphOptions };
    });
  let paths: string[];
  let options: CliOptions;
  try {
    program.parse(argv, { from: 'user' });
    paths = program.processedArgs[0] as string[];
    options = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    throw error;
  }
  if (graph) return runGraphCommand(graph.paths, graph.options, io);
  try {
    const config = await loadConfig(options.config, paths, process.cwd());
    // Read before scanning (fail fast) and before --write-baseline may replace the same file.
    const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
    // The scan the fixes are checked against runs the same rules, minus the network cross-check and progress.
    const maxFileBytes = options.maxFileSize ?? config?.maxFileBytes;
    const offline = {
      paths,
      config,
      scpPaths: options.scp,
      changedOnly: options.changedOnly ?? false,
      ...(options.guardrails ? { guardrails: true } : {}),
      ...(options.installedModules === false ? { installedModules: false } : {}),
      ...(options.varFile.length > 0 ? { varFiles: options.varFile } : {}),
      ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
      // --jobs 1 is the main thread alone: no worker.
      ...(options.jobs !== undefined ? { parseWorkers: options.jobs > 1 ? options.jobs : 0 } : {}),
      ...(testing.rules ? { rules: testing.rules } : {}),
    };
    if (options.fixDryRun) {
      const before = await scan(offline);
      reportRuleErrors(before, options, io);
      const { diff } = await runFixes(before, { ...offline, dryRun: true }, io.stderr);
      if (options.output) await writeFile(options.output, diff);
      else io.stdout(diff);
      if (before.ruleErrors && !options.keepGoing) return EXIT_ERROR;
      return diff ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    if (options.fix) await runFixes(await scan(offline), offline, io.stderr);
    const progress = io.stderrIsTTY && !options.quiet ? progressReporter(io.stderr) : undefined;
    let scanned;
    try {
      scanned = await scan({
        ...offline,
        ...(options.accessAnalyzer ? { accessAnalyzer: analyzerOptions(options, io.env) } : {}),
        ...(progress ? { onProgress: progress.update } : {}),
        ...(options.format === 'html' ? { invokerGraph: true } : {}),
      });
    } finally {
      progress?.finish();
    }
    for (const warning of scanned.warnings ?? []) io.stderr(`invokeguard: warning: ${warning}\n`);
    reportRuleErrors(scanned, options, io);
    if (options.writeBaseline) {
      await writeFile(options.writeBaseline, createBaseline(scanned.findings));
      io.stderr(`invokeguard: wrote ${scanned.findings.length} finding(s) to baseline ${options.writeBaseline}\n`);
    }
    let result = scanned;
    if (baseline) {
      const { fresh, known } = applyBaseline(scanned.findings, baseline);
      result = { ...scanned, findings: fresh };
      if (known.length > 0 && !options.quiet) io.stderr(`invokeguard: ${known.length} finding(s) already in baseline ${options.baseline}; not reported\n`);
    }
    const threshold = severityRank(options.severityThreshold);
    const failing = result.findings.filter((f) => severityRank(f.severity) >= threshold);
    const shown = options.quiet ? { ...result, findings: failing } : result;
    const color = !options.output && io.isTTY && !io.env.NO_COLOR;
    const report = FORMATTERS[options.format](shown, { version: VERSION, color, linkBase: githubBlobBase(io.env), showSuppressed: options.showSuppressed ?? false });
    if (options.output) await writeFile(options.output, report);
    else io.stdout(report);
    if (scanned.ruleErrors && !options.keepGoing) return EXIT_ERROR;
    if (options.writeBaseline) return EXIT_CLEAN;
    return failing.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
  } catch (error) {
    if (error instanceof UsageError) io.stderr(`invokeguard: ${error.message}\n`);
    else io.stderr(`invokeguard: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (options.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}

/** The SDK reads the endpoint variables from process.env; reading them from the CLI's environment keeps runs reproducible in-process. */
function analyzerOptions(options: CliOptions, env: NodeJS.ProcessEnv): AnalyzerOptions {
  const endpoint = options.endpointUrl ?? env.AWS_ENDPOINT_URL_ACCESSANALYZER ?? env.AWS_ENDPOINT_URL;
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    timeoutMs: options.analyzerTimeout,
    ...(options.cache ? { cacheDir: resolve(CACHE_DIR) } : {}),
    concurrency: 4,
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number of milliseconds');
  return n;
}

function jobCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 256) throw new InvalidArgumentError('expected a whole number of threads from 1 to 256');
  return n;
}

/** `--max-file-size 500000`, `512k`, `10M` (also with a trailing B). */
function parseByteSize(value: string): number {
  const match = /^(\d+)\s*([kKmM]?)[bB]?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new InvalidArgumentError('expected a positive number of bytes, e.g. 500000, 512k or 10M');
  return Number(match[1]) * (match[2].toLowerCase() === 'k' ? 1024 : match[2].toLowerCase() === 'm' ? 1024 * 1024 : 1);
}

/** A rule that threw: named on stderr (its stack with --debug); the report carries it as an IG900 notice. */
function reportRuleErrors(scanned: ScanResult, options: CliOptions, io: CliIo): void {
  for (const failure of scanned.ruleErrors ?? []) {
    io.stderr(`invokeguard: ${ruleErrorMessage(failure)}\n`);
    if (options.debug && failure.stack) io.stderr(`${failure.stack}\n`);
  }
}

/** In a GitHub Actions run from the checkout's root, links to the scanned commit's files. */
function githubBlobBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repo || !sha || !workspace || workspace !== process.cwd()) return undefined;
  return `${server}/${repo}/blob/${sha}/`;
}

async function runGraphCommand(paths: string[], options: GraphOptions & { debug?: boolean }, io: CliIo): Promise<number> {
  try {
    await runGraph(paths, options, io.stdout);
    return EXIT_CLEAN;
  } catch (error) {
    if (error instanceof UsageError) io.stderr(`invokeguard: ${error.message}\n`);
    else io.stderr(`invokeguard: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (options.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}
