import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { wildcardMatches, wildcardRegExp } from '../../src/iam/wildcard.js';
import { propertyParameters } from '../helpers/property.js';

// Characters where case folding is subtle: ASCII letters, the Kelvin sign and long s (lowercase to ASCII), ß, dotted İ.
const alphabet = fc.constantFrom('a', 'A', 'b', 'K', 'k', 's', 'S', '\u212a', '\u017f', 'ß', '\u0130', 'i', ':', '/', '-', '1', '*', '?', '.');
const text = fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join(''));

describe('wildcardMatches', () => {
  it('answers as the anchored case-insensitive RegExp does, shortcuts included', () => {
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        expect(wildcardMatches(pattern, value)).toBe(wildcardRegExp(pattern).test(value));
      }),
      propertyParameters(5000),
    );
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
