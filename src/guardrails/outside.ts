import { isIP } from 'node:net';
import { cidrBlock, cidrContains } from './condition-values.js';

/**
 * Values "outside": what an attacker outside the organisation's network or accounts brings. The
 * organisation's own networks and accounts are not known beyond what the policies and the config
 * name, so outside is "not named by any of them", chosen deterministically (same scan, same
 * findings) rather than one fixed value an allow-list may happen to contain.
 */

/** Placeholder in a scenario's fixed keys for an account outside the organisation. */
export const OUTSIDE_ACCOUNT = '<OUTSIDE_ACCOUNT>';

/** The account an outside scenario starts from; the next ids are tried while it is named. */
const FIRST_OUTSIDE_ACCOUNT = 444455556666n;

/** Every 12-digit account id in the texts (bare, or inside an ARN or pattern). */
export function namedAccounts(texts: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/(?<!\d)\d{12}(?!\d)/g)) found.add(match[0]);
  return found;
}

/**
 * A 12-digit account id none of `named` is. A wildcard pattern (`4444*`) is no account: an
 * allow-list that lets a range of ids through lets this one through too, which is the gap.
 */
export function outsideAccount(named: ReadonlySet<string>): string {
  let id = FIRST_OUTSIDE_ACCOUNT;
  while (named.has(id.toString().padStart(12, '0'))) id = (id + 1n) % 1_000_000_000_000n;
  return id.toString().padStart(12, '0');
}

/**
 * Whether an address is outside every named range, as an attacker outside the network stands. A
 * family the named ranges cover whole (`0.0.0.0/0`, or `0.0.0.0/1` with `128.0.0.0/1`) has no
 * outside: ranges that let every address through are no perimeter, so any address of it counts.
 */
export function outsideOf(ranges: string[]): (address: string) => boolean {
  const blocks = ranges.flatMap((r) => cidrBlock(r) ?? []);
  const whole = new Set([4, 6].filter((family) => coversFamily(blocks.filter((b) => b.family === family), family)));
  return (address) => {
    const family = isIP(address);
    if (family === 0) return false;
    if (whole.has(family)) return true;
    return !ranges.some((r) => cidrContains(r, address));
  };
}

type Block = NonNullable<ReturnType<typeof cidrBlock>>;

function width(family: number): bigint {
  return family === 4 ? 32n : 128n;
}

function lastOf(block: Block): bigint {
  return block.first | (((1n << width(block.family)) - 1n) ^ block.mask);
}

/** Whether the blocks together contain every address of the family. */
function coversFamily(blocks: Block[], family: number): boolean {
  const max = (1n << width(family)) - 1n;
  let next = 0n;
  for (const block of [...blocks].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
    if (block.first > next) return false;
    const last = lastOf(block);
    if (last >= next) next = last + 1n;
    if (next > max) return true;
  }
  return false;
}
