/**
 * Device settings (idle lock, review interval) in clear in meta: they hold nothing personal and the
 * lock screen needs them before anyone unlocks. Offline as online; a full disk rejects the update, old values stay.
 */
import { readMeta, type VaultDatabase } from './db';
import type { DeviceSettings } from './types';

export const DEFAULT_SETTINGS: DeviceSettings = { idleLockMinutes: 5, reviewAfterMonths: 12 };

const RANGES: Readonly<Record<keyof DeviceSettings, readonly [min: number, max: number]>> = {
  idleLockMinutes: [1, 60],
  reviewAfterMonths: [1, 60],
};

/** The settings screen offers only valid choices, so a value out of range is a programming error. */
function assertInRange(name: keyof DeviceSettings, value: number): void {
  const [min, max] = RANGES[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`vault: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

export async function readSettings(db: VaultDatabase): Promise<DeviceSettings> {
  return { ...DEFAULT_SETTINGS, ...(await readMeta(db, 'settings')) };
}

export async function updateSettings(db: VaultDatabase, patch: Partial<DeviceSettings>): Promise<DeviceSettings> {
  const changes: Partial<Record<keyof DeviceSettings, number>> = {};
  for (const name of Object.keys(RANGES) as (keyof DeviceSettings)[]) {
    const value = patch[name];
    if (value === undefined) continue;
    assertInRange(name, value);
    changes[name] = value;
  }
  return db.transaction('rw', db.meta, async () => {
    const next: DeviceSettings = { ...(await readSettings(db)), ...changes };
    await db.meta.put({ key: 'settings', value: next });
    return next;
  });
}
