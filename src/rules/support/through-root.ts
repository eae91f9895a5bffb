import type { ResourceBase } from '../../model/types.js';
import { moduleInstance } from './suggest.js';

/** The note as it stands in a message, one root or several (see `withRoots`). */
const NOTE = / \(through roots? `[^`]*`(?:, `[^`]*`)*(?: and \d+ more)?\)/;

/** Roots a merged note lists by name; the rest are counted, so a module every example calls keeps its message short. */
const LISTED = 3;

function note(roots: readonly string[]): string {
  const named = roots.slice(0, LISTED).map((r) => `\`${r}\``).join(', ');
  return ` (through ${roots.length === 1 ? 'root' : 'roots'} ${named}${roots.length > LISTED ? ` and ${roots.length - LISTED} more` : ''})`;
}

/**
 * ` (through root \`envs/prod\`)` after a module resource's name in a message: roots calling one
 * module under one name give their instances the same address and place, so only the root tells
 * `envs/dev`'s finding from `envs/prod`'s. Empty for a root module's own resources, CloudFormation
 * and plans (no root recorded), so their messages read as before.
 */
export function throughRoot(resource: Pick<ResourceBase, 'address' | 'root'>): string {
  return resource.root !== undefined && moduleInstance(resource.address) !== '' ? note([resource.root]) : '';
}

/** A message without its root note: what fingerprints read, so naming the root changes no baseline. */
export function withoutRootNote(message: string): string {
  return message.replace(NOTE, '');
}

/** The root a message (as a rule wrote it) names, if any. */
export function rootNamed(message: string): string | undefined {
  const found = NOTE.exec(message);
  return found ? /`([^`]*)`/.exec(found[0])![1] : undefined;
}

/** Whether two messages say the same but for the root they name: one finding reached through two roots. */
export function sameButRoot(a: string, b: string): boolean {
  const noteA = NOTE.exec(a);
  const noteB = NOTE.exec(b);
  return noteA !== null && noteB !== null && noteA.index === noteB.index && withoutRootNote(a) === withoutRootNote(b);
}

/** A message naming every root (sorted) a finding was reached through, in place of the one it names. */
export function withRoots(message: string, roots: readonly string[]): string {
  return message.replace(NOTE, () => note([...roots].sort()));
}
