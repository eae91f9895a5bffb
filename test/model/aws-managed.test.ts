import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { awsManagedDocument } from '../../src/model/aws-managed.js';
import type { Range } from '../../src/model/range.js';
import type { Value } from '../../src/model/value.js';

const at = (line: number): Range => ({ file: 'template.yaml', line, column: 3, endLine: line, endColumn: 40 });
const named = (value: string, line: number): Value => ({ kind: 'string', value, range: at(line) });

/** Every range in a Value tree. */
function ranges(value: Value | undefined): Range[] {
  if (!value) return [];
  if (value.kind === 'list') return [value.range, ...value.items.flatMap(ranges)];
  if (value.kind === 'object') return [value.range, ...value.entries.flatMap((e) => [e.keyRange, ...ranges(e.value)])];
  return [value.range];
}

describe('awsManagedDocument', () => {
  // Answers are kept per name (misses included): asked again, each is what a fresh read gives, located where it is named.
  it('answers a repeated name as the first time, each located where it is named', () => {
    const file = JSON.parse(readFileSync(new URL('../../policies/aws-managed/AWSLambdaRole.json', import.meta.url), 'utf8'));
    for (const line of [1, 7]) {
      const document = awsManagedDocument(named('arn:aws:iam::aws:policy/service-role/AWSLambdaRole', line), false);
      expect(JSON.stringify(document && stripRanges(document))).toBe(JSON.stringify(stripRanges(plain(file))));
      expect(new Set(ranges(document).map((r) => r.line))).toEqual(new Set([line]));
    }
    for (const line of [2, 8]) {
      expect(awsManagedDocument(named('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', line), false)).toBeUndefined();
      expect(awsManagedDocument(named('AWSLambdaBasicExecutionRole', line), true)).toBeUndefined();
      expect(awsManagedDocument(named('AdministratorAccess', line), false)).toBeUndefined();
    }
    expect(awsManagedDocument(named('AdministratorAccess', 9), true)?.range).toEqual(at(9));
  });
});

/** Plain JSON data as the Value shape without ranges, to compare with a document. */
function plain(data: unknown): unknown {
  if (Array.isArray(data)) return { kind: 'list', items: data.map(plain) };
  if (data !== null && typeof data === 'object') return { kind: 'object', entries: Object.entries(data).map(([key, value]) => ({ key, value: plain(value) })) };
  return data;
}

function stripRanges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripRanges);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.kind === 'list') return { kind: 'list', items: stripRanges(v.items) };
    if (v.kind === 'object') return { kind: 'object', entries: (v.entries as Array<{ key: string; value: unknown }>).map((e) => ({ key: e.key, value: stripRanges(e.value) })) };
    if ('value' in v) return v.value;
  }
  return value;
}
