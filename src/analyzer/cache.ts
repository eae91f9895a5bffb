import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lazyBuiltins } from '../lazy-builtin.js';

/** Folder (under the working directory) where Access Analyzer answers are kept between runs. */
export const CACHE_DIR = '.invokeguard-cache';

/**
 * Memoises an async call by a hash of (where, operation, input): in memory for the run (the same
 * policy reached through two module instances is sent once) and, when `dir` is set, on disk between
 * runs. `where` names who answers (region, endpoint): another region's partition or another
 * endpoint may answer differently. Only answers are stored, never failures; an unreadable or
 * unwritable cache is just a miss.
 */
export function cached(dir: string | undefined, where: unknown = null) {
  const { createHash } = lazyBuiltins.crypto(); // this module is loaded at start for CACHE_DIR; its hashing only by the cross-check
  const inFlight = new Map<string, Promise<unknown>>();
  return <T>(operation: string, input: unknown, call: () => Promise<T>): Promise<T> => {
    const key = createHash('sha256').update(JSON.stringify([where, operation, input])).digest('hex');
    const known = inFlight.get(key);
    if (known) return known as Promise<T>;
    const result = (async () => {
      const file = dir ? join(dir, `${key}.json`) : undefined;
      if (file) {
        try {
          return JSON.parse(await readFile(file, 'utf8')) as T;
        } catch {
          // Missing or corrupt: ask again.
        }
      }
      const answer = await call();
      if (dir && file) {
        try {
          await mkdir(dir, { recursive: true });
          await writeFile(file, JSON.stringify(answer));
        } catch {
          // A read-only checkout still gets its answers, just not remembered.
        }
      }
      return answer;
    })();
    inFlight.set(key, result);
    return result;
  };
}
