import { describe, expect, it } from '@jest/globals';
import { groupedBy } from '../../src/model/grouped-by.js';

describe('groupedBy', () => {
  const byInitial = (word: string) => (word === '' ? undefined : word[0]);

  it('groups in list order, leaves out entries without a key', () => {
    expect([...groupedBy(['ab', '', 'b', 'ac', 'bb'], byInitial)]).toEqual([
      ['a', ['ab', 'ac']],
      ['b', ['b', 'bb']],
    ]);
  });

  it('computes a list and key function once, and keeps lists and key functions apart', () => {
    let calls = 0;
    const counted = (word: string) => (calls++, byInitial(word));
    const list = ['ab', 'b'];
    expect(groupedBy(list, counted)).toBe(groupedBy(list, counted));
    expect(calls).toBe(2);
    const byLength = (word: string) => String(word.length);
    expect([...groupedBy(list, byLength).keys()]).toEqual(['2', '1']);
    expect(groupedBy(['ab', 'b'], counted)).not.toBe(groupedBy(list, counted));
  });
});
