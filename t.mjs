import { terraformParser } from './dist/src/parse/terraform-hcl/grammar.js';
import { parseHcl } from './dist/src/parse/terraform-hcl/parse-hcl.js';
import fs from 'node:fs'; import path from 'node:path';
const files = []; for (const d of fs.readdirSync('/tmp/invokeguard-bench-czkpuI')) for (const f of fs.readdirSync(path.join('/tmp/invokeguard-bench-czkpuI', d))) files.push(fs.readFileSync(path.join('/tmp/invokeguard-bench-czkpuI', d, f), 'utf8'));
const p = await terraformParser();
let t = performance.now(); for (const s of files) { const tr = p.parse(s); tr.delete(); } console.log('raw parse', (performance.now()-t).toFixed(0));
t = performance.now(); for (const s of files) { await parseHcl('x', s); } console.log('parseHcl', (performance.now()-t).toFixed(0));
