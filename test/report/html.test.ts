import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { formatHtml } from '../../src/report/html.js';
import { graphFromFindings, graphFromInvokers } from '../../src/report/invoke-graph.js';
import { scan } from '../../src/scan.js';
import type { Finding } from '../../src/rules/types.js';
import type { ScanResult } from '../../src/scan.js';
import { runCaptured } from '../helpers/cli.js';
import { REPO_ROOT, scanPaths } from '../helpers/scan.js';

const options = { version: '1.2.3', color: false };

/** Text that runs code or fetches if any of it reaches the page unescaped. */
const HOSTILE = `<script>console.error('xss-script')</script>"><img src=x onerror="console.error('xss-img')">`;

function hostileResult(): ScanResult {
  const f: Finding = {
    ruleId: 'IG101',
    severity: 'critical',
    message: `${HOSTILE} lets any AWS principal ("*") invoke ${HOSTILE}: open`,
    range: { file: `dir/${HOSTILE}.tf`, line: 3, column: 1, endLine: 3, endColumn: 9 },
    resource: `aws_lambda_permission.${HOSTILE}`,
    suggestion: `Pin it ${HOSTILE}`,
    evidence: `principal = "</pre>${HOSTILE}"`,
    constructPath: HOSTILE,
    grant: { grantee: { kind: 'principal', principal: HOSTILE }, function: HOSTILE },
  };
  return {
    files: 1,
    findings: [f],
    notices: [{ path: HOSTILE, message: HOSTILE } as ScanResult['notices'][number]],
    suppressed: [{ finding: { ...f, ruleId: 'IG104', severity: 'high' }, justification: HOSTILE, directive: f.range }],
  };
}

