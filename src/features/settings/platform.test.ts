import { describe, expect, it, vi } from 'vitest';
import {
  ensurePersistence,
  formatMegabytes,
  isIos,
  lowOnSpace,
  needsHomeScreenWarning,
  readStorageStatus,
  requestPersistence,
  type PlatformInfo,
  type StorageApi,
} from './platform';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  ipadOld: 'Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1',
  // iPadOS 13+ asks for the desktop site by default and says Macintosh.
  macintosh: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

function platform(overrides: Partial<PlatformInfo>): PlatformInfo {
  return { userAgent: UA.iphone, maxTouchPoints: 5, standalone: false, displayModeStandalone: false, ...overrides };
}

describe('iOS detection', () => {
  it.each([
    ['iPhone Safari', UA.iphone, 5],
    ['iPhone Chrome (WebKit too)', UA.iphoneChrome, 5],
    ['old iPad', UA.ipadOld, 5],
    ['iPadOS reporting Macintosh with a touch screen', UA.macintosh, 5],
  ])('recognises %s', (_, userAgent, maxTouchPoints) => {
    expect(isIos({ userAgent, maxTouchPoints })).toBe(true);
  });

  it.each([
    ['a Mac without touch', UA.macintosh, 0],
    ['Android', UA.android, 5],
    ['Windows with a touch screen', UA.windows, 10],
  ])('does not flag %s', (_, userAgent, maxTouchPoints) => {
    expect(isIos({ userAgent, maxTouchPoints })).toBe(false);
  });
});

describe('home-screen warning', () => {
  it('warns on iOS in the browser', () => {
    expect(needsHomeScreenWarning(platform({}))).toBe(true);
    expect(needsHomeScreenWarning(platform({ standalone: undefined }))).toBe(true);
  });

  it('does not warn when launched from the Home Screen', () => {
    expect(needsHomeScreenWarning(platform({ standalone: true }))).toBe(false);
    expect(needsHomeScreenWarning(platform({ displayModeStandalone: true }))).toBe(false);
  });

  it('does not warn off iOS, installed or not', () => {
    expect(needsHomeScreenWarning(platform({ userAgent: UA.android }))).toBe(false);
    expect(needsHomeScreenWarning(platform({ userAgent: UA.macintosh, maxTouchPoints: 0 }))).toBe(false);
  });
});

describe('storage status', () => {
  it('reads persistence and the estimate', async () => {
    const storage: StorageApi = {
      persisted: async () => true,
      estimate: async () => ({ usage: 12_345_678, quota: 2_000_000_000 }),
    };
    expect(await readStorageStatus(storage)).toEqual({ persisted: true, usageBytes: 12_345_678, quotaBytes: 2_000_000_000 });
  });

  it('answers null for missing or failing APIs instead of throwing', async () => {
    expect(await readStorageStatus(undefined)).toEqual({ persisted: null, usageBytes: null, quotaBytes: null });
    const broken: StorageApi = {
      persisted: () => Promise.reject(new Error('SecurityError')),
      estimate: async () => ({}),
    };
    expect(await readStorageStatus(broken)).toEqual({ persisted: null, usageBytes: null, quotaBytes: null });
    expect(await requestPersistence(undefined)).toBeNull();
    expect(await requestPersistence({})).toBeNull();
  });

  it('passes on the browser answer to persist()', async () => {
    expect(await requestPersistence({ persist: async () => false })).toBe(false);
    expect(await requestPersistence({ persist: async () => true })).toBe(true);
  });

  it('asks for protection again only while it is not granted, and says null where it cannot ask', async () => {
    const persist = vi.fn(async () => true);
    expect(await ensurePersistence({ persisted: async () => false, persist })).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await ensurePersistence({ persisted: async () => false, persist: async () => false })).toBe(false);

    const notAgain = vi.fn(async () => true);
    expect(await ensurePersistence({ persisted: async () => true, persist: notAgain })).toBe(true);
    expect(notAgain).not.toHaveBeenCalled();

    expect(await ensurePersistence(undefined)).toBeNull();
    expect(await ensurePersistence({ persisted: async () => false })).toBeNull();
    expect(await ensurePersistence({ persisted: async () => false, persist: () => Promise.reject(new Error('SecurityError')) })).toBeNull();
  });

  it('formats bytes as decimal megabytes with one decimal', () => {
    expect(formatMegabytes(12_345_678)).toBe('12.3 MB');
    expect(formatMegabytes(0)).toBe('0.0 MB');
    expect(formatMegabytes(2_000_000_000)).toBe('2,000.0 MB');
  });
});

describe('lowOnSpace', () => {
  const status = (usageBytes: number | null, quotaBytes: number | null) => ({ persisted: true, usageBytes, quotaBytes });
  it('says so when under 100 MB is left, or four fifths of the quota is used', () => {
    expect(lowOnSpace(status(200e6, 10e9))).toBeNull();
    expect(lowOnSpace(status(150e6, 200e6))).toEqual({ usedPercent: 75, leftBytes: 50e6 });
    expect(lowOnSpace(status(8e9, 10e9))).toEqual({ usedPercent: 80, leftBytes: 2e9 });
    expect(lowOnSpace(status(11e9, 10e9))).toEqual({ usedPercent: 100, leftBytes: 0 });
  });
  it('says nothing when the browser does not tell', () => {
    expect(lowOnSpace(status(null, 10e9))).toBeNull();
    expect(lowOnSpace(status(5e6, 0))).toBeNull();
  });
});
