/**
 * What a correction changed, field by field, in the words the case screen, the printed evidence
 * report and the detail CSV use (issue 14 point 4: a corrected value shows the original beside
 * it). Pure: the caller passes how a time is written (formatJapanDateTime on screen and paper,
 * formatJapanDateTimeCsv in the CSV), so every time is Japan time whatever the device zone.
 */
import { PLANNING_LABELS, type FactBody, type Superseded } from './emergency-case';
import type { IsoInstant } from './household';

/** One field a correction changed: its label, the value before and the value after. */
export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** How an empty value reads beside a filled one (「（なし）→ 通話中だったため」). */
export const EMPTY_VALUE = '（なし）';

type TimeText = (instant: IsoInstant) => string;

/** The fields of a fact as shown, in the order the reports list them. */
function fieldsOf(body: FactBody, time: TimeText): [string, string][] {
  const yesNo = (b: boolean) => (b ? 'はい' : 'いいえ');
  switch (body.type) {
    case 'open':
      return [
        ['要請のあった時間', time(body.requestedAt)],
        ['要請時間を遡った理由', body.requestedAtReason],
        ['要請の内容（区分）', body.category],
        ['要請の内容（詳細）', body.detail],
        ['要請者', body.caller],
        ['折り返し先', body.callerPhone],
        ['氏名', body.subject.name],
        ['受給者証番号', body.subject.recipientNumber],
        ['事業所', body.officeId],
      ];
    case 'contact':
      return [
        ['連絡・調整を行った時刻', time(body.contactedAt)],
        ['連絡先事業所', body.facilityName],
        ['連絡先事業所番号', body.facilityOfficeNumber],
        ['短期入所', yesNo(body.shortStay)],
        ['方法', body.method],
        ['結果', body.result ?? '未記録'],
        ['メモ', body.note],
      ];
    case 'result':
      return [
        ['結果', body.result],
        ['メモ', body.note],
      ];
    case 'outcome':
      return [
        ['対応結果', body.outcome],
        ['入所先', body.facilityName],
        ['入所日時', body.from === null ? '' : time(body.from)],
        ['対応結果のメモ', body.note],
      ];
    case 'close':
      return [['終了時刻', time(body.closedAt)]];
    case 'link':
      return [
        ['氏名', body.subject.name],
        ['受給者証番号', body.subject.recipientNumber],
      ];
    case 'claim-facts':
      return [
        ['計画相談支援（障害児相談支援）の担当', PLANNING_LABELS[body.planning]],
        ['自立生活援助・地域定着支援の算定', yesNo(body.independentLivingClaimed)],
        ['備考', body.note],
      ];
    case 'same-emergency':
      return [
        ['同じ緊急事態か', body.answer === 'same' ? '同じ緊急事態' : '別の緊急事態'],
        ['相手の記録の要請時刻', time(body.otherRequestedAt)],
        ['理由', body.reason],
      ];
    case 'stay-end':
      return [
        ['退所日時', time(body.endedAt)],
        ['退所後の行き先', body.exit],
        ['退所のメモ', body.note],
      ];
  }
}

/**
 * The fields whose value differs between before and after, with both values ('' shown as
 * EMPTY_VALUE). Empty for a correction that changed nothing shown, and for a withdrawal (nothing
 * replaced it: the entry is shown as 取消; filledFields says what it took back).
 */
export function correctionChanges(s: Pick<Superseded, 'before' | 'after'>, time: TimeText): FieldChange[] {
  if (s.after === null || s.after.type !== s.before.type) return [];
  const after = new Map(fieldsOf(s.after, time));
  const shown = (v: string) => (v.trim() === '' ? EMPTY_VALUE : v);
  return fieldsOf(s.before, time)
    .filter(([field, value]) => after.get(field) !== value)
    .map(([field, value]) => ({ field, before: shown(value), after: shown(after.get(field) ?? '') }));
}

/** 「対応結果 入院、入所先 …」: the filled fields of a fact, e.g. what a withdrawal took back. */
export function filledFieldsText(body: FactBody, time: TimeText): string {
  return fieldsOf(body, time)
    .filter(([, value]) => value.trim() !== '')
    .map(([field, value]) => `${field} ${value}`)
    .join('、');
}

/** 「要請のあった時間 2026-12-01 00:05 → 2026-11-30 23:55」, the changes of one correction joined by 「、」. */
export function changesText(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${c.before} → ${c.after}`).join('、');
}
