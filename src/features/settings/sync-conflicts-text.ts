/** Words of the conflict list (STYLE.md habit 9), and how a conflict's path and values read. */
import { FUNCTION_BONUS_KIND_LABELS } from '../../protocol/constants';
import { parseConflictPath } from '../../sync/conflict-path';

export const CT = {
  title: (n: number) => `重なった変更（${n}件）`,
  intro:
    '同じ項目を二人が別々に変更しました。サーバーは先に届いた値を残し、もう一方も記録しています。どちらを残すか選んでください。選ぶまでは、先に届いた値が表示されます。',
  loading: '重なった変更を読み込んでいます…',
  failed: '重なった変更を読み込めませんでした。同期してからもう一度お試しください。',
  unknownRecord: '（この端末にない記録）',
  kind: { household: '世帯', facility: '短期入所事業所', office: '相談支援事業所', ...FUNCTION_BONUS_KIND_LABELS, 'trial-stay': '体験利用' },
  validFrom: (month: string) => `${month}から`,
  field: (label: string) => `項目：${label}`,
  kept: (by: string) => `いまの値（${by || '不明'}）`,
  lost: (by: string) => `もう一方の値（${by || '不明'}）`,
  keep: (by: string) => `いまの値のままにする（${by || '不明'}）`,
  restore: (by: string) => `もう一方の値に戻す（${by || '不明'}）`,
  empty: '（空欄）',
} as const;

/** Japanese names of the fields people are most likely to change at once; others show as they are. */
const FIELDS: Readonly<Record<string, string>> = {
  phone: '電話番号',
  address: '住所',
  note: '備考',
  mainCaregiver: '主たる介護者',
  caregiverHealth: '介護者の健康状態',
  caseWorker: '担当の相談支援専門員',
  caseWorkerPhone: '担当者の電話番号',
  registeringOffice: '登録した相談支援事業所',
  legalRepresentative: '法定代理人',
  lastReviewedOn: '最終見直し日',
  emergencyContacts: '緊急連絡先',
  persons: '本人',
  agencies: '関係機関',
  consent: '同意',
  name: '氏名',
  kana: 'ふりがな',
  birthDate: '生年月日',
  medication: '服薬',
  allergies: 'アレルギー',
  medicalCare: '医療的ケア',
  calming: '落ち着く方法',
  triggers: '不安定になるきっかけ',
  nightLine: '夜間の連絡先',
  vacancy: '空床の報告',
  hubSince: '拠点としての位置づけ',
  hubPeriods: '拠点として位置付けられていた期間',
  oneBody: '一体的運営',
  // 機能強化加算 (docs/function-bonus.md)
  count: '算定件数',
  offices: '事業所ごとの割合',
  municipalities: '市町村ごとの割合',
  toMonth: '配置終了月',
  fromMonth: '配置開始月',
  officeId: '配置事業所',
  yenPerUnit: '単価',
};

/** 「本人（山田 太郎）の服薬」 for `persons[p-1].medication`. */
export function fieldLabel(path: string, personName: (id: string) => string | undefined): string {
  const steps = parseConflictPath(path);
  if (steps === null) return path;
  const words: string[] = [];
  for (const step of steps) {
    if ('key' in step) words.push(FIELDS[step.key] ?? step.key);
    else words[words.length - 1] = `${words.at(-1) ?? ''}（${personName(step.id) ?? step.id}）`;
  }
  return words.join('の');
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return CT.empty;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
