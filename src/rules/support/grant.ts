import type { Grantee, InvokeGrant } from '../types.js';

/** A finding's `grant` (spread into it): whom the grant opens a function to, and the function when the rule could name it. */
export function invokeGrant(grantee: Grantee, fn: string | undefined): { grant: InvokeGrant } {
  return { grant: { grantee, ...(fn !== undefined ? { function: fn } : {}) } };
}
