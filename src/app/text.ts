/** Every user-facing string of the app shell (setup, lock, errors, update), in one place (STYLE.md habit 9). */
import { OLD_BROWSER_TEXT } from './old-browser-check';
export const T = {
  appName: '拠点ナビ',
  appFullName: '拠点ナビ 緊急対応',
  starting: '起動しています…',
  startingSlow: '起動に時間がかかっています。ほかのタブやウィンドウで拠点ナビを開いていたら閉じてから、「再読み込み」を押してください。',

  // opened over plain http from another machine (not a secure context)
  insecureTitle: 'https で開いてください',
  insecureWhy:
    'このページは暗号化されていない接続（http://）で開かれています。拠点ナビは入力した情報を端末の中で暗号化して守るため、安全な接続（https://）か、サーバーを動かしているこのパソコン（localhost）でしか使えません。パスフレーズはまだ入力しないでください。',
  insecureHowTitle: '開き直す方法',
  insecureUseHttps: 'スマートフォンや別のパソコンでは、https:// で始まるアドレスで開いてください。例：',
  /** opened at http://host:port/: that port speaks plain http, and https comes from the proxy in front */
  insecureUseHubHttps:
    'スマートフォンや別のパソコンでは、管理者から知らされた拠点サーバーの https:// で始まるアドレスで開いてください（今のアドレスの http を https に変えても開けません）。アドレスがわからないときは、管理者に尋ねてください。',
  insecureUseLocalhost: 'サーバーを動かしているこのパソコンで使うときは：',
  insecureForAdmin:
    '管理者の方へ：https で開けない場合は、サーバーの前に TLS（https）を終端するリバースプロキシを置いてください（docs/hub-server.md「TLS」、設定例 docs/nginx-kyoten.conf）。',
  insecureOpenedAt: '今開いているアドレス：',

  // a browser without what the evidence needs (old-browser.tsx)
  oldBrowserTitle: OLD_BROWSER_TEXT.title,
  oldBrowserWhy: OLD_BROWSER_TEXT.why,
  oldBrowserHowTitle: OLD_BROWSER_TEXT.howTitle,
  oldBrowserHow: OLD_BROWSER_TEXT.how,
  oldBrowserMissing: OLD_BROWSER_TEXT.missing,
  loadingScreen: '画面を読み込んでいます…',

  // first run
  setupTitle: '最初の職員を登録',
  setupIntro:
    'この端末で使う人の名前とパスフレーズを決めます。入力した情報は、パスフレーズで暗号化してこの端末だけに保存されます。',
  /** the vault is gone but this browser had set it up (store dataMissing): said before the set-up form */
  setupDataMissing:
    'この端末に保存されていたデータが見つかりません。ブラウザーがデータを削除しました（端末の空き容量が足りなくなったときや、サイトのデータが消去されたときに起こります）。空き容量が少ない場合は、先に写真やほかのアプリなど不要なデータを削除してください。拠点へ送信済みの記録は、職員を登録したあと「設定」の「拠点サーバーと同期」で拠点にもう一度参加すると戻ります。まだ送信していなかった変更は戻りません。このことを拠点の管理者に伝えてください。',
  displayName: '表示名',
  displayNameHint: '閲覧記録・対応記録に残る名前です（例：山田 花子）。',
  unlockConnectionLost: '端末内の保存データとの接続が途切れました。もう一度「解錠」を押してください。',
  displayNameRequired: '表示名を入力してください。',
  displayNameTooLong: (max: number) => `表示名は${max}文字以内で入力してください。`,
  passphrase: 'パスフレーズ',
  passphraseConfirm: 'パスフレーズ（確認）',
  start: 'はじめる',
  settingUp: '暗号化の鍵を作っています…',

  // lock
  lockTitle: 'ロック中',
  lockIntro: '自分のパスフレーズで解錠してください。',
  chooseUser: '職員',
  unlock: '解錠',
  unlocking: '解錠しています…',
  wrongPassphrase: 'パスフレーズが違います。',
  wrongPassphraseOf: (name: string) => `${name}さんのパスフレーズが違います。ご自分の名前が「職員」で選ばれているか確かめてください。`,
  failedCount: (n: number) => `続けて${n}回、パスフレーズが違っています。間違えるたびに、次に入力できるまでの時間が長くなります。`,
  forgotHelp:
    'パスフレーズを忘れた場合、この端末の記録を取り出す方法はありません（誰にも読めないよう暗号化されています）。ほかの職員がこの端末で解錠できるなら、その人に代わってもらってください。拠点サーバーと同期している場合は、管理者に連絡して端末を登録し直すと、記録をサーバーから受け取り直せます。',
  passphraseRequired: 'パスフレーズを入力してください。',
  idleLocked: '一定時間操作がなかったためロックしました',
  /** the wall clock was found before the last touch (idle-lock.ts): set back by hand, or by network time */
  clockPutBackLocked: '端末の時計が戻された（最後の操作より前の時刻になった）ため、ロックしました。解錠して続けてください。',
  locking: 'ロックしています…（入力途中の内容を保存しています）',
  elsewhereLocked: '別のタブでロックまたは別の人が解錠したため、このタブもロックしました',
  /** a handover: changes made here that the hub has not had yet (counted while locked) */
  // 閲覧記録 apart: every lock and unlock writes one, so a handover always has some, and the night
  // person wants to know whether the day's records and households went
  lockPending: (changes: number, accessLog: number) =>
    changes > 0
      ? `拠点へまだ送信していない変更が、この端末に${changes}件あります${accessLog > 0 ? `（ほかに閲覧記録${accessLog}件）` : ''}。解錠して拠点につながると送信されます（拠点にサインインしていない人の分は、その人がサインインしてから）。`
      : `拠点へまだ送信していない閲覧記録が、この端末に${accessLog}件あります（対応記録や世帯の変更ではありません）。解錠して拠点につながると送信されます（拠点にサインインしていない人の分は、その人がサインインしてから）。`,
  // refused changes stay on the phone, never sent as they are: not "waiting", but not gone either
  lockRefused: (n: number) => `拠点サーバーが受け付けなかった変更が、この端末に${n}件あります。解錠して「設定」の「サーバーが受け付けなかった変更」で理由を確かめてください。`,
  removedLocked: '解錠していた人がこの端末の職員から外されたため（別のタブでの削除、または拠点での利用停止）、ロックしました。',
  passphraseChangedLocked: '別のタブでご自身のパスフレーズを設定したため、このタブをロックしました。新しいパスフレーズで解錠してください。',
  throttled: '続けて間違えたため、しばらく解錠できません。',
  throttledWait: (seconds: number) => `あと${formatWait(seconds)}お待ちください。`,
  noUsers: 'この端末に職員が登録されていません。',

  // an added person's first unlock (must-change-screen.tsx)
  mustChangeTitle: 'ご自身のパスフレーズを設定してください',
  mustChangeWhy:
    '今のパスフレーズは、この端末にあなたを登録するときに入力したもので、登録した人も知っている可能性があります。記録を開く前に、あなただけが知るパスフレーズに変えてください。',

  // shell
  lock: 'ロック',
  /** printed instead of a screen not made for paper, from the browser's own print (styles.css) */
  printRefused:
    'この画面は印刷できません。世帯の情報は世帯の画面の「印刷（A4）」から、請求の記録は「証跡レポートを印刷」から印刷してください（印刷したことが閲覧記録に残ります）。',
  navLabel: 'メイン',
  navHouseholds: '世帯',
  navSettings: '設定',
  navCases: '緊急対応',
  navFacilities: '事業所',
  navReports: '実績',
  areaMatch: '受入先を探す',
  areaClaims: '相談強化加算の請求',
  areaBonus: '機能強化加算',
  signedInAsLabel: '職員：',
  /** the small link to this screen's page of the guide (help-link.tsx) */
  help: '使い方',
  helpTitle: (page: string) => `手引き「${page}」を新しいタブで開きます`,

  // errors
  retry: '再試行',
  dismiss: '閉じる',
  failedTitle: 'データを開けませんでした',
  failedHint: '「再試行」で、もう一度データベースを開きます。',
  quotaHint: '入力中の内容は画面に残っています。空き容量を確保してから、もう一度保存してください。',
  /** the banner after a lost connection: the next try reopens the storage by itself */
  reconnectHint: '入力中の内容は画面に残っています。もう一度同じボタンを押してください。それでも保存できないときは「開き直す」を押します（もう一度解錠が必要です）。',
  reconnect: '開き直す',
  /** records damaged on the disk, set aside at unlock */
  unreadable: (n: number) => `この端末に、読み取れない記録が${n}件あります（端末内のデータが壊れている可能性があります）。ほかの記録はそのまま表示・記録できます。管理者に連絡してください。`,
  /** an open form's autosave failed: the text is only on the screen */
  draftFailing: '入力途中の内容を端末に一時保存できていません（空き容量の不足など）。ロックされると消えるため、先に「保存」してください。',
  /** the lock could not save an open form's text */
  lockLostDrafts: 'ロックの前に、入力途中の内容を端末に保存できませんでした（空き容量の不足など）。解錠したら、その内容を入力し直してください。',
  crashTitle: '画面の表示中に問題が発生しました',
  screenCrashTitle: 'この画面を表示できませんでした',
  screenCrashBody: '保存済みのデータは暗号化されたまま端末に残っています。下のメニューのほかの画面は使えます。拠点サーバーとの同期も続いています。直らないときは再読み込みしてください。',
  crashBody: '保存済みのデータは暗号化されたまま端末に残っています。再読み込みして、もう一度解錠してください。',
  reload: '再読み込み',

  // update
  updateRegion: 'アプリの更新',
  updateAvailable: '新しいバージョンがあります',
  /** an update reloads the app, and a reloaded app opens locked */
  updateRelocks: '更新すると読み込み直すため、もう一度解錠する必要があります。電話の対応中は、終わってから更新してください。',
  updateBlocked: '保存していない入力があります。保存してから更新してください。',
  updateNow: '更新する',
  /** puts the update prompt away until the next unlock */
  updateLater: 'あとで',
  updating: '更新しています…',
  /** another open tab of the app holds typed text: updating now would take that tab over too */
  updateBlockedElsewhere: '別のタブに保存していない入力があります。そのタブで保存してから更新してください。',
  /** the new version took over this tab (another tab applied it) while it held typed text */
  updateTaken: '新しいバージョンに切り替わりました',
  updateTakenBlocked: '保存していない入力があります。保存してから再読み込みしてください。',
  updateTakenReady: '再読み込みすると、新しいバージョンで続けられます。',
  /** no worker is active yet (the first download of the offline copy runs, or failed and is tried again) */
  notReadyOffline: 'まだオフラインでは使えません。通信のある所でこの画面を開いたままにしてください。',

  // iOS
} as const;

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds}秒`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m}分` : `${m}分${s}秒`;
}
