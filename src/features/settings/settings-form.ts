/** The device-settings form as a pure function: text in, settings or Japanese messages out. */
import type { DeviceSettings } from '../../vault/types';
import { T } from './text';

export const SETTINGS_LIMITS = {
  idleLockMinutes: { min: 1, max: 60 },
  reviewAfterMonths: { min: 1, max: 60 },
} as const satisfies Record<keyof DeviceSettings, { min: number; max: number }>;

export type SettingsInput = Readonly<Record<keyof DeviceSettings, string>>;
export type SettingsErrors = Partial<Record<keyof DeviceSettings, string>>;

export type SettingsResult =
  | { readonly ok: true; readonly value: DeviceSettings }
  | { readonly ok: false; readonly errors: SettingsErrors };

/** Full-width digits come from a Japanese IME left in 全角 mode; they mean the same number. */
function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

function parseWhole(text: string, { min, max }: { min: number; max: number }): number | null {
  const s = toAsciiDigits(text);
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

export function settingsToInput(settings: DeviceSettings): SettingsInput {
  return { idleLockMinutes: String(settings.idleLockMinutes), reviewAfterMonths: String(settings.reviewAfterMonths) };
}

export function parseSettingsInput(input: SettingsInput): SettingsResult {
  const idleLockMinutes = parseWhole(input.idleLockMinutes, SETTINGS_LIMITS.idleLockMinutes);
  const reviewAfterMonths = parseWhole(input.reviewAfterMonths, SETTINGS_LIMITS.reviewAfterMonths);
  if (idleLockMinutes !== null && reviewAfterMonths !== null) return { ok: true, value: { idleLockMinutes, reviewAfterMonths } };
  const errors: SettingsErrors = {};
  if (idleLockMinutes === null) errors.idleLockMinutes = T.idleLockInvalid;
  if (reviewAfterMonths === null) errors.reviewAfterMonths = T.reviewInvalid;
  return { ok: false, errors };
}
