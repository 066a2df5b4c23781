/**
 * Derived data that makes unlocking faster (the household summary snapshot), sealed with the data
 * key like everything personal. Losing it costs only time: the app rebuilds it from the records.
 */
import { bindingOf, seal, unseal } from './crypto';
import { isoAt, type SessionContext } from './journal';

const CACHE_KEY = /^[a-z][a-z0-9-]{0,63}$/;

function assertCacheKey(key: string): void {
  if (!CACHE_KEY.test(key)) throw new TypeError(`vault: cache keys are stored in clear and must match ${String(CACHE_KEY)}`);
}

export async function saveCache(ctx: SessionContext, key: string, value: unknown): Promise<void> {
  assertCacheKey(key);
  const sealed = await seal(ctx.key, bindingOf('cache', key), value);
  await ctx.db.cache.put({ key, updatedAt: isoAt(ctx.now), ...sealed });
}

/** undefined when absent or unreadable: a damaged cache is rebuilt, never an error for the user. */
export async function loadCache<T>(ctx: SessionContext, key: string): Promise<T | undefined> {
  assertCacheKey(key);
  const row = await ctx.db.cache.get(key);
  // (A held-back record's key never passes assertCacheKey; the check is for the type.)
  if (row === undefined || !('ct' in row)) return undefined;
  try {
    return await unseal<T>(ctx.key, bindingOf('cache', key), row);
  } catch {
    return undefined;
  }
}
