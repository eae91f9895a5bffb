/** A span in a source file; lines and columns are 1-based, end column exclusive. */
export interface Range {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
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
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const baseLine = base?.line ?? 1;
  const baseColumn = base?.column ?? 1;
  const position = (offset: number): [number, number] => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - lineStarts[lo] + 1;
    // Only the first line of an embedded text is shifted by the base column.
    return [baseLine + lo, lo === 0 ? baseColumn + column - 1 : column];
  };
  return {
    offset(line, column) {
      const index = line - baseLine;
      return lineStarts[index] + column - (index === 0 ? baseColumn : 1);
    },
    range(start, end) {
      const [line, column] = position(start);
      const [endLine, endColumn] = position(Math.max(start, end));
      return { file, line, column, endLine, endColumn };
    },
  };
}
