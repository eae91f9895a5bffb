/**
 * `terraform fmt` aligns the `=` of consecutive lines that each hold a whole `key = value` (brackets balanced on
 * the line): one space after the longest key of the run, counting indentation. A line opening a multi-line value,
 * a closing bracket, a comment or a blank line ends the run. A line added into such a run must re-align it.
 */

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

/**
 * The edit inserting the line `lead = value` at `at` (the end of a line, before its line break) so that the run
 * it joins stays aligned as terraform fmt aligns it. A run not aligned as fmt would is left as it is (the file is
 * not fmt-formatted; only the new line is written plainly). Returns the span to replace and its text.
 */
export function alignedInsertion(text: string, newline: string, at: number, lead: string, value: string): { start: number; end: number; text: string } {
  const added = { lead, rest: value };
  const { above, below } = value.includes('\n') ? { above: [], below: [] } : runAround(text, at);
  const run = [...above, ...below];
  const oldWidth = Math.max(0, ...run.map((l) => l.lead.length));
  const formatted = run.every((l) => text.slice(l.start, l.end).replace(/\r$/, '') === written(l, oldWidth));
  if (run.length === 0 || !formatted) return { start: at, end: at, text: `${newline}${written(added, lead.length)}` };
  const width = Math.max(lead.length, oldWidth);
  const lines = [...above, added, ...below].map((l) => written(l, width)).join(newline);
  const start = above.length > 0 ? above[0].start : at;
  // A CRLF file's last replaced line keeps its CR, which stands before the line break outside the span.
  const last = below.length > 0 ? below[below.length - 1].end : at;
  const end = below.length > 0 && text[last - 1] === '\r' ? last - 1 : last;
  return { start, end, text: above.length > 0 ? lines : `${newline}${lines}` };
}
