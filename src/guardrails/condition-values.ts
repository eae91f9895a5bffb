import { isIP } from 'node:net';
import { globMatches } from '../iam/wildcard.js';

/** Whether one policy value matches one request value under a condition operator's base name (negation left to the caller). */
export function valueMatches(base: string, pattern: string, value: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatches(pattern, value);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnMatches(pattern, value);
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress':
      return cidrContains(pattern, value);
    default:
      return false;
  }
}

/** Arn* operators compare each of the six colon-separated components on its own, with wildcards (IAM docs). */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = arnComponents(pattern);
  const a = arnComponents(arn);
  if (!p || !a) return false;
  return p.every((part, i) => globMatches(part, a[i]));
}

function arnComponents(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Whether an IP address lies in a CIDR (or equals a bare address). A policy value that is not an address matches nothing. */
export function cidrContains(cidr: string, address: string): boolean {
  const block = cidrBlock(cidr);
  if (!block) return false;
  const family = isIP(address);
  if (family !== block.family) return false;
  return (addressToNumber(address, family) & block.mask) === block.first;
}

interface Block {
  family: number;
  first: bigint;
  mask: bigint;
}

/** Parsed CIDRs: the guardrail evaluation tries many addresses against the same few policy values. */
const blocks = new Map<string, Block | undefined>();

/** A CIDR's family, network mask and first address; undefined when it is not a CIDR or an address. */
export function cidrBlock(cidr: string): Block | undefined {
  if (blocks.has(cidr)) return blocks.get(cidr);
  const [network, prefix] = cidr.split('/');
  const family = isIP(network);
  const width = family === 4 ? 32 : 128;
  const bits = prefix === undefined ? width : Number(prefix);
  let block: Block | undefined;
  if (family !== 0 && Number.isInteger(bits) && bits >= 0 && bits <= width) {
    const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
    block = { family, first: addressToNumber(network, family) & mask, mask };
  }
  if (blocks.size < 10_000) blocks.set(cidr, block);
  return block;
}

/** An address of the given family (as `isIP` reports it) as a number. */
export function addressToNumber(address: string, family: number): bigint {
  if (family === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  let text = address.split('%')[0];
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded) {
    const v4 = addressToNumber(embedded[1], 4);
    text = `${text.slice(0, -embedded[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** A number as an address of the family: dotted IPv4, or eight full IPv6 groups. */
export function numberToAddress(value: bigint, family: number): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}
