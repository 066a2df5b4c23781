/** Every user-facing string of the settings screen, in one place for review (STYLE.md habit 9). */
import type { AccessAction } from '../../vault/types';

export const T = {
  title: '設定',
  loading: '読み込み中…',
  saved: '保存しました。',

  iosWarning:
    'iPhone・iPadのSafariでは、ホーム画面に追加していないと、7日間使わなかったときにデータが削除されることがあります。共有ボタンから「ホーム画面に追加」してください。',
  dismiss: '閉じる',
  setupHomeScreenFirst:
    'iPhone・iPadでは、先にホーム画面に追加してから登録してください。Safariで入力したデータは、ホーム画面に追加したアプリには移りません。共有ボタンから「ホーム画面に追加」し、ホーム画面のアイコンから開いて登録してください。',
  notProtected:
    'ブラウザーがこの端末のデータを保護していません。端末の空き容量が少なくなると、データが削除されることがあります。「設定」の「保存領域」で「データを消されないよう保護する」を押してください（ホーム画面に追加してからのほうが許可されやすくなります）。',

  lowSpace: (percent: number, left: string) =>
    `この端末でアプリが使える保存領域が残り少なくなっています（使用 ${percent}%・残り ${left}）。いっぱいになると記録を保存できず、ロックの解除もできなくなります（解除の閲覧記録を書けないため）。端末の不要なアプリや写真・動画を削除して、空きを作ってください。`,
  storageTitle: '保存領域',
  persisted: '保護されています',
  notPersisted: '保護されていません（容量不足時にブラウザーが削除する可能性があります）',
  persistUnknown: 'このブラウザーでは保護の状態を確認できません。',
  persistButton: 'データを消されないよう保護する',
  persistDenied:
    'ブラウザーが保護を許可しませんでした。ホーム画面に追加してから、もう一度お試しください。',
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

  usersTitle: '職員（この端末）',
  usersIntro: '当番の引き継ぎでは、それぞれが自分のパスフレーズで解錠します。閲覧記録は解錠した人の名前で残ります。',
  registeredOn: (date: string) => `登録 ${date}`,
  you: '（使用中）',
  addUser: '職員を追加',
  addUserTitle: '職員を追加',
  /** A9: the queue waits at the first change of someone with no hub sign-in on this phone */
  addUserJoined:
    'この端末は拠点サーバーに参加しています。追加した職員がこの端末で拠点にサインインするまで、その人の記録（解錠の閲覧記録を含む）と、そのあとにこの端末で書かれた記録は拠点へ送信されません。拠点に届かない間（災害時など）に追加するときは、つながりしだい、その人にこの端末でサインインしてもらってください。',
  currentPassphraseForAdd: 'あなたの現在のパスフレーズ',
  newUserName: '新しい職員の表示名',
  newUserPassphrase: '新しい職員のパスフレーズ',
  newUserPassphraseConfirm: '新しい職員のパスフレーズ（確認）',
  addUserSubmit: '追加する',
  userAdded: (name: string) => `${name}さんを追加しました。ロック画面で名前を選んで解錠できます。最初の解錠で、ご本人だけが知るパスフレーズに変えてもらいます。`,
  nameRequired: '表示名を入力してください。',
  nameTooLong: (max: number) => `表示名は${max}文字以内で入力してください。`,
  nameTaken: '同じ表示名の職員がすでにいます。区別できる名前にしてください。',
  changePassphrase: 'パスフレーズを変更',
  changePassphraseTitle: 'パスフレーズを変更',
  currentPassphrase: '現在のパスフレーズ',
  newPassphrase: '新しいパスフレーズ',
  newPassphraseConfirm: '新しいパスフレーズ（確認）',
  changeSubmit: '変更する',
  passphraseChanged: 'パスフレーズを変更しました。次の解錠から新しいパスフレーズを使ってください。',
  currentRequired: '現在のパスフレーズを入力してください。',
  /** the added person's first unlock: the passphrase the one who added them chose (src/app/must-change-screen.tsx) */
  receivedPassphrase: '登録時に受け取ったパスフレーズ',
  receivedRequired: '登録時に受け取ったパスフレーズを入力してください。',
  removeUser: 'この端末から削除',
  /** the button's name for screen readers: which person it removes (the visible text is part of it) */
  removeUserLabel: (name: string) => `${name}さんをこの端末から削除`,
  removeUserTitle: (name: string) => `${name}さんをこの端末から削除`,
  removeUserWhat: 'この人はこの端末を解錠できなくなります。送信前の記録は残り、送信されます。',
  currentPassphraseForRemove: 'あなたの現在のパスフレーズ',
  removeUserSubmit: '削除する',
  userRemoved: (name: string) => `${name}さんをこの端末から削除しました。`,
  cancel: 'やめる',
  working: '処理しています…',

  pendingTitle: '変更待ち',
  pendingCount: (n: number) => (n === 0 ? '送信待ちの変更はありません。' : `送信待ちの変更が${n}件あります。`),
  refusedCount: (n: number) => `ほかに、拠点サーバーが受け付けなかった変更が${n}件あります（「拠点サーバーと同期」の「サーバーが受け付けなかった変更」に理由があります）。`,
  pendingNote:
    '変更はこの端末に暗号化して保存され、拠点サーバーと同期したときに送信されます。サーバーに参加していなければ、この端末だけに残ります。',

  accessLogTitle: '閲覧記録',
  accessLogIntro: (n: number) => `この端末に書き込まれた最後の${n}件まで（時刻の新しい順）。バックアップから戻した記録は、戻したときに書き込まれたものとして数えます。記録は変更・削除できません。`,
  accessLogEmpty: 'まだ記録はありません。',
  action: {
    unlock: '解錠',
    'open-household': '世帯を開いた',
    'print-household': '世帯を印刷',
    'export-backup': 'バックアップを作成',
    'restore-backup': 'バックアップから復元',
    lock: 'ロック',
    'unlock-failed': '解錠の失敗（パスフレーズ違い。次に解錠した人の名前で記録）',
    'share-without-consent': '同意書なしで世帯の情報を提供',
    'export-claims': '請求のファイルを書き出し',
    'print-evidence': '証跡レポートを開いた（印刷用）',
    'add-user': 'この端末に職員を追加',
    'remove-user': 'この端末から職員を削除',
    'change-passphrase': 'パスフレーズを変更',
    'dismiss-refused': '送信できなかった変更を一覧から外した',
    'open-case': '対応記録を開いた（本人未特定）',
  } satisfies Record<AccessAction, string>,
  /** for the support desk and the hub's admin: which version, which device (`list-devices` prints the 端末ID in full) */
  infoTitle: 'この端末の情報',
  infoIntro: '管理者や問い合わせ先に聞かれたら、ここを読み上げてください。',
  infoBuild: 'アプリのバージョン',
  infoDevice: '端末ID',
  infoHub: '拠点ID',
  infoLastSync: '最終同期',
  infoNeverSynced: 'まだ同期していません',
  unknownHousehold: '（この端末にない世帯）',
  unnamedHousehold: '（氏名未入力の世帯）',
} as const;
