/** Every user-facing string of the settings screen, in one place for review (STYLE.md habit 9). */
import type { AccessAction } from '../../vault/types';

export const T = {
  title: '設定',
  loading: '読み込み中…',
  loadFailed: '読み込めませんでした。',
  saved: '保存しました。',

  iosWarning:
    'iPhone/iPadのSafariでは、ホーム画面に追加していないと、7日間使わなかったときにデータが削除されることがあります。共有ボタンから「ホーム画面に追加」してください。',
  dismiss: '閉じる',

  storageTitle: '保存領域',
  persisted: '保護されています',
  notPersisted: '保護されていません（容量不足時にブラウザが削除する可能性があります）',
  persistUnknown: 'このブラウザでは保護の状態を確認できません。',
  persistButton: 'データを消されないよう保護する',
  persistDenied:
    'ブラウザが保護を許可しませんでした。ホーム画面に追加してから、もう一度お試しください。',
  protection: '保護',
  usage: '使用量',
  usageValue: (used: string, quota: string) => `${used} ／ 上限 ${quota}`,
  usageUnknown: '確認できません',

  deviceTitle: '自動ロック・見直し間隔',
  idleLockLabel: '自動ロックまでの時間（分）',
  idleLockHint: '操作がないまま、この時間が過ぎるとロックします（1〜60分）。',
  idleLockInvalid: '自動ロックまでの時間は、1〜60の整数（分）で入力してください。',
  reviewLabel: '聞き取り票の見直し間隔（か月）',
  reviewHint: '最終見直し日（未入力なら同意日）からこの期間が過ぎた世帯に「見直し時期」と表示します（1〜60か月）。',
  reviewInvalid: '見直し間隔は、1〜60の整数（か月）で入力してください。',
  saveSettings: '設定を保存',

  usersTitle: '利用者（この端末）',
  usersIntro: '当番の引き継ぎでは、それぞれが自分のパスフレーズで解錠します。閲覧記録は解錠した人の名前で残ります。',
  registeredOn: (date: string) => `登録 ${date}`,
  you: '（使用中）',
  addUser: '利用者を追加',
  addUserTitle: '利用者を追加',
  currentPassphraseForAdd: 'あなたの現在のパスフレーズ',
  newUserName: '新しい利用者の表示名',
  newUserPassphrase: '新しい利用者のパスフレーズ',
  newUserPassphraseConfirm: '新しい利用者のパスフレーズ（確認）',
  addUserSubmit: '追加する',
  userAdded: (name: string) => `${name}さんを追加しました。ロック画面で名前を選んで解錠できます。`,
  nameRequired: '表示名を入力してください。',
  nameTaken: '同じ表示名の利用者がすでにいます。区別できる名前にしてください。',
  changePassphrase: 'パスフレーズを変更',
  changePassphraseTitle: 'パスフレーズを変更',
  currentPassphrase: '現在のパスフレーズ',
  newPassphrase: '新しいパスフレーズ',
  newPassphraseConfirm: '新しいパスフレーズ（確認）',
  changeSubmit: '変更する',
  passphraseChanged: 'パスフレーズを変更しました。次の解錠から新しいパスフレーズを使ってください。',
  currentRequired: '現在のパスフレーズを入力してください。',
  cancel: 'やめる',
  working: '処理しています…',

  pendingTitle: '変更待ち',
  pendingCount: (n: number) => (n === 0 ? '送信待ちの変更はありません。' : `送信待ちの変更が${n}件あります。`),
  pendingNote:
    '変更はこの端末に暗号化して保存され、拠点サーバーと同期したときに送信されます。サーバーに参加していなければ、この端末だけに残ります。',

  accessLogTitle: '閲覧記録',
  accessLogIntro: (n: number) => `新しい順に最大${n}件。記録は変更・削除できません。`,
  accessLogEmpty: 'まだ記録はありません。',
  action: {
    unlock: '解錠',
    'open-household': '世帯を開いた',
    'print-household': '世帯を印刷',
    'export-backup': 'バックアップを作成',
    'restore-backup': 'バックアップから復元',
    lock: 'ロック',
    'unlock-failed': '解錠の失敗（パスフレーズ違い・この次の解錠で記録）',
  } satisfies Record<AccessAction, string>,
  unknownHousehold: '（この端末にない世帯）',
  unnamedHousehold: '（氏名未入力の世帯）',
} as const;
