import { realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, readSourceSync } from '../parse/read-source.js';
import { isInside } from './inside.js';

export interface ReferencedFile {
  /** The path as findings show it. */
  file: string;
  text: string;
}

/** Reads a file the scanned code names (Terraform's `file()`), by a path relative to the scan's cwd or absolute; undefined when it may not or cannot be read. */
export type ReferencedFileReader = (path: string) => ReferencedFile | undefined;

export interface ReferencedFileOptions {
  cwd: string;
  /** The files and folders the scan was given: a file read must resolve inside one of them (a file given: its folder). */
  scanned: readonly string[];
  maxFileBytes?: number;
  /** Texts to use instead of what is on disk, by absolute path (as ScanOptions.contents). */
  contents?: ReadonlyMap<string, string>;
  display(path: string): string;
}

/**
 * Reads files the way discovery admits them: only a regular file whose real path (symlinks
 * resolved) stays inside a scanned folder, up to the size limit, in UTF-8. A path that escapes
 * (`../../etc/x`, a symlink out of the root), a missing file, a device or FIFO, an oversized or
 * binary file reads as undefined: the value stays unknown. Each path is read once per scan,
 * however many module instances ask for it. Ignore globs (`exclude`, .gitignore) do not apply: they
 * choose the files scanned on their own, and a file the scanned code reads is what Terraform deploys.
 */
export function referencedFileReader(options: ReferencedFileOptions): ReferencedFileReader {
  const cache = new Map<string, ReferencedFile | undefined>();
  let roots: string[] | undefined;
  const scanRoots = (): string[] =>
    (roots ??= options.scanned.flatMap((path) => {
      try {
        const real = realpathSync(resolve(options.cwd, path));
        return [statSync(real).isFile() ? dirname(real) : real];
      } catch {
        return [];
      }
    }));
  const read = (absolute: string): ReferencedFile | undefined => {
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      return undefined; // missing, or a broken or looping symlink
    }
    if (!scanRoots().some((root) => isInside(real, root))) return undefined;
    // Checked before opening: opening a FIFO would block the scan.
    const info = statSync(real, { throwIfNoEntry: false });
    const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (!info?.isFile() || info.size > maxBytes) return undefined;
    const file = options.display(absolute);
    const given = options.contents?.get(absolute);
    if (given !== undefined) return { file, text: given };
    const source = readSourceSync(real, file, maxBytes);
    return 'text' in source ? { file, text: source.text } : undefined;
  };
  return (path) => {
    const absolute = resolve(options.cwd, path);
    if (cache.has(absolute)) return cache.get(absolute);
    const found = read(absolute);
    cache.set(absolute, found);
    return found;
  };
}
