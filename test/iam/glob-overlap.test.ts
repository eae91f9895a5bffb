import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { commonMatch, compileCaseSensitiveGlob, compileGlob, matchSignatures, searchBudget, tokenTable, witnessText, type Glob } from '../../src/iam/glob-overlap.js';
import { wildcardMatches } from '../../src/iam/wildcard.js';
import { propertyParameters } from '../helpers/property.js';

// A small alphabet with case pairs, ASCII and not, and the long s (upper case S, yet never matching s or S), and the two wildcards.
const glob = fc.array(fc.constantFrom('a', 'A', 's', 'S', '\u017f', 'É', '*', '?'), { maxLength: 4 }).map((c) => c.join(''));
// Every string up to this length over one character of each case class and c (one no glob names): the brute-force oracle.
const ORACLE_ALPHABET = ['a', 's', '\u017f', 'é', 'c'];
const ORACLE_LENGTH = 5;
const strings: string[] = [''];
for (let n = 0, from = 0; n < ORACLE_LENGTH; n++) {
  const to = strings.length;
  for (let i = from; i < to; i++) for (const c of ORACLE_ALPHABET) strings.push(strings[i] + c);
  from = to;
}

function bruteForce(all: string[], none: string[]): string | undefined {
  return strings.find((s) => all.every((p) => wildcardMatches(p, s)) && !none.some((p) => wildcardMatches(p, s)));
}

function overlap(all: string[], none: string[] = []): string | undefined {
  const globs = all.map((p) => compileGlob(p));
  const excluded = none.map((p) => compileGlob(p));
  const symbols = commonMatch(globs, excluded);
  return symbols && witnessText(symbols, [...globs, ...excluded]);
}

describe('commonMatch', () => {
  it('finds a string two globs share exactly when a brute-force search does, and its witness matches both', () => {
    fc.assert(
      fc.property(glob, glob, (p, q) => {
        const witness = overlap([p, q]);
        if (witness !== undefined) expect([wildcardMatches(p, witness), wildcardMatches(q, witness)]).toEqual([true, true]);
        // Two globs of length 4 share a string of length at most 8 if any; every step takes a symbol of one of them,
        // so a shortest one takes at most 8, but the oracle stops at 5: it may miss one the search finds, never the reverse.
        if (bruteForce([p, q], []) !== undefined) expect(witness).toBeDefined();
        if (p.length + q.length <= ORACLE_LENGTH) expect(witness !== undefined).toBe(bruteForce([p, q], []) !== undefined);
      }),
      propertyParameters(1500),
    );
  });

  it('with globs that must not match: a witness matches every positive and no negative, and one exists when brute force finds one', () => {
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 3 }), fc.array(glob, { maxLength: 2 }), (all, none) => {
        const witness = overlap(all, none);
        if (witness !== undefined) {
          expect(all.every((p) => wildcardMatches(p, witness))).toBe(true);
          expect(none.some((p) => wildcardMatches(p, witness))).toBe(false);
        }
        if (bruteForce(all, none) !== undefined) expect(witness).toBeDefined();
      }),
      propertyParameters(800),
    );
  });

  it('answers the deployer cases', () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:';
    expect(overlap([`${fn}app-*`, `${fn}app-*`])).toBe(`${fn}app-`);
    expect(overlap([`${fn}app-*`, `${fn}web-*`])).toBeUndefined();
    expect(overlap([`${fn}app-*`, '*'])).toBeDefined();
    expect(overlap([`${fn}app-*`, `arn:aws:lambda:*:*:function:*-prod`])).toBe(`${fn}app-prod`);
    expect(overlap([`${fn}orders`, `${fn}ORDERS`])).toBe(`${fn}orders`);
    expect(overlap([`${fn}app-*`, `${fn}app-*`], [`${fn}app-*`])).toBeUndefined();
    expect(overlap([`${fn}app-*`, `${fn}app-*`], [`${fn}app-prod*`])).toBeDefined();
    // A Deny of the names one character after `app-` leaves the longer ones: the witness is the shortest.
    expect(overlap([`${fn}app-?*`], [`${fn}app-?`])?.length).toBe(`${fn}app-xx`.length);
  });

  it('stops at its budget and answers none', () => {
    const stars: Glob = compileGlob('*a*b*a*b*a*b*a*b*');
    expect(commonMatch([stars], [compileGlob('*a*a*a*a*a*'), compileGlob('*b*b*b*b*b*')], 3)).toBeUndefined();
  });

  it('draws every search given one budget from it: once spent, even an easy search answers none', () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:';
    const easy = [compileGlob(`${fn}app-*`), compileGlob(`${fn}app-prod`)];
    const budget = searchBudget(100, 1_000);
    expect(commonMatch(easy, [], budget)).toBeDefined();
    const left = budget.left;
    expect(left).toBeLessThan(100);
    expect(left).toBeGreaterThan(0);
    // A search with no answer spends what is left (its own limit is higher), and the next one gets nothing.
    expect(commonMatch([compileGlob('*a*b*a*b*a*b*a*b*')], [compileGlob('*a*a*a*a*a*'), compileGlob('*b*b*b*b*b*')], budget)).toBeUndefined();
    expect(budget.left).toBeLessThanOrEqual(0);
    expect(commonMatch(easy, [], budget)).toBeUndefined();
    expect(commonMatch(easy, [], 1_000)).toBeDefined();
  });

  it('stops at once where a glob that must not match ends in `*` and matches what was read: every longer string matches it too', () => {
    const budget = searchBudget(1_000_000, 1_000_000);
    const fn = 'arn:aws:lambda:*:*:function:';
    // Without that stop, `*a` then 16 characters makes the search track tens of thousands of position sets.
    expect(commonMatch([compileGlob(`${fn}*c0*`), compileGlob(`${fn}*i0*`)], [compileGlob(`${fn}*`), compileGlob(`${fn}*a????????????????`)], budget)).toBeUndefined();
    expect(1_000_000 - budget.left).toBeLessThan(1_000);
  });
});

