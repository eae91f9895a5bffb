import type { Range } from './range.js';
import type { Value } from './value.js';

/**
 * Where an evaluated value passed between the literal that wrote it (its own range) and the attribute
 * that uses it: the locals and module call arguments Terraform read it through. `--changed-only` needs
 * them: a changed local that now forwards `var.principal` changes the grant, though neither the literal
 * nor the attribute moved. Kept beside the values, not in them: values are compared as plain data
 * throughout, and only the changed-files scope reads this.
 */
const passages = new WeakMap<Value, Range[]>();

/** Records that `value` passed through `range`; returns `value`. */
export function passedThrough(value: Value, range: Range): Value {
  const list = passages.get(value);
  if (!list) passages.set(value, [range]);
  else if (!list.includes(range)) list.push(range);
  return value;
}

/** `to` (a part of `from`, or `from` indexed) passed where `from` did; returns `to`. */
export function passagesInherited(from: Value, to: Value): Value {
  const list = passages.get(from);
  if (list && to !== from) for (const range of list) passedThrough(to, range);
  return to;
}

/** The places `value` passed through, beyond its own range. */
export function passagesOf(value: Value): readonly Range[] | undefined {
  return passages.get(value);
}
