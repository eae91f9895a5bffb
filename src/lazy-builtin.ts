import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * Node built-ins that a typical scan never uses (crypto for fingerprints, the HTML report, --fix
 * and the Access Analyzer cache; zlib's crc32 for files with no-edit spans; worker threads for the
 * parse pool), loaded on first use: imported statically, they cost every start several milliseconds.
 */
export const lazyBuiltins = {
  crypto: (): typeof import('node:crypto') => load('node:crypto') as typeof import('node:crypto'),
  zlib: (): typeof import('node:zlib') => load('node:zlib') as typeof import('node:zlib'),
  workerThreads: (): typeof import('node:worker_threads') => load('node:worker_threads') as typeof import('node:worker_threads'),
};
