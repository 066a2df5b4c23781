/**
 * Protocol constants without zod: the vault (in the start bundle) needs some of them, and the
 * schemas in sync.ts would bring zod into the JavaScript a cold start waits for.
 */
import type { RefusalReason } from './sync';

/**
 * Households with no office are held for the hub's coordinators and admins only: their officeId
 * on the server is this marker, which no case worker's scope contains (null would mean hub-wide).
 */
export const HUB_ONLY_OFFICE = '(hub)';

/**
 * The one rule for a record's id (household, facility, office, case entry), on the device, on the
 * wire and in the hub: ids are stored in clear and indexed, so they must be opaque (UUIDs and the
 * like); refusing anything else stops a name or a recipient number from ever becoming a key.
 * Hub, office, user and device ids follow their own rules (admin-commands.ts, sync.ts).
 */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isRecordId(id: unknown): id is string {
  return typeof id === 'string' && RECORD_ID_PATTERN.test(id);
}

/**
 * The 機能強化加算 records (docs/function-bonus.md): coordinators, the agreed split, each office's
 * claimed count per month and the unit price. Hub-wide, kept by an admin, merged like offices.
 */
export const FUNCTION_BONUS_KINDS = ['bonus-coordinator', 'bonus-split', 'bonus-count', 'bonus-price'] as const;
export type FunctionBonusKind = (typeof FUNCTION_BONUS_KINDS)[number];

/** Their names in Japanese, for every list of kinds a user or admin reads (backup, sync, records). */
export const FUNCTION_BONUS_KIND_LABELS: Readonly<Record<FunctionBonusKind, string>> = {
  'bonus-coordinator': '拠点コーディネーター',
  'bonus-split': '機能強化加算の取り決め',
  'bonus-count': '機能強化加算の算定件数',
  'bonus-price': '地域区分の単価',
};

/** The words for each refusal reason, as the sync settings and the admin CLI show them. */
export const REFUSAL_LABELS: Readonly<Record<RefusalReason, string>> = {
  gap: '前の変更がまだ届いていません（自動で再送します）',
  'seq-conflict': 'この端末の変更の通し番号が、サーバーにある別の変更と重なっています（管理者に連絡してください）',
  'mutation-conflict': '同じ変更が、内容を変えて二度送られています（管理者に連絡してください）',
  'evidence-conflict': '同じ記録IDで内容の違う記録がサーバーにあります（記録は変更されていません）',
  'hash-mismatch': '記録の内容が、書いたときのものと一致しません（途中で書き換えられた可能性があります）',
  'append-only': '追記のみの記録を変更しようとしました',
  invalid: '内容が不正です',
  scope: 'この職員には書き込みの権限がない記録です',
  chain: '対応記録のつながりが確認できません（前の記録が届いていないか、受け付けられていません）',
  writer: '記録した職員または端末が、送信した職員・端末と一致しません',
  clock: '記録の時刻がサーバーの時刻と合いません（端末の時計を確認してください）',
  author: '書いた人がこの端末で拠点にサインインすると送信されます',
};

/**
 * The longest device name the hub takes (EnrolRequest.name), in UTF-16 units as zod counts them.
 * Here, not read off the schema: the status line's words import this file on the first visit,
 * and a zod object built before boot's z.config({ jitless }) is a CSP violation (eval).
 */
export const DEVICE_NAME_MAX = 100;
