import { useState } from 'react';

/**
 * The list as it was last time while it holds the same items (`same`, Object.is by default): a
 * list rebuilt from a store that changed elsewhere keeps its identity, so the checks keyed on it
 * (a case's chain, its countersigns) are not run again and do not read as unfinished meanwhile.
 */
export function useSameItems<T>(items: readonly T[], same: (a: T, b: T) => boolean = Object.is): readonly T[] {
  const [held, setHeld] = useState(items);
  const unchanged = held === items || (held.length === items.length && items.every((item, i) => same(item, held[i]!)));
  if (!unchanged) setHeld(items);
  return unchanged ? held : items;
}
