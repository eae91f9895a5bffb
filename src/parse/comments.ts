import type { Range } from '../model/range.js';

/** The lines a comment speaks for (1-based, inclusive). */
export interface LineSpan {
  startLine: number;
  endLine: number;
}

/** A source comment kept for suppressions: its text, where it stands, and the lines it speaks for. */
export interface SourceComment {
  text: string;
  range: Range;
  /**
   * A trailing comment speaks for its own line; a comment on a line of its own for itself,
   * any comment lines directly below it, and the next line (the code it sits above). A Terraform
   * JSON `"//"` key speaks for its whole block.
   */
  covers: LineSpan;
}

/** Lines that are only a comment (`#`, `//`, `/*`), in HCL and YAML. */
const COMMENT_LINE = /^\s*(#|\/\/|\/\*)/;

/** Computes what comments of one text cover; the text is split into lines once, on first use. */
export function commentCoverage(text: string): (range: Range) => LineSpan {
  let lines: string[] | undefined;
  return (range) => {
    lines ??= text.split('\n');
    const ownLine = (lines[range.line - 1] ?? '').slice(0, range.column - 1).trim() === '';
    // A `#` comment token may end at the start of the next line (its newline included).
    const lastLine = range.endLine > range.line && range.endColumn === 1 ? range.endLine - 1 : range.endLine;
    if (!ownLine) return { startLine: range.line, endLine: lastLine };
    let next = lastLine + 1;
    while (next <= lines.length && COMMENT_LINE.test(lines[next - 1])) next++;
    return { startLine: range.line, endLine: Math.min(next, lines.length) };
  };
}
