import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { excessiveNesting, MAX_NESTING } from '../../src/parse/nesting.js';
import { propertyParameters } from '../helpers/property.js';

/** The walk alone, without the bracket count that lets most files skip it. */
function reference(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '"' || text[i] === '\n') break;
      }
    } else if (c === '[' || c === '{' || c === '(') {
      if (++depth > limit) return i;
    } else if ((c === ']' || c === '}' || c === ')') && depth > 0) depth--;
  }
  return undefined;
}

describe('excessiveNesting', () => {
  it('finds the first offset past the limit exactly as the plain walk does, brackets in strings and escapes included', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '(', ')', '"', '\\', '\n', 'a'), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6 }), (t, limit) => {
        expect(excessiveNesting(t, limit)).toBe(reference(t, limit));
      }),
      propertyParameters(2000),
    );
  });

  it('at the real limit: deep input is refused at its first bracket past it; many shallow or quoted brackets are not', () => {
    const deep = `a: ${'['.repeat(MAX_NESTING + 1)}`;
    expect(excessiveNesting(deep)).toBe(3 + MAX_NESTING);
    expect(excessiveNesting('[1]'.repeat(5000))).toBeUndefined();
    expect(excessiveNesting(`"${'['.repeat(MAX_NESTING + 1)}"`)).toBeUndefined();
    expect(excessiveNesting('['.repeat(MAX_NESTING))).toBeUndefined();
  });
});
