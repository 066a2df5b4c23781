/**
 * Whether the hub has countersigned an evidence entry (拠点の署名), as the case screen, the evidence
 * report and the detail CSV say it. The receipt itself and its check are the protocol's
 * (src/protocol/countersign.ts); this is what a checked receipt comes to, in plain data.
 * An entry without a good receipt is shown as such, never left out.
 */
import type { IsoInstant } from './household';

export type EntryCountersign =
  /** the hub's receipt is held here and verifies with the hub key this device took at join */
  | {
      readonly status: 'countersigned';
      readonly hub: string;
      /** the hub's accepted position (its change version) */
      readonly position: number;
      /** the hub's clock when it accepted the entry (拠点の受付時刻), UTC */
      readonly receivedAt: IsoInstant;
      readonly keyFingerprint: string;
      /** Ed25519, base64: carried by the CSV so an export can be checked offline */
      readonly signature: string;
    }
  /** joined to a hub, but no receipt yet (unsent, or sent and not yet answered) */
  | { readonly status: 'pending' }
  /** this device has no hub: nobody countersigns */
  | { readonly status: 'device-only' }
  /** a receipt is held but does not verify, or is for another hash: shown, never trusted */
  | { readonly status: 'invalid'; readonly problem: string }
  /**
   * the hub refused the entry for good (it stays here, queued and marked; the sync settings list it
   * with what to do): never countersigned as it stands. `reason` is the refusal in words.
   */
  | { readonly status: 'refused'; readonly reason: string };

export type CountersignStatus = EntryCountersign['status'];

export const COUNTERSIGN_LABELS: Readonly<Record<CountersignStatus, string>> = {
  countersigned: '拠点署名済み',
  pending: '未署名（拠点の受付待ち）',
  'device-only': 'この端末のみ（拠点の署名なし）',
  invalid: '署名が一致しません（拠点に確認してください）',
  refused: '拠点が受け付けていません',
};

/** Looks up an entry's status; an entry the map does not name is pending (or device-only without a hub). */
export type CountersignLookup = (entryId: string) => EntryCountersign;

export const DEVICE_ONLY: CountersignLookup = () => ({ status: 'device-only' });

/** 「5件中5件 拠点署名済み」: how many of a case's entries the hub has countersigned. */
export function countersignSummary(entryIds: readonly string[], lookup: CountersignLookup): string {
  const statuses = entryIds.map((id) => lookup(id).status);
  if (statuses.length > 0 && statuses.every((s) => s === 'device-only')) return COUNTERSIGN_LABELS['device-only'];
  const signed = statuses.filter((s) => s === 'countersigned').length;
  const invalid = statuses.filter((s) => s === 'invalid').length;
  const refused = statuses.filter((s) => s === 'refused').length;
  const bad = [invalid > 0 ? `${invalid}件は署名が一致しません` : '', refused > 0 ? `${refused}件は拠点が受け付けていません` : ''].filter(Boolean).join('、');
  return `${statuses.length}件中${signed}件 拠点署名済み${bad ? `（${bad}）` : ''}`;
}