describe('compileGlob with a token table', () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:';
  const overlapTokens = (all: string[], none: string[] = []) => {
    const table = tokenTable();
    const globs = all.map((p) => compileGlob(p, { table, as: 'token' }));
    const excluded = none.map((p) => compileGlob(p, { table, as: 'star' }));
    const symbols = commonMatch(globs, excluded);
    return symbols && witnessText(symbols, [...globs, ...excluded], table);
  };

  it('reads a policy variable as one fixed string: equal to itself, matched by `*`, by no literal and no `?`', () => {
    expect(overlapTokens([`${fn}\${aws:username}-*`, `${fn}\${aws:username}-*`])).toBe(`${fn}\${aws:username}-`);
    expect(overlapTokens([`${fn}\${aws:username}-*`, `${fn}*`])).toBe(`${fn}\${aws:username}-`);
    expect(overlapTokens([`${fn}\${aws:username}-*`, `${fn}app-*`])).toBeUndefined();
    expect(overlapTokens([`${fn}\${aws:username}`, `${fn}?`])).toBeUndefined();
    expect(overlapTokens([`${fn}\${aws:username}`, `${fn}\${aws:userid}`])).toBeUndefined();
  });

  it('reads a piece of a Deny as `*`: it may cover anything', () => {
    expect(overlapTokens([`${fn}app-*`, `${fn}app-*`], [`${fn}\${var.protected}`])).toBeUndefined();
  });

  it('reads IAM escapes as the characters themselves', () => {
    expect(overlapTokens([`${fn}a\${*}`, `${fn}a*`])).toBe(`${fn}a*`);
    expect(overlapTokens([`${fn}a\${*}`, `${fn}ab`])).toBeUndefined();
  });
});

describe('matchSignatures', () => {
  const signatures = (patterns: string[]) => {
    const globs = patterns.map((p) => compileCaseSensitiveGlob(p));
    const found = matchSignatures(globs);
    return found && Object.fromEntries([...found].map(([signature, symbols]) => [signature, witnessText(symbols, globs)]));
  };

  it('finds the shortest string for each set of globs matched together, case-sensitively', () => {
    expect(signatures(['o-abc/*', '*/ou-prod/*'])).toEqual({ '00': '', '10': 'o-abc/', '01': '/ou-prod/', '11': 'o-abc/ou-prod/' });
    expect(signatures(['a*', 'A*'])).toEqual({ '00': '', '10': 'a', '01': 'A' });
  });

  it('reads `*` and `?` of a literal glob as characters', () => {
    const globs = [compileCaseSensitiveGlob('a*', true), compileCaseSensitiveGlob('a?')];
    expect(Object.fromEntries([...matchSignatures(globs)!].map(([s, w]) => [s, witnessText(w, globs)]))).toEqual({ '00': '', '01': 'aa', '11': 'a*' });
  });

  it('stops at its budget and answers undefined (not "no other way")', () => {
    expect(matchSignatures([compileCaseSensitiveGlob('*a*b*a*b*'), compileCaseSensitiveGlob('*b*a*b*a*')], 3)).toBeUndefined();
  });
});
