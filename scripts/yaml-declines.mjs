// Usage (after npm run build): node scripts/yaml-declines.mjs [checkout, absolute; default: the current directory]
// Lists why the fast YAML path declines each YAML template of the real-world corpus beside the checkout
// (../shared/realworld): which bail() site (a line of dist's fast-yaml.js), an excerpt at the cursor, and totals.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execSync } from 'node:child_process';
const root = process.argv[2] ?? process.cwd();
const dir = `${root}/dist/src/parse/cloudformation`;
const realworld = `${root}/../shared/realworld`;
let src = readFileSync(`${dir}/fast-yaml.js`, 'utf8');
src = src.replace(/^function bail\(\) \{/m, 'function bail() { globalThis.__where = new Error().stack.split("\\n")[2].trim().replace(/.*FastYaml\\./, "").replace(/ \\(.*:(\\d+):\\d+\\)/, ":$1");');
// The parser instance, so an excerpt can show where the cursor stood when it declined.
src = src.replace('const parser = new FastYaml(text, mapper, body);', 'const parser = globalThis.__fy = new FastYaml(text, mapper, body);');
writeFileSync(`${dir}/fast-yaml-declines.js`, src);
try {
  const { parseCloudFormationYamlFast } = await import(`${dir}/fast-yaml-declines.js`);
  const { createPositionMapper } = await import(`${root}/dist/src/model/range.js`);
  const files = execSync(`find ${realworld} -name '*.yaml' -o -name '*.yml' -o -name '*.template'`, { encoding: 'utf8' }).trim().split('\n');
  const seen = {}; let bytes = 0;
  for (const f of files) {
    const t = readFileSync(f, 'utf8'); globalThis.__where = undefined; globalThis.__fy = undefined;
    // As parseCloudFormationFastPath: JSON goes to the JSON parser, suppression comments to the library (for its comment tokens).
    if (/^\s*\{/.test(t) || t.includes('invokeguard')) continue;
    const v = parseCloudFormationYamlFast(t, createPositionMapper(f, t));
    if (v !== undefined) continue;
    bytes += t.length;
    const w = globalThis.__where ?? (t.includes('\r') ? 'CRLF' : t.includes('\t') ? 'tab' : 'marker/other');
    seen[w] = (seen[w] ?? 0) + 1;
    const pos = globalThis.__fy?.pos ?? 0; const line = t.slice(0, pos).split('\n').length; const lines = t.split('\n');
    console.log(`### ${w} ${f.replace(`${realworld}/`, '')}:${line} (${t.length} bytes)`);
    console.log(lines.slice(Math.max(0, line - 4), line + 2).map((l, i) => `${Math.max(1, line - 3) + i}| ${l}`).join('\n'));
  }
  console.log('declined bytes', bytes, seen);
} finally { rmSync(`${dir}/fast-yaml-declines.js`); }
