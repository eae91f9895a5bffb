import type { Finding } from '../rules/types.js';

/** A finding's fix as one line of a plain-text report: what `--fix` applies, or what to change by hand. */
export function fixText(finding: Finding): string | undefined {
  if (!finding.fix) return undefined;
  return `${finding.fix.edits.length > 0 ? '--fix' : 'By hand'}: ${finding.fix.description}`;
}
