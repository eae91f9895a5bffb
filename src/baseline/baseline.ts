import { readFile } from 'node:fs/promises';
import { UsageError } from '../discover/discover.js';
import { fingerprintFindings } from '../report/fingerprint.js';
import type { Finding } from '../rules/types.js';

export const BASELINE_VERSION = 1;

/** One accepted finding; rule, resource and file are there for people reviewing the file. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  resource: string;
  file: string;
}

export interface BaselineFile {
  tool: 'invokeguard';
  baselineVersion: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** A baseline file that is missing or not one invokeguard wrote; the CLI exits 2 with its message. */
export class BaselineError extends UsageError {}

/** The baseline text for these findings (fingerprints as in SARIF's partialFingerprints). */
export function createBaseline(findings: readonly Finding[]): string {
  const fingerprints = fingerprintFindings(findings);
  const file: BaselineFile = {
    tool: 'invokeguard',
    baselineVersion: BASELINE_VERSION,
    findings: findings
      .map((f, i) => ({ fingerprint: fingerprints[i], ruleId: f.ruleId, resource: f.resource, file: f.range.file }))
      .sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.resource.localeCompare(b.resource) || a.fingerprint.localeCompare(b.fingerprint)),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a baseline's fingerprints; a missing, unparsable or foreign file is a BaselineError naming it. */
export async function readBaseline(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BaselineError(`cannot read baseline file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`baseline file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const file = data as Partial<BaselineFile> | null;
  if (typeof file !== 'object' || file === null || file.tool !== 'invokeguard' || !Array.isArray(file.findings))
    throw new BaselineError(`baseline file ${path} is not an invokeguard baseline (write one with --write-baseline)`);
  if (file.baselineVersion !== BASELINE_VERSION)
    throw new BaselineError(`baseline file ${path} has version ${String(file.baselineVersion)}; this invokeguard reads version ${BASELINE_VERSION}`);
  const fingerprints = new Set<string>();
  file.findings.forEach((entry, i) => {
    if (typeof entry?.fingerprint !== 'string' || entry.fingerprint === '')
      throw new BaselineError(`baseline file ${path}: findings[${i}] has no fingerprint`);
    fingerprints.add(entry.fingerprint);
  });
  return fingerprints;
}

/** Splits findings into new ones and those the baseline already accepted. */
export function applyBaseline(findings: readonly Finding[], baseline: ReadonlySet<string>): { fresh: Finding[]; known: Finding[] } {
  const fingerprints = fingerprintFindings(findings);
  const fresh: Finding[] = [];
  const known: Finding[] = [];
  findings.forEach((f, i) => (baseline.has(fingerprints[i]) ? known : fresh).push(f));
  return { fresh, known };
}
