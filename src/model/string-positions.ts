import type { PositionMapper, Range } from './range.js';

/**
 * Where each character of a decoded string stands in its source, for a string written with
 * escapes, folded lines or block indentation (a policy as a JSON string in YAML or JSON): JSON
 * parsed from the string is then located at its true lines and columns, not at the string's start.
 *
 * Plain data (it crosses worker threads): runs of four numbers, one run per source line piece,
 * `[decodedStart, line, column, width]`. A run whose decoded length equals `width` maps character
 * by character; any other (an escape, `\"` → `"`) maps each of its characters to its whole span.
 * The last run, of width 0, stands at the decoded string's end (where its source ends).
 */
export type StringPositions = number[];

/** A piece of decoded text and the source span it was read from (offsets into the source text). */
export interface SourceRun {
  decodedStart: number;
  sourceStart: number;
  sourceLength: number;
}

/** Only strings that may hold a JSON document are worth a map: what policyObject parses. */
export function mayHoldJson(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 123) return true; // {
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/**
 * The runs as line/column positions through `mapper`. Undefined when a run does not stay on one
 * line of the result (a mapper that is itself not exact there): no map rather than a wrong one.
 */
export function positionsFromRuns(runs: readonly SourceRun[], length: number, mapper: PositionMapper): StringPositions | undefined {
  const out: number[] = [];
  for (const run of runs) {
    const first = mapper.range(run.sourceStart, run.sourceStart);
    // The last character's start, not the run's end: a run may end with a line break (a folded one).
    const last = run.sourceLength > 1 ? mapper.range(run.sourceStart + run.sourceLength - 1, run.sourceStart + run.sourceLength - 1) : first;
    if (last.line !== first.line) return undefined;
    out.push(run.decodedStart, first.line, first.column, last.column + 1 - first.column);
  }
  if (out.length === 0) return undefined;
  return endAt(out, length);
}

/** A mapper from offsets in the decoded string to its source ranges (the file taken from `at`). */
export function stringPositionMapper(at: Range, positions: StringPositions): PositionMapper {
  const count = positions.length / 4;
  const runAt = (offset: number): number => {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (positions[mid * 4] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  /** Whether run `k` maps character by character (the last, of width 0 or a whole-string fallback, does). */
  const linear = (k: number): boolean => k === count - 1 || positions[(k + 1) * 4] - positions[k * 4] === positions[k * 4 + 3];
  return {
    range(start, end) {
      const s = runAt(start);
      const line = positions[s * 4 + 1];
      const column = positions[s * 4 + 2] + (linear(s) ? Math.min(start - positions[s * 4], positions[s * 4 + 3]) : 0);
      const last = Math.max(start, end) - 1;
      if (last < start) return { file: at.file, line, column, endLine: line, endColumn: column };
      const e = runAt(last);
      const endColumn = positions[e * 4 + 2] + (linear(e) ? Math.min(last - positions[e * 4] + 1, positions[e * 4 + 3]) : positions[e * 4 + 3]);
      return { file: at.file, line, column, endLine: positions[e * 4 + 1], endColumn };
    },
  };
}

/**
 * The positions of a string after spans of it were replaced (`Fn::Sub` variables by their known
 * values): text kept keeps its positions; each replacement stands, as a whole, at the span it replaced.
 * `length` is the decoded string's length before the replacements; `replacements` sorted, not overlapping.
 */
export function substitutedPositions(positions: StringPositions, at: Range, length: number, replacements: ReadonlyArray<{ start: number; end: number; length: number }>): StringPositions {
  const out: number[] = [];
  const count = positions.length / 4;
  const runEnd = (k: number): number => (k + 1 < count ? positions[(k + 1) * 4] : length);
  let k = 0;
  const keep = (from: number, to: number, shift: number): void => {
    while (k < count && runEnd(k) <= from) k++;
    for (let j = k; j < count && positions[j * 4] < to; j++) {
      const start = positions[j * 4];
      const end = runEnd(j);
      const width = positions[j * 4 + 3];
      const s = Math.max(start, from);
      const e = Math.min(end, to);
      if (end - start === width || j === count - 1) {
        const skip = Math.min(s - start, width);
        out.push(s + shift, positions[j * 4 + 1], positions[j * 4 + 2] + skip, Math.max(0, Math.min(e - s, width - skip)));
      } else out.push(s + shift, positions[j * 4 + 1], positions[j * 4 + 2], width);
    }
  };
  const mapper = stringPositionMapper(at, positions);
  let cursor = 0;
  let shift = 0;
  for (const r of replacements) {
    keep(cursor, r.start, shift);
    const span = mapper.range(r.start, r.end);
    out.push(r.start + shift, span.line, span.column, span.endLine === span.line ? span.endColumn - span.column : 0);
    shift += r.length - (r.end - r.start);
    cursor = r.end;
  }
  keep(cursor, length, shift);
  return out.length > 0 ? endAt(out, length + shift) : out;
}

/** Ends runs with the zero-width run at `length`, where the last one ends. */
function endAt(runs: number[], length: number): number[] {
  const last = runs.length - 4;
  if (runs[last] === length && runs[last + 3] === 0) return runs;
  runs.push(length, runs[last + 1], runs[last + 2] + runs[last + 3], 0);
  return runs;
}
