/** A span in a source file; lines and columns are 1-based, end column exclusive. */
export interface Range {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Whether `inner` lies inside `outer` (same file): a value evaluated from elsewhere (a variable, a local) does not. */
export function rangeWithin(inner: Range, outer: Range): boolean {
  const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  return (
    inner.file === outer.file &&
    before([outer.line, outer.column], [inner.line, inner.column]) &&
    before([inner.line, inner.column], [inner.endLine, inner.endColumn]) &&
    before([inner.endLine, inner.endColumn], [outer.endLine, outer.endColumn])
  );
}

/** Converts byte offsets of a text into 1-based line/column ranges. */
export interface PositionMapper {
  range(start: number, end: number): Range;
}

/** A mapper over a whole text, which can also turn a line/column back into an offset. */
export interface TextPositionMapper extends PositionMapper {
  offset(line: number, column: number): number;
}

export function createPositionMapper(file: string, text: string, base?: { line: number; column: number }): TextPositionMapper {
  const lineStarts = lineStartsOf(text);
  const baseLine = base?.line ?? 1;
  const baseColumn = base?.column ?? 1;
  let hint = 0;
  return {
    offset(line, column) {
      const index = line - baseLine;
      return lineStarts[index] + column - (index === 0 ? baseColumn : 1);
    },
    range(start, end) {
      const to = Math.max(start, end);
      const line = (hint = lineIndex(lineStarts, start, hint));
      const endLine = lineIndex(lineStarts, to, line);
      // Only the first line of an embedded text is shifted by the base column.
      const column = line === 0 ? baseColumn + start : start - lineStarts[line] + 1;
      const endColumn = endLine === 0 ? baseColumn + to : to - lineStarts[endLine] + 1;
      return { file, line: baseLine + line, column, endLine: baseLine + endLine, endColumn };
    },
  };
}

/** Offsets where each line of `text` starts (the first is 0). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The 0-based line holding `offset`: the last line start at or before it. Parsers ask for
 * ranges in nearly ascending order, so the line found last (`hint`) and the next are tried
 * before a binary search.
 */
export function lineIndex(lineStarts: readonly number[], offset: number, hint: number): number {
  const last = lineStarts.length - 1;
  if (hint <= last && lineStarts[hint] <= offset) {
    if (hint === last || offset < lineStarts[hint + 1]) return hint;
    if (hint + 1 === last || offset < lineStarts[hint + 2]) return hint + 1;
  }
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