/** The elements the report itself writes; anything else came from scanned text. */
const OWN_TAGS = new Set(['!DOCTYPE', 'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'div', 'label', 'input', 'span', 'p', 'main', 'svg', 'defs', 'marker', 'path', 'g', 'rect', 'text', 'section', 'strong', 'code', 'pre', 'ul', 'li', 'footer', 'script', 'a']);

describe('html formatter', () => {
  it('escapes every scanned text: a hostile resource name stays text', () => {
    const html = formatHtml(hostileResult(), options);
    const tags = new Set([...html.matchAll(/<([!a-zA-Z][\w-]*)/g)].map((m) => m[1]));
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('aws_lambda_permission.&lt;script&gt;console.error(&#39;xss-script&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=');
    expect(html).not.toContain('<img');
    // The invoke graph draws the grant's principal and function: as text too.
    expect(html.match(/<g class="node (principal|function)"><title>&lt;script&gt;/g)).toHaveLength(2);
  });

  it('is self-contained: no fetchable reference, and a content security policy that forbids fetching', () => {
    const html = formatHtml(hostileResult(), options);
    expect(html).not.toMatch(/<[a-zA-Z][^>]*\s(src|srcset|background)=|<link|@import/);
    expect(html).not.toMatch(/url\((?!#arrow-)/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('groups findings by the function they open, with counts, fixes and suppressed findings', async () => {
    const scanned = await scanPaths('examples/cloudformation/vulnerable');
    const html = formatHtml(scanned, options);
    const groups = [...html.matchAll(/<section class="group"><h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
    expect(groups).toEqual(['every function', 'Orders', 'execution role OrdersRole']);
    // The function URL's finding is grouped under the function it opens, with the permissions that open it.
    const orders = /<section class="group"><h3>Orders<\/h3>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(['AnyoneMayInvoke', 'UploadsMayInvoke', 'OrdersUrl'].filter((r) => !orders.includes(r))).toEqual([]);
    expect(html).toContain(`invokeguard review: ${scanned.findings.length} finding(s)`);
    expect(html).toContain(`critical: ${scanned.findings.filter((f) => f.severity === 'critical').length}</label>`);
    expect(scanned.findings.filter((f) => f.severity === 'critical').length).toBe(2);
    expect(html.match(/class="finding" data-severity=/g)).toHaveLength(scanned.findings.length);
    expect(html.match(/<strong>Suggested fix:<\/strong>/g)).toHaveLength(scanned.findings.length);
    expect(formatHtml(hostileResult(), options)).toContain('<h2>Suppressed</h2>');
  });

  it('draws principals → functions from the invoke grants the findings show', async () => {
    const graph = graphFromFindings((await scanPaths('examples/cloudformation/vulnerable')).findings);
    const label = new Map([...graph.principals, ...graph.functions].map((n) => [n.id, n.label]));
    expect(graph.edges.map((e) => [label.get(e.from), label.get(e.to), e.severity, e.via])).toEqual([
      ['any AWS principal (*)', 'Orders', 'critical', ['AnyoneMayInvoke (IG101)']],
      ['s3.amazonaws.com (any account)', 'Orders', 'high', ['UploadsMayInvoke (IG102)']],
      ['anyone on the internet (function URL)', 'Orders', 'high', ['OrdersUrl (IG104)']],
      ['holders of OrdersRole', 'every function', 'high', ['OrdersRole (IG201)']],
      ['holders of Deployer', 'every function', 'critical', ['Deployer (IG204)', 'Deployer (IG201)']],
    ]);
  });

  it('draws the full invoker graph when the scan computed it (--format html)', async () => {
    const scanned = await scan({ paths: ['examples/cloudformation/vulnerable'], cwd: REPO_ROOT, invokerGraph: true });
    const graph = graphFromInvokers(scanned.invokers ?? []);
    const label = new Map([...graph.principals, ...graph.functions].map((n) => [n.id, n.label]));
    expect(graph.edges.map((e) => [label.get(e.from), label.get(e.to), e.severity])).toEqual([
      ['any AWS principal (*)', 'Orders (examples/cloudformation/vulnerable/template.yaml:4)', 'critical'],
      ['s3.amazonaws.com', 'Orders (examples/cloudformation/vulnerable/template.yaml:4)', 'high'],
      ['anyone on the internet (function URL)', 'Orders (examples/cloudformation/vulnerable/template.yaml:4)', 'critical'],
      ['OrdersRole', 'Orders (examples/cloudformation/vulnerable/template.yaml:4)', 'high'],
      ['Deployer', 'Orders (examples/cloudformation/vulnerable/template.yaml:4)', 'high'],
    ]);
    const html = formatHtml(scanned, options);
    expect(html).toContain('Every principal that can invoke each function');
    expect(html.match(/<path class="edge sev-/g)).toHaveLength(5);
    expect(html.match(/<g class="node principal">/g)).toHaveLength(5);
    // Without the graph the report falls back to what the findings show.
    expect(formatHtml({ ...scanned, invokers: undefined }, options).match(/<path class="edge sev-/g)).toHaveLength(5);
  });
});

describe('reports of examples/', () => {
  it('writes the markdown and the HTML report of every example', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'invokeguard-reports-'));
    const scanned = await scanPaths('examples');
    const md = await runCaptured(['examples', '-f', 'markdown', '-o', join(dir, 'examples.md')], { cwd: REPO_ROOT });
    const html = await runCaptured(['examples', '-f', 'html', '-o', join(dir, 'examples.html')], { cwd: REPO_ROOT });
    expect([md.code, html.code]).toEqual([1, 1]);
    const markdown = readFileSync(join(dir, 'examples.md'), 'utf8');
    expect(markdown).toContain(`### ❌ invokeguard: ${scanned.findings.length} finding(s)`);
    expect(markdown.split('\n').filter((l) => /^\| \S+ (critical|high|medium|low|info) \| IG\d{3} \|/.test(l))).toHaveLength(scanned.findings.length);
    const page = readFileSync(join(dir, 'examples.html'), 'utf8');
    expect(page.match(/class="finding" data-severity=/g)).toHaveLength(scanned.findings.length);
    // The CLI's HTML draws the full invoker graph of the scan.
    const withGraph = await scan({ paths: ['examples'], cwd: REPO_ROOT, invokerGraph: true });
    expect(page.match(/<path class="edge sev-/g)?.length).toBe(graphFromInvokers(withGraph.invokers ?? []).edges.length);
  });
});

/** Debian's chromium (or chromium-browser) on PATH; the rendering test needs it and is skipped without it. */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  return undefined;
}

const chromium = findChromium();

/** Renders a page headless; returns its console lines (Chromium logs them as INFO:CONSOLE with --enable-logging=stderr) and the screenshot. */
async function render(html: string): Promise<{ console: string[]; png: PNG }> {
  const dir = await mkdtemp(join(tmpdir(), 'invokeguard-chromium-'));
  const page = join(dir, 'report.html');
  const shot = join(dir, 'shot.png');
  await writeFile(page, html);
  const { stderr } = await promisify(execFile)(
    chromium as string,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--hide-scrollbars', '--window-size=1200,900', '--enable-logging=stderr', '--v=0', `--screenshot=${shot}`, `file://${page}`],
    { timeout: 60_000 },
  );
  return { console: stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)), png: PNG.sync.read(readFileSync(shot)) };
}

/** Pixels of a colour (within a tolerance) in the screenshot. */
function count(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (Math.abs(png.data[i] - r) < 12 && Math.abs(png.data[i + 1] - g) < 12 && Math.abs(png.data[i + 2] - b) < 12) n++;
  return n;
}

(chromium ? describe : describe.skip)(`headless Chromium (${chromium ? chromium : 'skipped: no chromium or chromium-browser on PATH'})`, () => {
  it('renders the examples report with no console error, and the screenshot shows the graph', async () => {
    const { console, png } = await render(formatHtml(await scanPaths('examples'), options));
    expect(console).toEqual([]);
    expect([png.width, png.height]).toEqual([1200, 900]);
    // Principal boxes (#fff5f5), function boxes (#e7f5ff) and critical/high edges are drawn.
    expect(count(png, '#fff5f5')).toBeGreaterThan(2000);
    expect(count(png, '#e7f5ff')).toBeGreaterThan(2000);
    expect(count(png, '#b3001b') + count(png, '#d9480f')).toBeGreaterThan(500);
  }, 90_000);

  it('runs no scanned text; the one console line is the fetch we plant, refused by the page’s policy (the check can fail)', async () => {
    const html = formatHtml(hostileResult(), options).replace('<body>', '<body><img src="https://example.invalid/planted.png">');
    const { console } = await render(html);
    expect(console).toEqual([expect.stringMatching(/planted\.png.*violates the following Content Security Policy/)]);
  }, 90_000);
});
