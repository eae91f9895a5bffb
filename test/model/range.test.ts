import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LineCounter } from 'yaml';
import { createPositionMapper, type Range } from '../../src/model/range.js';
import { lineCounterMapper } from '../../src/parse/cloudformation/parse-cloudformation.js';
import { propertyParameters } from '../helpers/property.js';

/** The mapper as first written: a plain binary search per offset, no remembered line. */
function referenceRange(file: string, text: string, start: number, end: number, base?: { line: number; column: number }): Range {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number): [number, number] => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    const column = offset - lineStarts[line] + 1;
    return [(base?.line ?? 1) + line, line === 0 ? (base?.column ?? 1) + column - 1 : column];
  };
  const [line, column] = position(start);
  const [endLine, endColumn] = position(Math.max(start, end));
  return { file, line, column, endLine, endColumn };
}

/** The yaml library's own LineCounter, which lineCounterMapper replaced. */
function lineCounterRange(file: string, text: string, start: number, end: number): Range {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') counter.addNewLine(i + 1);
  const from = counter.linePos(Math.min(start, text.length));
  const to = counter.linePos(Math.min(Math.max(start, end), text.length));
  return { file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

const texts = fc.string({ unit: fc.constantFrom('a', ' ', '\n', 'é'), maxLength: 60 });
/** Offset pairs in any order (the mapper remembers the last line, so order matters), some past the end. */
const queries = fc.array(fc.tuple(fc.nat(70), fc.nat(70)), { minLength: 1, maxLength: 30 });

describe('position mappers', () => {
  it('give what a plain search gives, whatever order offsets are asked in', () => {
    fc.assert(
      fc.property(texts, queries, fc.option(fc.record({ line: fc.integer({ min: 1, max: 9 }), column: fc.integer({ min: 1, max: 9 }) }), { nil: undefined }), (text, pairs, base) => {
        const mapper = createPositionMapper('f', text, base);
        for (const [a, b] of pairs) expect(mapper.range(a, b)).toEqual(referenceRange('f', text, a, b, base));
      }),
      propertyParameters(1000),
    );
  });

  it('lineCounterMapper gives what the yaml library LineCounter gives, offsets past the end included', () => {
    fc.assert(
      fc.property(texts, queries, (text, pairs) => {
        const mapper = lineCounterMapper('t.yaml', text);
        for (const [a, b] of pairs) expect(mapper.range(a, b)).toEqual(lineCounterRange('t.yaml', text, a, b));
      }),
      propertyParameters(1000),
    );
  });

  it('counts lines and columns from 1, the first line shifted by a base', () => {
    const text = 'ab\ncd\n\nef';
    expect(createPositionMapper('f', text).range(4, 8)).toEqual({ file: 'f', line: 2, column: 2, endLine: 4, endColumn: 2 });
    expect(createPositionMapper('f', text, { line: 5, column: 10 }).range(1, 3)).toEqual({ file: 'f', line: 5, column: 11, endLine: 6, endColumn: 1 });
    expect(createPositionMapper('f', text).offset(4, 2)).toBe(8);
  });
});
