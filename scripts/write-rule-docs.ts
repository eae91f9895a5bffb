import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocFiles } from './rule-docs.js';

// Regenerates docs/rules/ from the registry and the fixtures; a test fails when they drift apart.
const repoRoot = process.cwd();
const target = join(repoRoot, 'docs', 'rules');
mkdirSync(target, { recursive: true });
const files = ruleDocFiles(repoRoot);
for (const name of readdirSync(target)) if (!files.has(name)) rmSync(join(target, name));
for (const [name, text] of files) writeFileSync(join(target, name), text);
console.log(`wrote ${files.size} files to docs/rules/`);
