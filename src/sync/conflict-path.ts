/**
 * Paths of the hub's merge conflicts (docs/hub-server.md S14): `phone`, `consent.scope`,
 * `persons[p-1].medication`: object keys joined by dots, list items named by their `id` in
 * brackets. Settling a conflict with the value that lost writes that value back at its path.
 */

type Step = { readonly key: string } | { readonly id: string };

export function parseConflictPath(path: string): Step[] | null {
  const steps: Step[] = [];
  const re = /([^.[\]]+)|\[([^\]]+)\]|(\.)/gy;
  let expectKey = true;
  for (let m = re.exec(path); m !== null && re.lastIndex <= path.length; m = re.exec(path)) {
    if (m[1] !== undefined) {
      if (!expectKey) return null;
      steps.push({ key: m[1] });
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) return null;
      steps.push({ id: m[2] });
    } else {
      if (expectKey) return null;
      expectKey = true;
    }
    if (re.lastIndex === path.length) return expectKey ? null : steps;
  }
  return null;
}

/** The value at `path` of `record`, or undefined when the path leads nowhere (setAtPath's reader). */
export function valueAtPath(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const step of parseConflictPath(path) ?? []) {
    if ('key' in step) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[step.key] : undefined;
    else node = Array.isArray(node) ? node.find((item) => typeof item === 'object' && item !== null && (item as { id?: unknown }).id === step.id) : undefined;
  }
  return node;
}

/**
 * A copy of `record` with `value` at `path` (undefined removes it). Null when the path no longer
 * leads anywhere (the person was removed since): the caller says so instead of guessing.
 */
export function setAtPath<T>(record: T, path: string, value: unknown): T | null {
  const steps = parseConflictPath(path);
  if (steps === null) return null;
  const write = (node: unknown, at: number): unknown => {
    const step = steps[at]!;
    const last = at === steps.length - 1;
    if ('key' in step) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error('path');
      const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
      const next = last ? value : write(copy[step.key], at + 1);
      if (next === undefined) delete copy[step.key];
      else copy[step.key] = next;
      return copy;
    }
    if (!Array.isArray(node)) throw new Error('path');
    const index = node.findIndex((item) => typeof item === 'object' && item !== null && (item as { id?: unknown }).id === step.id);
    if (index < 0) {
      if (!last || value === undefined) throw new Error('path');
      return [...node, value];
    }
    const next = last ? value : write(node[index], at + 1);
    return next === undefined ? node.filter((_, i) => i !== index) : node.map((item, i) => (i === index ? next : item));
  };
  try {
    return write(record, 0) as T;
  } catch {
    return null;
  }
}
