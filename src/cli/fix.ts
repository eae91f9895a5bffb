import { applyFixes, type FileFix, type FixOptions } from '../fix/apply.js';
import { unifiedDiff } from '../fix/diff.js';
import type { ScanResult } from '../scan.js';

/** `--fix` / `--fix-dry-run`: apply (or only verify) the scan's fixes; tell stderr what happened. Returns the diff. */
export async function runFixes(scanned: ScanResult, options: FixOptions, stderr: (text: string) => void): Promise<{ fixes: FileFix[]; diff: string }> {
  const fixes = await applyFixes(scanned.findings, { ...options, ...(scanned.sources ? { sources: scanned.sources } : {}) });
  const done = fixes.filter((f) => !f.refused);
  const count = done.reduce((n, f) => n + f.findings.length, 0);
  for (const f of fixes) if (f.refused) stderr(`invokeguard: not fixed: ${f.file}: ${f.refused}\n`);
  stderr(`invokeguard: ${options.dryRun ? 'would fix' : 'fixed'} ${count} finding(s) in ${done.length} file(s)\n`);
  return { fixes, diff: unifiedDiff(done) };
}
