/**
 * Text PostgreSQL can store: no NUL (text cannot hold it) and no lone UTF-16 surrogate (jsonb
 * refuses its \ud800 escape). Checked before any SQL, because a statement PostgreSQL refuses is
 * written to its log with the data it choked on (jsonb quotes the JSON around the fault) [A2].
 */

/**
 * Where in the value (a dotted path) the first text that cannot be stored is; null when all can.
 * Walked with a stack, not recursion: JSON.parse accepts nesting a million deep.
 */
export function unstorableText(value: unknown, root = '(body)'): string | null {
  // Nearly every value is storable: a walk that builds no paths says so (a push checks every
  // change, megabytes of strings), and only a value that fails is walked again to name where.
  return allStorable(value) ? null : whereUnstorable(value, root);
}

function allStorable(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!storable(item)) return false;
    } else if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (typeof item === 'object' && item !== null) {
      for (const key of Object.keys(item)) {
        if (!storable(key)) return false;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

function whereUnstorable(value: unknown, root: string): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!storable(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}[${i}]`]);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item).reverse()) {
        if (!storable(key)) return `${path} (a key)`;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

function storable(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}
