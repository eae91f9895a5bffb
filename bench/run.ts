import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { discover } from '../src/discover/discover.js';
import { fastPaths } from '../src/parse/fast-paths.js';
import { readSource } from '../src/parse/read-source.js';
import { parseHcl, parseHclWithTreeSitter } from '../src/parse/terraform-hcl/parse-hcl.js';
import { scan } from '../src/scan.js';
import { generateCloudFormationCorpus } from './generate-cfn.js';
import { generateCorpus } from './generate.js';

/**
 * `npm run bench -- --files N [--keep] [--tree-sitter]`: generates a deterministic Terraform corpus
 * in a temp folder, then times a full scan and, separately, reading + parsing alone, and the
 * bundled CLI's wall time including Node start-up.
 * `--scaling`: the same at 1k, 5k and 10k files, each in a fresh process (peak RSS per size).
 * `--compare [--runs N]`: the 2,000-file corpus as CloudFormation, invokeguard's CLI against cfn-guard
 * 3.1.1 (from @cdklabs/cdk-validator-cfnguard, when installed; never a dependency), N runs each
 * (default 3), alternating, each in a fresh process.
 * `--pool [--files N] [--repeat R]`: where the parse pool matters: the corpus scanned with the fast
 * parsers off (every file through tree-sitter) and the real-world corpus (../shared/realworld, when
 * present) as it is, each with `--jobs 1` (main thread only) and with the pool; R runs each,
 * alternating, in fresh processes.
 */
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
    'tree-sitter': { type: 'boolean', default: false },
    scaling: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    pool: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    phase: { type: 'string' },
    dir: { type: 'string' },
    workers: { type: 'string' },
    reference: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
  },
});
const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '..', 'invokeguard.mjs'); // the bundled CLI, as the package's bin runs it
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

interface Measured {
  files: number;
  lines: number;
  bytes: number;
  scanMs: number;
  parseMs: number;
  treeSitterMs?: number;
  findings: number;
  maxRssKb: number;
}

/** One timed phase over an existing corpus, in this (fresh) process; prints JSON for the parent. */
async function phase(name: string, dir: string): Promise<void> {
  const started = performance.now();
  let findings = 0;
  // Fast paths off: every HCL and CloudFormation YAML file goes through the reference parsers.
  if (values.reference) fastPaths.enabled = false;
  if (name === 'scan') findings = (await scan({ paths: [dir], cwd: dir, ...(values.workers !== undefined ? { parseWorkers: Number(values.workers) } : {}) })).findings.length;
  else {
    // The same reader and parser the scan uses (fast path, tree-sitter where it declines), nothing after;
    // or, with phase tree-sitter, tree-sitter for every file (the parser before the fast path).
    const parse = name === 'tree-sitter' ? parseHclWithTreeSitter : parseHcl;
    const { files } = await discover([dir]);
    for (const file of files) {
      const source = await readSource(file.path, file.path);
      if ('text' in source) await parse(file.path, source.text);
    }
  }
  console.log(JSON.stringify({ ms: performance.now() - started, findings, maxRssKb: process.resourceUsage().maxRSS }));
}

function runPhase(name: string, dir: string, extra: string[] = []): { ms: number; findings: number; maxRssKb: number } {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--phase', name, '--dir', dir, ...extra], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; findings: number; maxRssKb: number };
}

