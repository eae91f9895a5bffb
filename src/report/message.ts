import type { Finding } from '../rules/types.js';

/** Roots a note lists by name; the rest are counted, so a module every example calls keeps its message short. */
const LISTED = 3;

/** ` (through root \`envs/prod\`)`, or ` (through roots \`a\`, \`b\`, \`c\` and 2 more)`. */
export function rootsNote(roots: readonly string[]): string {
  const named = roots.slice(0, LISTED).map((r) => `\`${r}\``).join(', ');
  return ` (through ${roots.length === 1 ? 'root' : 'roots'} ${named}${roots.length > LISTED ? ` and ${roots.length - LISTED} more` : ''})`;
}

/**
 * A finding's message as users read it: the roots it was reached through named right after the
 * first mention of its resource (every rule that sets roots starts its message by naming the
 * resource), or at the end should a message not name it. What every formatter shows.
 */
export function messageText(finding: Pick<Finding, 'message' | 'resource' | 'roots'>): string {
  const { message, resource, roots } = finding;
  if (!roots || roots.length === 0) return message;
  const at = message.indexOf(resource);
  const end = at < 0 ? message.length : at + resource.length;
  return `${message.slice(0, end)}${rootsNote(roots)}${message.slice(end)}`;
}
