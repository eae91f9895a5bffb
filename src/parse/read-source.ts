import { readFileSync, statSync } from 'node:fs';
import type { InputError } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as text, or says why it cannot be analysed (too big, binary, not UTF-8, unreadable). */
export async function readSource(file: string, displayPath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<{ text: string } | { error: InputError }> {
  const at = { file: displayPath, line: 1, column: 1, endLine: 1, endColumn: 1 };
  try {
    // Synchronous on purpose: IaC files are small, and the thread-pool round trips of the
    // promise API (open, fstat, read, close per file) cost several times the reads themselves.
    const info = statSync(file);
    if (info.size > maxBytes) return { error: { message: `file is ${info.size} bytes, over the ${maxBytes}-byte limit; not analysed`, range: at } };
    const bytes = readFileSync(file);
    const probe = bytes.subarray(0, 8192);
    if (probe.includes(0)) return { error: { message: 'binary file (contains NUL bytes); not analysed', range: at } };
    try {
      return { text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
    } catch {
      const bad = firstInvalidUtf8Line(bytes);
      return { error: { message: 'file is not valid UTF-8; not analysed', range: { ...at, line: bad, endLine: bad } } };
    }
  } catch (error) {
    return { error: { message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, range: at } };
  }
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