/** Scan and parse-only each in a fresh process, so neither inherits the other's warm JIT or caches. */
function single(count: number): void {
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--files must be a positive integer, got ${values.files}`);
  const dir = mkdtempSync(join(tmpdir(), 'invokeguard-bench-'));
  const corpus = generateCorpus(dir, count);
  const scanned = runPhase('scan', dir);
  const parsed = runPhase('parse', dir);
  const treeSitterMs = values['tree-sitter'] ? runPhase('tree-sitter', dir).ms : undefined;
  // As a user (or a pre-commit hook) runs it: the bundled CLI in a fresh Node process.
  const cli = timed(process.execPath, [CLI, dir, '--format', 'json', '--output', join(tmpdir(), 'invokeguard-bench-cli.json')]);
  const measured: Measured = { ...corpus, scanMs: scanned.ms, parseMs: parsed.ms, treeSitterMs, findings: scanned.findings, maxRssKb: scanned.maxRssKb };
  if (values.json) console.log(JSON.stringify(measured));
  else {
    console.log(`corpus        ${corpus.files} files, ${corpus.lines} lines, ${(corpus.bytes / 1e6).toFixed(1)} MB (${dir})`);
    console.log(`scan          ${seconds(scanned.ms)} wall, ${(corpus.files / (scanned.ms / 1000)).toFixed(0)} files/s, ${scanned.findings} findings`);
    console.log(`parse only    ${seconds(parsed.ms)} wall (read + parse as the scan does it; no model or rules); scan/parse ${(scanned.ms / parsed.ms).toFixed(2)}×`);
    if (treeSitterMs !== undefined) console.log(`tree-sitter   ${seconds(treeSitterMs)} wall (read + tree-sitter parse of every file, the parser before the fast path)`);
    console.log(`peak RSS      ${mb(scanned.maxRssKb)} (scan process)`);
    console.log(`CLI           ${seconds(cli.ms)} wall (bundled CLI, including Node start-up; exit ${cli.status})`);
  }
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

function scaling(): void {
  console.log('files    scan      files/s   parse only   scan/parse   peak RSS');
  for (const count of [1000, 5000, 10000]) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--files', String(count), '--json'], { encoding: 'utf8' });
    const m = JSON.parse(out.trim().split('\n').pop()!) as Measured;
    console.log(
      `${String(count).padEnd(8)} ${seconds(m.scanMs).padEnd(9)} ${(count / (m.scanMs / 1000)).toFixed(0).padEnd(9)} ${seconds(m.parseMs).padEnd(12)} ${(m.scanMs / m.parseMs).toFixed(2).padEnd(12)} ${mb(m.maxRssKb)}`,
    );
  }
}

/** The three Control Tower proactive controls that overlap invokeguard's rules (IG101, IG104, IG202). */
const CFN_GUARD_RULES = ['lambda/ct-lambda-pr-2.guard', 'lambda/ct-lambda-pr-5.guard', 'identityandaccessmanagement/ct-iam-pr-2.guard'];

function cfnGuard(): { binary: string; rules: string[] } | undefined {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
  } catch {
    return undefined;
  }
  const platform = process.platform === 'darwin' ? 'macos' : process.platform === 'linux' ? 'ubuntu' : undefined;
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined;
  const binary = platform && arch ? join(root, 'bin', platform, arch, 'cfn-guard') : '';
  const rules = CFN_GUARD_RULES.map((r) => join(root, 'rules', 'control-tower', 'cfn-guard', r));
  return existsSync(binary) && rules.every((r) => existsSync(r)) ? { binary, rules } : undefined;
}

function timed(command: string, args: string[]): { ms: number; status: number | null } {
  const start = performance.now();
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  return { ms: performance.now() - start, status: run.status };
}

function compare(): void {
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs <= 0) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  const dir = mkdtempSync(join(tmpdir(), 'invokeguard-bench-cfn-'));
  const corpus = generateCloudFormationCorpus(dir, 2000);
  console.log(`corpus        ${corpus.files} CloudFormation templates, ${corpus.lines} lines, ${(corpus.bytes / 1e6).toFixed(1)} MB (${dir})`);
  const guard = cfnGuard();
  if (!guard) console.log('cfn-guard     not installed: `npm install --no-save @cdklabs/cdk-validator-cfnguard` to compare (3.1.1, Control Tower rules ' + CFN_GUARD_RULES.join(', ') + ')');
  // Both as a user runs them, on the same folder: a fresh process each run, all invokeguard rules
  // on, cfn-guard with the three rules only. Runs alternate, so load on the machine hits both alike.
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const mine = timed(process.execPath, [CLI, dir, '--format', 'json', '--output', join(tmpdir(), 'invokeguard-bench-cfn.json')]);
    ours.push(mine.ms);
    let line = `run ${run}         invokeguard ${seconds(mine.ms)} (exit ${mine.status})`;
    if (guard) {
      const other = timed(guard.binary, ['validate', ...guard.rules.flatMap((r) => ['--rules', r]), '--data', dir, '--show-summary', 'none']);
      theirs.push(other.ms);
      line += `, cfn-guard ${seconds(other.ms)} (exit ${other.status}), ${((mine.ms / other.ms) * 100).toFixed(1)}%`;
    }
    console.log(line);
  }
  console.log(`invokeguard   median ${seconds(median(ours))} wall (all rules, --format json --output file)`);
  if (guard) {
    console.log(`cfn-guard     median ${seconds(median(theirs))} wall (${CFN_GUARD_RULES.join(', ')})`);
    console.log(`ratio         invokeguard takes ${((median(ours) / median(theirs)) * 100).toFixed(1)}% of cfn-guard's time, medians of ${runs} (target < 10%)`);
  }
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

/** Scan wall times with the main thread alone (`--jobs 1`) and with the pool, alternating runs in fresh processes. */
function poolRuns(label: string, dir: string, extra: string[]): void {
  const repeat = Number(values.repeat);
  const workers = availableParallelism() > 1 ? availableParallelism() : 0;
  const runs: Record<'single' | 'pool', number[]> = { single: [], pool: [] };
  const findings = new Set<number>();
  for (let i = 0; i < repeat; i++) {
    for (const [key, n] of [['single', 0], ['pool', workers]] as const) {
      const run = runPhase('scan', dir, ['--workers', String(n), ...extra]);
      runs[key].push(run.ms);
      findings.add(run.findings);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const show = (xs: number[]) => `median ${seconds(median(xs))}, min ${seconds(Math.min(...xs))}`;
  console.log(`${label}`);
  console.log(`  --jobs 1      ${show(runs.single)}`);
  console.log(`  pool (${workers})      ${show(runs.pool)}   (pool/single ${(median(runs.pool) / median(runs.single)).toFixed(2)}× by median; ${repeat} runs each)`);
  if (findings.size !== 1) throw new Error(`findings differ with and without the pool: ${[...findings].join(' / ')}`);
}

function pool(count: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'invokeguard-bench-pool-'));
  const corpus = generateCorpus(dir, count);
  poolRuns(`reference parsers (fast paths off): ${corpus.files} Terraform files, ${(corpus.bytes / 1e6).toFixed(1)} MB, every file through tree-sitter`, dir, ['--reference']);
  poolRuns(`fast paths on, the same ${corpus.files} files (none declined: the pool never starts)`, dir, []);
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  const realworld = join(HERE, '..', '..', '..', 'shared', 'realworld');
  if (existsSync(realworld)) poolRuns(`real-world corpus (${realworld}), as it is`, realworld, []);
  else console.log(`real-world corpus not present (${realworld})`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (values.phase && values.dir) await phase(values.phase, values.dir);
else if (values.pool) pool(Number(values.files));
else if (values.scaling) scaling();
else if (values.compare) compare();
else single(Number(values.files));
