import { SEVERITIES, severityRank, type Finding, type Severity } from '../rules/types.js';
import { escapeHtml } from './escape-html.js';
import { graphSvg, SEVERITY_COLOR } from './graph-svg.js';
import { functionOf, graphFromFindings, graphFromInvokers } from './invoke-graph.js';
import { allRuleMetas } from './rule-catalog.js';
import { relativeUri } from './sarif.js';
import type { Formatter, ReportOptions } from './types.js';
import { messageText } from './message.js';
import { lazyBuiltins } from '../lazy-builtin.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#212529;background:#f8f9fa}
header,main{max-width:1100px;margin:0 auto;padding:16px 24px}
header{border-bottom:1px solid #dee2e6;background:#fff;max-width:none}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:15px;margin:0 0 8px}
.counts{display:flex;gap:8px;flex-wrap:wrap}
.badge{display:inline-block;border-radius:4px;padding:1px 8px;color:#fff;font-weight:600;font-size:12px}
label.badge{cursor:pointer;font-size:13px;padding:4px 10px}
label.badge input{margin:0 6px 0 0;vertical-align:-1px}
.group{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:12px 16px;margin:12px 0}
.finding{border-top:1px solid #f1f3f5;padding:8px 0}
.finding:first-of-type{border-top:0}
.meta{color:#495057;font-size:12px}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f5;border-radius:4px;padding:1px 4px}
pre{padding:6px 8px;white-space:pre-wrap;word-break:break-word}
.fix{border-left:3px solid #2b8a3e;padding-left:8px;margin-top:4px}
.graph-box{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:8px;overflow-x:auto}
svg.graph .node rect{fill:#fff;stroke:#495057}
svg.graph .node.principal rect{fill:#fff5f5}
svg.graph .node.function rect{fill:#e7f5ff}
svg.graph text{font:12px system-ui,sans-serif;fill:#212529}
.hidden{display:none}
footer{color:#868e96;font-size:12px;max-width:1100px;margin:24px auto;padding:0 24px}
`;

/** Severity checkboxes hide findings (and groups left empty); no network, no external code. */
const SCRIPT = `
(function () {
  var boxes = document.querySelectorAll('input[data-severity]');
  function apply() {
    var shown = {};
    boxes.forEach(function (b) { shown[b.getAttribute('data-severity')] = b.checked; });
    document.querySelectorAll('.finding').forEach(function (f) { f.classList.toggle('hidden', !shown[f.getAttribute('data-severity')]); });
    document.querySelectorAll('.group').forEach(function (g) { g.classList.toggle('hidden', !g.querySelector('.finding:not(.hidden)')); });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
})();
`;

function badge(severity: Severity, text: string = severity): string {
  return `<span class="badge" style="background:${SEVERITY_COLOR[severity]}">${escapeHtml(text)}</span>`;
}

function location(f: Finding, linkBase: string | undefined): string {
  const where = `${f.range.file}:${f.range.line}:${f.range.column}`;
  return linkBase ? `<a href="${escapeHtml(`${linkBase}${relativeUri(f.range.file)}#L${f.range.line}`)}">${escapeHtml(where)}</a>` : escapeHtml(where);
}

function findingHtml(f: Finding, titles: Map<string, string>, options: ReportOptions, suppressedBecause?: string): string {
  return [
    `<div class="finding" data-severity="${f.severity}">`,
    `<div>${badge(f.severity)} <strong>${escapeHtml(f.ruleId)}</strong> ${escapeHtml(titles.get(f.ruleId) ?? '')}</div>`,
    `<div class="meta">${location(f, options.linkBase)} · <code>${escapeHtml(f.resource)}</code>${f.constructPath !== undefined ? ` · construct <code>${escapeHtml(f.constructPath)}</code>` : ''}</div>`,
    `<p>${escapeHtml(messageText(f))}</p>`,
    f.evidence !== undefined ? `<pre>${escapeHtml(f.evidence)}</pre>` : '',
    `<div class="fix"><strong>Suggested fix:</strong> ${escapeHtml(f.suggestion)}</div>`,
    suppressedBecause !== undefined ? `<div class="meta">Suppressed: ${escapeHtml(suppressedBecause)}</div>` : '',
    '</div>',
  ].join('');
}

/** Findings by the function they open (identity-policy findings under "every function"), most severe group first. */
function groups(findings: readonly Finding[]): Array<[string, Finding[]]> {
  const byFunction = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = functionOf(f);
    byFunction.set(key, [...(byFunction.get(key) ?? []), f]);
  }
  const worst = (fs: Finding[]) => Math.max(...fs.map((f) => severityRank(f.severity)));
  return [...byFunction].sort((a, b) => worst(b[1]) - worst(a[1]) || a[0].localeCompare(b[0]));
}

/**
 * A self-contained review report: severity counts, the who-can-invoke graph, findings grouped by
 * function with their suggested fixes, suppressed findings. Inline CSS, JS and SVG only; the
 * content security policy forbids every fetch, and every scanned text is escaped.
 */
export const formatHtml: Formatter = (result, options) => {
  const titles = new Map(allRuleMetas().map((m) => [m.id, m.title]));
  const counts = new Map<Severity, number>();
  for (const f of result.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const scriptHash = lazyBuiltins.crypto().createHash('sha256').update(SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const suppressed = result.suppressed ?? [];
  const body: string[] = [];
  body.push(
    '<header>',
    `<h1>invokeguard review: ${result.findings.length} finding(s) in ${result.files} file(s)</h1>`,
    '<div class="counts">',
    ...[...SEVERITIES].reverse().map(
      (s) => `<label class="badge" style="background:${SEVERITY_COLOR[s]}"><input type="checkbox" data-severity="${s}" checked>${s}: ${counts.get(s) ?? 0}</label>`,
    ),
    '</div>',
    suppressed.length > 0 ? `<p class="meta">${suppressed.length} finding(s) suppressed by invokeguard:ignore (listed at the end).</p>` : '',
    '</header>',
    '<main>',
    '<h2>Who can invoke what</h2>',
    result.invokers
      ? '<p class="meta">Every principal that can invoke each function in the scan (left) and the functions (right): red public, orange unscoped, grey pinned; hover an edge for the grants behind it.</p>'
      : '<p class="meta">Principals the findings open functions to (left) and the functions (right); hover an edge for the grants behind it.</p>',
    `<div class="graph-box">${graphSvg(result.invokers ? graphFromInvokers(result.invokers) : graphFromFindings(result.findings))}</div>`,
    '<h2>Findings by function</h2>',
  );
  if (result.findings.length === 0) body.push('<p>No findings: no Lambda invoke path found.</p>');
  for (const [target, findings] of groups(result.findings)) {
    body.push(`<section class="group"><h3>${escapeHtml(target)}</h3>`, ...findings.map((f) => findingHtml(f, titles, options)), '</section>');
  }
  if (suppressed.length > 0) {
    body.push('<h2>Suppressed</h2><section class="group">', ...suppressed.map((s) => findingHtml(s.finding, titles, options, `${s.justification} (${s.directive.file}:${s.directive.line})`)), '</section>');
  }
  if (result.notices.length > 0) {
    body.push('<h2>Files not scanned</h2><ul>', ...result.notices.map((n) => `<li><code>${escapeHtml(n.path)}</code>: ${escapeHtml(n.message)}</li>`), '</ul>');
  }
  body.push('</main>', `<footer>invokeguard ${escapeHtml(options.version)} · MITRE ATT&amp;CK T1648 (Serverless Execution)</footer>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>invokeguard report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
};
