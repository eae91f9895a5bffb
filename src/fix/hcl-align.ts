/**
 * `terraform fmt` aligns the `=` of consecutive lines that each hold a whole `key = value` (brackets balanced on
 * the line): one space after the longest key of the run, counting indentation. A line opening a multi-line value,
 * a closing bracket, a comment or a blank line ends the run. A line added into such a run must re-align it.
 */

import type { TextEdit } from './types.js';

/** One line of a run: where it stands, its key part (indentation and key) and what follows the `=`. */
interface AssignLine {
  start: number;
  end: number;
  lead: string;
  rest: string;
}

const ASSIGN = /^([ \t]*(?:"(?:[^"\\]|\\.)*"|[\w.-]+))[ \t]*=(?!=)[ \t]*(.*?)\r?$/;

/** The line as a run member: undefined for a line that is not one whole `key = value` (as fmt reads it). */
function assignLine(text: string, start: number, end: number): AssignLine | undefined {
  const m = ASSIGN.exec(text.slice(start, end));
  if (!m || m[2].includes('<<')) return undefined;
  const unquoted = m[2].replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let depth = 0;
  for (const c of unquoted) depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
  if (depth !== 0) return undefined;
  return { start, end, lead: m[1], rest: m[2] };
}

/** The lines of `text` next to `at` (a line break's offset) that are run members: those ending there, and those after it. */
function runAround(text: string, at: number): { above: AssignLine[]; below: AssignLine[] } {
  const above: AssignLine[] = [];
  for (let end = at; end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = assignLine(text, start, end);
    if (!line) break;
    above.unshift(line);
    end = start - 1;
    if (end < 0) break;
  }
  const below: AssignLine[] = [];
  for (let start = text.indexOf('\n', at) + 1; start > 0 && start < text.length; ) {
    const next = text.indexOf('\n', start);
    const end = next < 0 ? text.length : next;
    const line = assignLine(text, start, end);
    if (!line) break;
    below.push(line);
    if (next < 0) break;
    start = next + 1;
  }
  return { above, below };
}

const written = (line: { lead: string; rest: string }, width: number) => `${line.lead.padEnd(width)} = ${line.rest}`;

/** A line a change adds into HCL: where (a line end), its key part (indentation and key) and its value. */
export interface AddedLine {
  at: number;
  lead: string;
  value: string;
}

/**
 * The edits adding lines into HCL (several may share one place) so that the run of one-line attributes they join
 * stays aligned as terraform fmt aligns it: each added line an insertion, and each line of the run whose `=` moves
 * a whitespace-only edit before its `=` (so other edits of the line, its value, do not overlap). A run not aligned
 * as fmt would is left as it is (the file is not fmt-formatted), the added lines written plainly.
 */
export function alignedInsertions(text: string, newline: string, added: readonly AddedLine[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const at of [...new Set(added.map((a) => a.at))]) {
    const here = added.filter((a) => a.at === at);
    const single = here.every((a) => !a.value.includes('\n'));
    const { above, below } = single ? runAround(text, at) : { above: [], below: [] };
    const run = [...above, ...below];
    const oldWidth = Math.max(0, ...run.map((l) => l.lead.length));
    const formatted = run.length > 0 && run.every((l) => text.slice(l.start, l.end).replace(/\r$/, '') === written(l, oldWidth));
    const width = formatted ? Math.max(oldWidth, ...here.map((a) => a.lead.length)) : 0;
    edits.push({ file: '', start: at, end: at, text: here.map((a) => `${newline}${written({ lead: a.lead, rest: a.value }, formatted ? width : a.lead.length)}`).join('') });
    if (!formatted || width === oldWidth) continue;
    for (const line of run) {
      const from = line.start + line.lead.length;
      edits.push({ file: '', start: from, end: text.indexOf('=', from), text: ' '.repeat(width - line.lead.length + 1) });
    }
  }
  return edits;
}
