import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { discover } from '../src/discover/discover.js';
import { parseHcl } from '../src/parse/terraform-hcl/parse-hcl.js';
import { scan } from '../src/scan.js';
import { generateCorpus } from './generate.js';

/**
 * `npm run bench -- --files N [--keep]`: generates a deterministic Terraform corpus in a temp
 * folder, then times a full scan and, separately, reading + parsing alone.
 */
const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, keep: { type: 'boolean', default: false } } });
const count = Number(values.files);
if (!Number.isInteger(count) || count <= 0) throw new Error(`--files must be a positive integer, got ${values.files}`);

const dir = mkdtempSync(join(tmpdir(), 'invokeguard-bench-'));
const corpus = generateCorpus(dir, count);

const scanStart = performance.now();
const result = await scan({ paths: [dir], cwd: dir });
const scanMs = performance.now() - scanStart;

const parseStart = performance.now();
const { files } = await discover([dir]);
for (const file of files) await parseHcl(file.path, await readFile(file.path, 'utf8'));
const parseMs = performance.now() - parseStart;

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
console.log(`corpus        ${corpus.files} files, ${corpus.lines} lines, ${(corpus.bytes / 1e6).toFixed(1)} MB (${dir})`);
console.log(`scan          ${(scanMs / 1000).toFixed(2)} s wall, ${(corpus.files / (scanMs / 1000)).toFixed(0)} files/s, ${result.findings.length} findings`);
console.log(`parse only    ${(parseMs / 1000).toFixed(2)} s wall (read + tree-sitter parse, no model or rules)`);
console.log(`peak RSS      ${mb(process.resourceUsage().maxRSS)}`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
