/**
 * What the browser tells us about keeping our data: whether this is iOS outside the Home Screen
 * (Safari may evict a site's storage after 7 days without use) and the Storage API's persistence
 * and quota. Pure functions over plain inputs, plus thin readers of the real browser objects.
 */

export interface PlatformInfo {
  readonly userAgent: string;
  readonly maxTouchPoints: number;
  /** `navigator.standalone`: iOS only, true when launched from the Home Screen */
  readonly standalone: boolean | undefined;
  /** matchMedia('(display-mode: standalone)').matches */
  readonly displayModeStandalone: boolean;
}

/** iPhone/iPod/iPad, including iPadOS, which reports itself as a Macintosh but has a touch screen. */
export function isIos({ userAgent, maxTouchPoints }: Pick<PlatformInfo, 'userAgent' | 'maxTouchPoints'>): boolean {
  if (/iPhone|iPad|iPod/.test(userAgent)) return true;
  return /Macintosh/.test(userAgent) && maxTouchPoints > 1;
}

export function isInstalled({ standalone, displayModeStandalone }: Pick<PlatformInfo, 'standalone' | 'displayModeStandalone'>): boolean {
  return standalone === true || displayModeStandalone;
}

/**
 * True when the 7-day eviction applies: every iOS browser is WebKit with the same storage rules,
 * so the warning does not depend on which browser app this is.
 */
export function needsHomeScreenWarning(info: PlatformInfo): boolean {
  return isIos(info) && !isInstalled(info);
}

export function readPlatform(): PlatformInfo {
  const nav = navigator as Navigator & { standalone?: boolean };
  return {
    userAgent: nav.userAgent,
    maxTouchPoints: nav.maxTouchPoints ?? 0,
    standalone: nav.standalone,
    displayModeStandalone: typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches,
  };
}

/** null where the browser has no answer (API missing or it refused), never a guess. */
export interface StorageStatus {
  readonly persisted: boolean | null;
  readonly usageBytes: number | null;
  readonly quotaBytes: number | null;
}

/** The slice of StorageManager we use; every method may be missing (older Safari, some WebViews). */
export type StorageApi = Partial<Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>>;

function storageApi(): StorageApi | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageApi | undefined);
}

async function ask<T>(call: (() => Promise<T>) | undefined): Promise<T | null> {
  if (!call) return null;
  try {
    return await call();
  } catch {
    return null;
  }
}

export async function readStorageStatus(storage: StorageApi | undefined = storageApi()): Promise<StorageStatus> {
  const [persisted, estimate] = await Promise.all([
    ask(storage?.persisted?.bind(storage)),
    ask(storage?.estimate?.bind(storage)),
  ]);
  return {
    persisted,
    usageBytes: typeof estimate?.usage === 'number' ? estimate.usage : null,
    quotaBytes: typeof estimate?.quota === 'number' ? estimate.quota : null,
  };
}

/** Below this much room left for the app, or above this share of its quota used, the phone says so. */
export const LOW_SPACE_BYTES = 100 * 1024 * 1024;
export const LOW_SPACE_SHARE = 0.8;

/**
 * Whether the room left for the app is running out: every record, and every unlock's 閲覧記録
 * entry, needs some, and an unlock whose entry cannot be written fails (closed, on purpose), so a
 * full phone cannot be opened at all. Null when the browser does not say.
 */
export function lowOnSpace(status: StorageStatus): { readonly usedPercent: number; readonly leftBytes: number } | null {
  const { usageBytes: used, quotaBytes: quota } = status;
  if (used === null || quota === null || quota <= 0) return null;
  const left = Math.max(0, quota - used);
  return left < LOW_SPACE_BYTES || used / quota >= LOW_SPACE_SHARE ? { usedPercent: Math.min(100, Math.round((used / quota) * 100)), leftBytes: left } : null;
}

/** Asks the browser not to evict our data. Resolves to its answer, or null without the API. */
export function requestPersistence(storage: StorageApi | undefined = storageApi()): Promise<boolean | null> {
  return ask(storage?.persist?.bind(storage));
}

/**
 * On each unlock: whether our data is protected from eviction, asking the browser once more when it
 * is not (Android Chrome refuses before the app is on the Home Screen and grants silently after, but
 * only when asked again). null where the browser cannot ask (API missing, or it threw).
 */
export async function ensurePersistence(storage: StorageApi | undefined = storageApi()): Promise<boolean | null> {
  if (!storage?.persist) return null;
  if ((await ask(storage.persisted?.bind(storage))) === true) return true;
  return requestPersistence(storage);
}

/** '12.3 MB' — one decimal, decimal megabytes as the browsers' own settings pages show them. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString('ja-JP', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
}
