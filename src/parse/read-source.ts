import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { InputError } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Files up to this size are read in one call into `shared` (decoding copies them out). */
const CHUNK = 64 * 1024;
let shared: Buffer | undefined;

/** Reads a file as text, or says why it cannot be analysed (too big, binary, not UTF-8, unreadable). */
export async function readSource(file: string, displayPath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<{ text: string } | { error: InputError }> {
  return readSourceSync(file, displayPath, maxBytes);
}

/** `readSource` for a caller that cannot wait (the Terraform evaluator reading what `file()` names). */
export function readSourceSync(file: string, displayPath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string } | { error: InputError } {
  const at = { file: displayPath, line: 1, column: 1, endLine: 1, endColumn: 1 };
  let fd: number | undefined;
  try {
    // Synchronous on purpose: IaC files are small, and the thread-pool round trips of the
    // promise API (open, fstat, read, close per file) cost several times the reads themselves.
    // Most files fit one chunk read into a reused buffer: their size is what the read returns, so
    // they need no fstat (whose Stats object cost more than the read) and no buffer of their own.
    fd = openSync(file, 'r');
    const chunk = (shared ??= Buffer.allocUnsafe(CHUNK));
    const first = readSync(fd, chunk, 0, CHUNK, 0);
    const size = first < CHUNK ? first : fstatSync(fd).size;
    if (size > maxBytes) return { error: { message: `file is ${size} bytes, over the ${maxBytes}-byte limit; not analysed`, range: at } };
    const bytes = first < CHUNK ? chunk.subarray(0, first) : readOpen(fd, size);
    const probe = bytes.subarray(0, 8192);
    if (probe.includes(0)) return { error: { message: 'binary file (contains NUL bytes); not analysed', range: at } };
    try {
      const text = utf8.decode(bytes);
      return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } catch {
      const bad = firstInvalidUtf8Line(bytes);
      return { error: { message: 'file is not valid UTF-8; not analysed', range: { ...at, line: bad, endLine: bad } } };
    }
  } catch (error) {
    return { error: { message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, range: at } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's `size` bytes (fewer if it shrank meanwhile): readFileSync(fd) would fstat it a second time. */
function readOpen(fd: number, size: number): Buffer {
  // Some file systems (procfs, some FUSE mounts) report a size of 0 for files with content.
  if (size === 0) return readFileSync(fd);
  const bytes = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const read = readSync(fd, bytes, length, size - length, length);
    if (read === 0) break;
    length += read;
  }
  return length < size ? bytes.subarray(0, length) : bytes;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}
