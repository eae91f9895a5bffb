import { lstat, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Finding } from '../rules/types.js';
import { scan, type ScanOptions } from '../scan.js';
import type { TextEdit } from './types.js';
import { lazyBuiltins } from '../lazy-builtin.js';

/** What --fix did (or, dry run, would do) to one file. */
export interface FileFix {
  /** The file as findings show it. */
  file: string;
  /** The findings whose edits were applied (or, refused, would have been). */
  findings: Finding[];
  before: string;
  after: string;
  /** Why the file was left untouched; absent when fixed. */
  refused?: string;
}

export interface FixOptions extends ScanOptions {
  /** Compute and verify, but write nothing. */
  dryRun?: boolean;
  /** The texts the edits were computed on (ScanResult.sources): a file that differs now is left alone. */
  sources?: ReadonlyMap<string, string>;
}

/** Applies edits to a text. Edits must not overlap; they are applied from the end so offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) throw new Error(`overlapping edits at offset ${sorted[i].start}`);
  let out = text;
  for (const edit of sorted.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * The fix stage's second half. Per file: apply the edits of every fixable finding (a finding
 * whose edits overlap one already taken waits for the next run), re-run the whole scan on the
 * edited texts, and keep a file's edits only if it still parses, the findings they fix are
 * gone, and no new finding appears. Then write each kept file atomically. Files outside the
 * scan roots, under `.git`, or reached through a symlink are never written.
 */
export async function applyFixes(findings: readonly Finding[], options: FixOptions): Promise<FileFix[]> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = (file: string) => resolve(cwd, file);
  const results: FileFix[] = [];
  const candidates = new Map<string, FileFix & { edits: TextEdit[] }>();
  for (const finding of findings) {
    const edits = finding.fix?.edits ?? [];
    if (edits.length === 0) continue;
    const file = edits[0].file;
    if (edits.some((e) => e.file !== file)) continue;
    let entry = candidates.get(file);
    if (!entry) {
      entry = { file, findings: [], before: '', after: '', edits: [] };
      candidates.set(file, entry);
    }
    const fresh = edits.filter((e) => !entry.edits.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => entry.edits.some((t) => e.start < t.end && t.start < e.end || (e.start === e.end && e.start === t.start)))) continue;
    entry.edits.push(...fresh);
    entry.findings.push(finding);
  }
  const roots = await Promise.all(options.paths.map(async (p) => ({ shown: absolute(p), real: await realpath(absolute(p)).catch(() => undefined) })));
  for (const entry of candidates.values()) {
    const unsafe = await unsafeToWrite(absolute(entry.file), roots);
    const source = unsafe ? undefined : await readText(absolute(entry.file));
    entry.before = source?.text ?? '';
    const scanned = options.sources?.get(entry.file);
    const refusal = unsafe ?? (source === undefined ? 'the file cannot be read' : scanned !== undefined && scanned !== source.text ? 'the file changed since it was scanned' : undefined);
    if (refusal || !source) {
      results.push({ ...entry, after: entry.before, refused: refusal ?? 'the file cannot be read' });
      candidates.delete(entry.file);
      continue;
    }
    try {
      entry.after = applyEdits(source.text, entry.edits);
    } catch (error) {
      results.push({ ...entry, after: entry.before, refused: (error as Error).message });
      candidates.delete(entry.file);
    }
  }
  // Verify against a full re-scan: a fix in one file can change what another file's rules see.
  while (candidates.size > 0) {
    const contents = new Map([...candidates.values()].map((c) => [absolute(c.file), c.after]));
    const rescanned = await scan({ ...options, contents });
    let refusedAny = false;
    for (const entry of candidates.values()) {
      const refusal = verify(entry, findings, rescanned.findings);
      if (!refusal) continue;
      results.push({ ...entry, after: entry.before, refused: refusal });
      candidates.delete(entry.file);
      refusedAny = true;
    }
    if (!refusedAny) break;
  }
  for (const entry of candidates.values()) {
    const { edits: _edits, ...fix } = entry;
    if (!options.dryRun) {
      // An I/O failure refuses this file only; the files already written stay valid on their own.
      const refusal = await writeIfUnchanged(absolute(entry.file), entry.before, entry.after).catch((error: unknown) => `could not write the file: ${error instanceof Error ? error.message : String(error)}`);
      if (refusal) {
        results.push({ ...fix, after: fix.before, refused: refusal });
        continue;
      }
    }
    results.push(fix);
  }
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

const key = (f: Finding) => `${f.ruleId} on ${f.resource}`;

function counts(findings: readonly Finding[], file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) if (f.range.file === file) out.set(key(f), (out.get(key(f)) ?? 0) + 1);
  return out;
}

/** Why an edited file must not be written: it no longer parses, a fixed finding remains, or a new one appears. */
function verify(entry: FileFix, before: readonly Finding[], after: readonly Finding[]): string | undefined {
  const broken = after.find((f) => f.range.file === entry.file && f.ruleId === 'IG901' && !before.some((b) => b.ruleId === 'IG901' && b.range.file === entry.file && b.message === f.message));
  if (broken) return `the fixed file would not parse (line ${broken.range.line}: ${broken.message})`;
  const was = counts(before, entry.file);
  const now = counts(after, entry.file);
  for (const fixed of entry.findings) was.set(key(fixed), (was.get(key(fixed)) ?? 0) - 1);
  for (const [k, n] of now) {
    if (n <= (was.get(k) ?? 0)) continue;
    return entry.findings.some((f) => key(f) === k) ? `${k} would remain after the fix` : `the fix would introduce ${k}`;
  }
  return undefined;
}

/** Only regular files reached without symlinks, inside a scan root, outside `.git`. */
async function unsafeToWrite(path: string, roots: Array<{ shown: string; real: string | undefined }>): Promise<string | undefined> {
  const root = roots.find((r) => path === r.shown || path.startsWith(r.shown + sep));
  if (!root?.real) return 'the file is outside the scanned paths';
  const inside = relative(root.shown, path);
  if (inside.split(sep).includes('.git') || path.split(sep).includes('.git')) return 'files under .git are never edited';
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return info?.isSymbolicLink() ? 'the file is a symlink; symlinks are not followed when writing' : 'not a regular file';
  const real = await realpath(path).catch(() => undefined);
  const rootIsFile = (await stat(root.real).catch(() => undefined))?.isFile();
  if (real === undefined || (rootIsFile ? real !== root.real : relative(root.real, real) !== inside)) return 'the path goes through a symlink; symlinks are not followed when writing';
  return undefined;
}

async function readText(path: string): Promise<{ text: string; bom: boolean } | undefined> {
  try {
    const raw = await readFile(path, 'utf8');
    return { text: raw.replace(/^\uFEFF/, ''), bom: raw.startsWith('\uFEFF') };
  } catch {
    return undefined;
  }
}

/** Writes through a temp file in the same folder and a rename, so a reader never sees half a file. */
async function writeIfUnchanged(path: string, expected: string, text: string): Promise<string | undefined> {
  const current = await readText(path);
  if (current?.text !== expected) return 'the file changed while invokeguard was fixing it';
  const mode = (await stat(path)).mode & 0o7777;
  const temp = join(dirname(path), `.${basename(path)}.invokeguard-${lazyBuiltins.crypto().randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile((current.bom ? '\uFEFF' : '') + text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return undefined;
}
