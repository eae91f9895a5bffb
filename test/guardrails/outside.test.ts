import { describe, expect, it } from '@jest/globals';
import { namedAccounts, outsideAccount, outsideOf } from '../../src/guardrails/outside.js';

describe('outsideOf', () => {
  it('an address is outside when no named range of its family holds it', () => {
    const outside = outsideOf(['203.0.113.0/24', '2001:db8::/32', '<CORPORATE_CIDR>']);
    expect(['203.0.113.7', '203.0.113.0', '203.0.113.255', '2001:db8::7'].filter(outside)).toEqual([]);
    expect(['203.0.112.255', '203.0.114.0', '198.51.100.1', '2001:db9::', '::1'].every(outside)).toBe(true);
    expect(outside('not-an-address')).toBe(false);
  });

  it('a family the named ranges cover whole has no outside: every address of it counts', () => {
    expect(outsideOf(['0.0.0.0/0'])('203.0.113.7')).toBe(true);
    expect(outsideOf(['0.0.0.0/1', '128.0.0.0/1'])('10.1.2.3')).toBe(true);
    expect(outsideOf(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'])('10.1.2.3')).toBe(true);
    // One address short of whole: the rest of the family stays inside.
    expect(outsideOf(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3', '224.0.0.0/4', '240.0.0.0/5', '248.0.0.0/6', '252.0.0.0/7', '254.0.0.0/8', '255.0.0.0/9'])('10.1.2.3')).toBe(false);
    // The other family keeps its outside.
    expect(outsideOf(['0.0.0.0/0', '2001:db8::/32'])('2001:db8::7')).toBe(false);
    expect(outsideOf(['::/0'])('2001:db8::7')).toBe(true);
  });
});

describe('outsideAccount', () => {
  it('is 444455556666 unless named, then the next id no one names', () => {
    expect(outsideAccount(new Set())).toBe('444455556666');
    expect(outsideAccount(new Set(['444455556666']))).toBe('444455556667');
    expect(outsideAccount(new Set(['444455556666', '444455556667', '111122223333']))).toBe('444455556668');
  });

  it('finds the accounts in bare ids, ARNs and patterns, not in longer digit runs', () => {
    expect([...namedAccounts(['444455556666', 'arn:aws:iam::123456789012:role/*', 'arn:aws:lambda:*:210987654321:function:*', '4444*', '1234567890123'])]).toEqual(['444455556666', '123456789012', '210987654321']);
  });
});
