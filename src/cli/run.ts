import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyBaseline, createBaseline, readBaseline } from '../baseline/baseline.js';
import { loadConfig } from '../config/config.js';
import { UsageError } from '../discover/discover.js';
import { FORMATTERS } from '../report/formatters.js';
import { ruleErrorMessage } from '../rules/run-rules.js';
import { scan } from '../scan.js';
import { SEVERITIES, severityRank, type Rule, type Severity } from '../rules/types.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
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
  keepGoing?: boolean;
  maxFileSize?: number;
}

/**
 * argv → scan → report → exit code (0 clean, 1 findings at/above the threshold, 2 usage/internal error).
 * `testing.rules` replaces the rule registry (tests inject a failing rule).
 */
export async function runCli(argv: string[], io: CliIo, testing: { rules?: readonly Rule[] } = {}): Promise<number> {
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
    .option('--keep-going', 'when a rule fails internally (IG900), still exit 0/1 by the other findings instead of 2')
    .option('--max-file-size <bytes>', 'skip (IG901) files larger than this; k/M suffixes allowed (default 5M, or maxFileBytes in the config)', parseByteSize)
    .option('--debug', 'print stack traces of internal errors')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
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
  try {
    const config = await loadConfig(options.config, paths, process.cwd());
    // Read before scanning (fail fast) and before --write-baseline may replace the same file.
    const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
    const maxFileBytes = options.maxFileSize ?? config?.maxFileBytes;
    const scanned = await scan({ paths, config, scpPaths: options.scp, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}), ...(testing.rules ? { rules: testing.rules } : {}) });
    for (const failure of scanned.ruleErrors ?? []) {
      io.stderr(`invokeguard: ${ruleErrorMessage(failure)}\n`);
      if (options.debug && failure.stack) io.stderr(`${failure.stack}\n`);
    }
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
    const report = FORMATTERS[options.format](shown, { version: VERSION, color, linkBase: githubBlobBase(io.env) });
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

/** `--max-file-size 500000`, `512k`, `10M` (also with a trailing B). */
function parseByteSize(value: string): number {
  const match = /^(\d+)\s*([kKmM]?)[bB]?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new InvalidArgumentError('expected a positive number of bytes, e.g. 500000, 512k or 10M');
  return Number(match[1]) * (match[2].toLowerCase() === 'k' ? 1024 : match[2].toLowerCase() === 'm' ? 1024 * 1024 : 1);
}

/** In a GitHub Actions run from the checkout's root, links to the scanned commit's files. */
function githubBlobBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repo || !sha || !workspace || workspace !== process.cwd()) return undefined;
  return `${server}/${repo}/blob/${sha}/`;
}
