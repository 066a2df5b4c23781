/** Every user-facing string of 設定 › バックアップ, in one place for review (as text.ts; STYLE.md habit 9). */
import { FUNCTION_BONUS_KIND_LABELS, FUNCTION_BONUS_KINDS } from '../../protocol/constants';
import type { EntityKind, RestoreResult } from '../../vault/types';

const KIND_LABELS: Readonly<Record<EntityKind, string>> = {
  household: '世帯',
  facility: '短期入所事業所',
  office: '相談支援事業所',
  'case-entry': '対応記録',
  ...FUNCTION_BONUS_KIND_LABELS,
  'month-close': '請求済みの記録',
  'trial-stay': '体験利用',
};

const ALWAYS_NAMED = ['household', 'facility', 'office', 'case-entry'] as const;

export const BT = {
  title: 'バックアップ',
  intro:
    'この端末の記録（世帯・短期入所事業所・相談支援事業所・対応記録・閲覧記録）を、暗号化した1つのファイルに保存します。機種変更や故障に備えて、新しい端末に復元できます。',

  create: 'バックアップを作成',
  createTitle: 'バックアップを作成',
  currentPassphrase: '現在のパスフレーズ（本人確認）',
  currentPassphraseHint: '解錠に使っているあなたのパスフレーズです。すべての世帯を書き出すため、本人か確かめます。',
  currentRequired: '現在のパスフレーズを入力してください。',
  passphrase: 'バックアップ用のパスフレーズ',
  passphraseConfirm: 'バックアップ用のパスフレーズ（確認）',
  warning:
    'このパスフレーズがないと、バックアップから復元できません。解錠用とは別のパスフレーズにして、ファイルとは別の安全な場所に控えてください。',
  acknowledge: '上記を理解しました',
  createSubmit: '作成する',
  creating: '作成中…',
  created: (fileName: string) =>
    `バックアップ「${fileName}」を作成しました。要配慮個人情報を含むファイルです。端末と同じように厳重に保管し、不要になったら削除してください。`,

  restore: 'バックアップから復元',
  restoreTitle: 'バックアップから復元',
  restoreIntro: '記録のない新しい端末でだけ復元できます。すでに記録がある端末には書き込みません。',
  file: 'バックアップファイル',
  fileHint: '「.kyoten」で終わるファイルを選んでください。',
  fileUnreadable: 'ファイルを読み込めませんでした。もう一度選んでください。',
  fileRequired: 'バックアップファイルを選んでください。',
  createdAt: '作成日時',
  device: '作成した端末',
  thisDevice: '（この端末）',
  size: '大きさ',
  sizeValue: (bytes: number) =>
    bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('ja-JP')} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`,
  restorePassphrase: 'バックアップのパスフレーズ',
  restorePassphraseHint: 'バックアップを作成したときに決めたパスフレーズです（解錠用とは別です）。',
  passphraseRequired: 'パスフレーズを入力してください。',
  restoreSubmit: '復元する',
  restoring: '復元中…',
  confirmTitle: 'この端末に復元しますか？',
  confirmBody: (createdAt: string) =>
    `${createdAt}に作成されたバックアップの記録を、この端末に書き込みます。書き込んだ記録は、拠点サーバーへの送信待ちになります。`,
  confirm: '復元する',
  cancel: 'やめる',
  restored: ({ counts, accessLog, createdBy }: RestoreResult) =>
    `${createdBy === '' ? '' : `${createdBy}さんが作成した`}バックアップを復元しました：${(Object.keys(KIND_LABELS) as EntityKind[])
      // Beyond the four every device keeps (households, facilities, offices, cases), a kind is
      // named only when the file held some: most devices have no 機能強化加算 tables or closed months.
      .filter((kind) => counts[kind] > 0 || (ALWAYS_NAMED as readonly string[]).includes(kind))
      .map((kind) => `${KIND_LABELS[kind]} ${counts[kind]}件`)
      .join('、')}、閲覧記録 ${accessLog}件。`,
  reloadFailed: '記録は復元しましたが、画面に読み込めませんでした。いったんロックして、解錠し直してください。',
} as const;
