/**
 * Resource types, one copy each. A type comes from its block's label, which the fast HCL parser
 * slices from the file's text: V8 keeps such a slice as a view of the whole text, so every
 * resource kept in the model would pin its file's text. The model keeps the interned copy, made
 * once per distinct type (a repository has dozens), so texts can be freed once modelled.
 */
const interned = new Map<string, string>();

/** Beyond this many distinct types (only hostile input has them) types are kept as given. */
const MAX_INTERNED = 10_000;

export function internType(type: string): string {
  const known = interned.get(type);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) return type;
  const copy = flatCopy(type);
  interned.set(copy, copy);
  return copy;
}

/** A string with the same characters that owns them (never a view of a longer string); JSON round-trips every string exactly. */
export function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
