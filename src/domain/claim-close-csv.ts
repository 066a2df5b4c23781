/**
 * 請求後の変更 as a CSV (docs/claim-csv.md): one row per case whose decision differs from the claim
 * as sent, with the units to claim additionally or return (過誤調整), then a 合計 row. Encoded like
 * the other claim files (encodeClaimCsv: UTF-8 with BOM, or Shift_JIS that refuses rather than replaces).
 */
import { toCsv } from './csv-text';
import { CLAIM_STATUS_LABELS } from './claim-types';
import { formatJapanDate } from './japan-time';
import { CHANGE_CAUSE_LABELS, changeTotals, rebills, unknowable, unitsToClaim, unitsToReturn, type ChangeCause, type ClaimChange, type DecisionAt, type MonthClose } from './claim-close';

export const CLAIM_CHANGES_HEADERS = [
  '事業所番号',
  '対象月',
  '請求日',
  '記録ID',
  '受給者証番号',
  '氏名',
  '変更の理由',
  '理由の詳細',
  '請求時の判定',
  '請求時の算定回数目',
  '請求時の単位数',
  '現在の判定',
  '現在の算定回数目',
  '現在の単位数',
  '追加請求の単位数',
  '返還の単位数',
  '対応',
  '現在の判定理由',
] as const;

/** 追加請求 for more units, 返還（過誤調整） for fewer. */
export function adjustmentLabel(difference: number, cause?: ChangeCause): string {
  // the same units, billed under the wrong number or 給付: returned and billed again under the right one
  if (cause !== undefined && rebills({ cause })) return '返還と再請求（過誤調整）';
  if (cause !== undefined && unknowable({ cause })) return '確認が必要（この端末では判断できません）';
  return difference > 0 ? '追加請求' : difference < 0 ? '返還（過誤調整）' : '単位数の変更なし';
}

const cells = (d: DecisionAt | null) => (d === null ? ['', '', ''] : [CLAIM_STATUS_LABELS[d.status], d.ordinal === null ? '' : String(d.ordinal), String(d.units)]);

/**
 * The change as two non-negative columns (追加請求, 返還): a cell starting with '-' would be
 * written with a leading ' (formula guard) and not read as a number.
 */
const split = (c: ClaimChange) => [String(unitsToClaim(c)), String(unitsToReturn(c))];

export function claimChangesCsv(close: MonthClose, changes: readonly ClaimChange[]): string {
  const { officeNumber } = close.body.office;
  const month = `${Number(close.month.slice(0, 4))}年${Number(close.month.slice(5, 7))}月`;
  const sentOn = formatJapanDate(close.body.sentOn);
  const rows = changes.map((c) => {
    const now = c.after === null ? ['', '', '0'] : cells(c.after);
    const moved = c.movedTo === null ? '' : `${Number(c.movedTo.slice(0, 4))}年${Number(c.movedTo.slice(5, 7))}月の記録に移動`;
    return [
      officeNumber,
      month,
      sentOn,
      c.caseId,
      c.recipientNumber,
      c.name,
      CHANGE_CAUSE_LABELS[c.cause],
      [c.detail, moved].filter((x) => x !== '').join('／'),
      ...cells(c.before),
      ...now,
      ...split(c),
      adjustmentLabel(c.difference, c.cause),
      c.after?.reasons.join('／') ?? '',
    ];
  });
  const { claim: more, ret: back } = changeTotals(changes);
  // Not netted: each person's claim is adjusted on its own, so an addition and a return of the same
  // size are both still to be made (the screen's total says both too).
  const adjusted = more > 0 && back > 0 ? `${adjustmentLabel(more)}・${adjustmentLabel(-back)}` : adjustmentLabel(more - back);
  // rows this phone cannot judge are no 変更なし: the total says how many wait
  const waiting = changes.filter(unknowable).length;
  const total = waiting > 0 ? `${adjusted}・確認が必要 ${waiting}件` : adjusted;
  rows.push([officeNumber, month, sentOn, '合計', '', `${changes.length}件`, '', '', '', '', '', '', '', '', String(more), String(back), total, '']);
  return toCsv(CLAIM_CHANGES_HEADERS, rows);
}
