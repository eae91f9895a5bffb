import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { actionWildcard, asciiGlobMatches, wildcardMatches, wildcardRegExp } from '../../src/iam/wildcard.js';
import { propertyParameters } from '../helpers/property.js';

// Characters where case folding is subtle: ASCII letters, the Kelvin sign and long s (lowercase to ASCII), ß, dotted İ.
const alphabet = fc.constantFrom('a', 'A', 'b', 'K', 'k', 's', 'S', '\u212a', '\u017f', 'ß', '\u0130', 'i', ':', '/', '-', '1', '*', '?', '.');
const text = fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join(''));
// Few distinct characters and several stars: globs that make the hand-written matcher backtrack.
const narrow = fc.constantFrom('a', 'A', 'b', '*', '?', '\n', '\u212a');
const backtracking = fc.array(narrow, { maxLength: 20 }).map((chars) => chars.join(''));
// ARN-shaped patterns: a real probe with pieces turned into `*` / `?` or re-cased, against probes and near misses.
const PROBES = ['arn:aws:lambda:us-east-1:111111111111:function:probe-a', 'arn:aws:lambda:eu-west-3:222222222222:function:zz-99:prod', 'arn:aws:iam::111111111111:role/probe-a'];
const arnEdit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('*', '?', '**', '', 'X', 'Lambda', '*:*', '\u017f'));
const arnPattern = fc
  .tuple(fc.constantFrom(...PROBES), fc.array(arnEdit, { maxLength: 4 }))
  .map(([probe, edits]) => edits.reduce((text, [at, length, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + length), probe));
const arnValue = fc.oneof(fc.constantFrom(...PROBES), arnPattern.map((p) => p.replace(/[*?]/g, 'x')));

describe('wildcardMatches', () => {
  it('answers as the anchored case-insensitive RegExp does, shortcuts included', () => {
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        expect(wildcardMatches(pattern, value)).toBe(wildcardRegExp(pattern).test(value));
      }),
      propertyParameters(5000),
    );
  });

  it('answers as the RegExp does where backtracking over several stars decides', () => {
    fc.assert(
      fc.property(backtracking, backtracking, (pattern, value) => {
        expect(wildcardMatches(pattern, value)).toBe(wildcardRegExp(pattern).test(value));
      }),
      propertyParameters(5000),
    );
  });

  it('answers as the RegExp does for ARN patterns against probes and near misses', () => {
    fc.assert(
      fc.property(arnPattern, arnValue, (pattern, value) => {
        expect(wildcardMatches(pattern, value)).toBe(wildcardRegExp(pattern).test(value));
      }),
      propertyParameters(5000),
    );
  });

  it('matches by hand every all-ASCII pattern and leaves only non-ASCII pattern characters to the RegExp', () => {
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        const byHand = asciiGlobMatches(pattern, value);
        if (/^[\x00-\x7f]*$/.test(pattern)) expect(byHand).toBe(wildcardRegExp(pattern).test(value));
        else if (byHand !== undefined) expect(byHand).toBe(wildcardRegExp(pattern).test(value));
      }),
      propertyParameters(5000),
    );
    // The value's non-ASCII characters are compared by hand: the Kelvin sign and long s never equal k and s.
    expect(asciiGlobMatches('k*s', '\u212a\u017f')).toBe(false);
    expect(asciiGlobMatches('?*?', '\u212a\u017f')).toBe(true);
    expect(asciiGlobMatches('a*\u212a', 'ab')).toBeUndefined();
    // A line break is one character to `?` and `*` (the RegExp's `s` flag).
    expect(asciiGlobMatches('a?b*', 'a\nb\n\n')).toBe(true);
  });

  it('rejects on the literal prefix and still matches what the wildcard allows', () => {
    expect(wildcardMatches('arn:aws:s3:::bucket/*', 'arn:aws:lambda:us-east-1:1:function:f')).toBe(false);
    expect(wildcardMatches('ARN:aws:lambda:*:*:function:*', 'arn:aws:lambda:us-east-1:1:function:f')).toBe(true);
    expect(wildcardMatches('lambda:Invoke?unction', 'lambda:InvokeFunction')).toBe(true);
    expect(wildcardMatches('k*', '\u212a')).toBe(wildcardRegExp('k*').test('\u212a'));
    // Without a wildcard too: the Kelvin sign lower-cases to "k", yet the RegExp never equates it with ASCII.
    expect(wildcardMatches('k', '\u212a')).toBe(false);
    expect(wildcardMatches('lambda:invokefunction', 'lambda:InvokeFunction')).toBe(true);
    expect(wildcardMatches('lambda:invokefunctio', 'lambda:InvokeFunction')).toBe(false);
  });
});

describe('actionWildcard', () => {
  it('reads every-action entries as *, service wildcards as written, and nothing else', () => {
    for (const every of ['*', '*:*', ' **:* ', '**']) expect(actionWildcard(every)).toBe('*');
    expect(actionWildcard('lambda:*')).toBe('lambda:*');
    expect(actionWildcard('s3*:*')).toBe('s3*:*');
    for (const narrow of ['lambda:Invoke*', 'lambda:InvokeFunction', '*:Get*', 's3:', '', 'ec2:*Describe']) expect(actionWildcard(narrow)).toBeUndefined();
  });
});
