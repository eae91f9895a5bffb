import type { Finding } from '../rules/types.js';
import { lazyBuiltins } from '../lazy-builtin.js';

/** Bump when the fingerprint inputs change; SARIF's partialFingerprints key carries it. */
export const FINGERPRINT_VERSION = 1;
export const FINGERPRINT_KEY = `invokeguardFinding/v${FINGERPRINT_VERSION}`;

/**
 * Positions a message may mention ("(line 7)", "line 12, column 3"): removed so a finding
 * keeps its fingerprint when the code around it moves. Evidence is code, and kept as is.
 */
const POSITIONS = /\b(?:line|column|col)\s+\d+/gi;

/** Positions are left out. (The Terraform roots a finding names are never in its message: `roots` is not read, so baselines written before findings named roots still hold.) */
function normaliseMessage(text: string): string {
  return text.replace(POSITIONS, '#').replace(/\s+/g, ' ').trim();
}

/**
 * What identifies a finding regardless of where in its file it sits: rule, file, resource,
 * and the evidence (or, without evidence, the message with positions removed). Never the line.
 */
export function fingerprintInput(finding: Finding): string {
  return [finding.ruleId, finding.range.file, finding.resource, finding.evidence?.replace(/\s+/g, ' ').trim() ?? normaliseMessage(finding.message)].join('\u0000');
}

/**
 * Stable fingerprints, one per finding, in the findings' order. Findings with identical
 * inputs get an occurrence suffix (`:2`, `:3`, …) in their order, so a baseline that holds
 * one of them does not hide a second one added later.
 */
export function fingerprintFindings(findings: readonly Finding[]): string[] {
  const { createHash } = lazyBuiltins.crypto();
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const hash = createHash('sha256').update(fingerprintInput(finding)).digest('hex').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}
