/**
 * Entries grouped by a key (undefined: left out), each group in list order. Computed once per list
 * and key function: rules and the identity graph look things up per policy, role or reference, and
 * a scan over the whole list each time is quadratic. Model lists are not changed once built; pass
 * module-level key functions, or the cache never hits.
 */
export function groupedBy<T>(list: readonly T[], key: (entry: T) => string | undefined): ReadonlyMap<string, T[]> {
  let byKey = groups.get(list);
  if (!byKey) groups.set(list, (byKey = new Map()));
  let grouped = byKey.get(key) as Map<string, T[]> | undefined;
  if (!grouped) {
    grouped = new Map();
    for (const entry of list) {
      const k = key(entry);
      if (k === undefined) continue;
      const group = grouped.get(k);
      if (group) group.push(entry);
      else grouped.set(k, [entry]);
    }
    byKey.set(key, grouped);
  }
  return grouped;
}

const groups = new WeakMap<readonly unknown[], Map<(entry: never) => string | undefined, Map<string, unknown[]>>>();
