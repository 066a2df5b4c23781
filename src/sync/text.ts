/** The sync engine's words for what went wrong (shown in the status line and the sync section). */
import { formatJapanShortDateTime } from '../domain/japan-time';
import type { SyncProblemCode } from './client';

/** 「約3分」「約5時間」「約2日」: how far the device's clock is off, in the unit one sets a clock by. */
function howFar(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  if (minutes < 120) return `約${minutes}分`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `約${hours}時間` : `約${Math.round(hours / 24)}日`;
}

const aheadOrBehind = (offsetMs: number) => (offsetMs > 0 ? '進んでいます' : '遅れています');

export const S = {
  problem: {
    offline: 'オフラインです。接続が戻ると自動で同期します。',
    unreachable: 'サーバーに接続できません。変更はこの端末に保存されています。',
    server: 'サーバーエラーです。変更はこの端末に保存されています。しばらくして自動で再試行します。',
    'signed-out': '再度サインインが必要です。変更はこの端末に保存されています。',
    'bad-credentials': '拠点ID・ログインID・パスワード・確認コードのいずれかが違います。',
    throttled: 'サインインの失敗が続いたため、しばらく待ってからお試しください。',
    // A7: the session's user has not signed in on this device (or its secret no longer matches).
    forbidden: 'この端末で拠点へのサインインが必要です。「設定」の「拠点サーバーと同期」から、もう一度サインインしてください。変更はこの端末に保存されています。',
    'unknown-device': 'この端末の登録が見つかりません。もう一度サインインしてください。',
    exists: 'この端末は別の拠点に登録されています。管理者に連絡してください。',
    retired: 'この端末は拠点サーバーから外されました。',
    // [V2] Most often a hub newer than this app: the push it answered may well be stored there, so
    // "nothing happened" is not said; what is true is that nothing is lost here and all goes again.
    'bad-response':
      'サーバーの応答をこのアプリで読み取れませんでした。変更はこの端末に保存されていて、失われていません（次の同期で送り直します）。アプリを最新にしてください（「新しいバージョンがあります」と出ていれば「更新する」）。それでも続くときは管理者に連絡してください。',
    rejected: 'サーバーが要求を受け付けませんでした。変更はこの端末に保存されています。管理者に連絡してください。',
    'too-large': '大きすぎてサーバーが受け付けない変更があります。変更はこの端末に保存されています。管理者に連絡してください。',
    gap: '前の変更がまだ届いていません。次の同期で再送します。',
    /** followed by the vault's own words: what failed and what to do (VaultError's message) */
    storage: 'この端末への保存に失敗しました。',
    'conflict-gone': 'この記録（または該当する項目）がもうありません。内容を確認して、必要なら編集し直してください。',
    'session-switched':
      '同期の途中で、別のタブで別の人が拠点にサインインしたため、同期を中断しました。この端末の記録は何も消していません。次の同期で自動的にやり直します。',
    busy: '別のタブで同期中のため、まだ送信できていません。少し待ってから、もう一度お試しください。変更はこの端末に保存されています。',
    held: 'この端末でサインインしていない人（またはサインインが無効になった人）の変更が先にあるため、送信を待っています。その人がこの端末でもう一度サインインすると送信されます。変更はこの端末に保存されています。',
    'not-loaded':
      '同期の機能を読み込めなかったため、同期していません（別のタブでアプリが更新されたときなど）。アプリを再読み込みしてください。変更はこの端末に保存されています。',
  } satisfies Record<SyncProblemCode, string>,
  /**
   * The problems whose hub words say more than the app's (who is refused, until when, what was
   * refused): shown beside them. For the rest (a 500's 「もう一度お試しください」, an expired
   * session's) they would contradict or repeat the app's words.
   */
  hubWordsFor: new Set<SyncProblemCode>(['forbidden', 'throttled', 'bad-credentials', 'retired', 'rejected', 'too-large', 'exists', 'unknown-device']),
  /**
   * Under a problem, folded: what the admin needs to find it in the hub's log, read out over the
   * phone (the hub's log line for the request carries the 問い合わせ番号).
   */
  details: {
    summary: '詳細（管理者に伝えてください）',
    code: 'コード',
    requestId: '問い合わせ番号',
    detail: '内容',
  },
  /** the app bar's line for a hub that sheds load (503 with Retry-After): waiting, not failing */
  shortHubBusy: 'サーバー混雑・自動で再送します',
  /** the short form for the one-line status in the app bar */
  short: {
    offline: 'オフライン',
    unreachable: 'サーバーに接続できません',
    server: 'サーバーエラー',
    'signed-out': '再度サインインが必要です',
    'bad-credentials': 'サインインできません',
    throttled: 'サインインできません',
    forbidden: '同期できません',
    'unknown-device': '再度サインインが必要です',
    exists: '同期できません',
    retired: '端末が外されました',
    'bad-response': 'サーバーの応答を読めません',
    rejected: '同期できません',
    'too-large': '送信できない変更があります',
    gap: '再送待ち',
    storage: '保存エラー',
    'conflict-gone': '競合を解決できません',
    'session-switched': '同期を中断（別のタブ）',
    busy: '別のタブで同期中',
    held: 'サインイン待ち',
    'not-loaded': '同期停止中（要再読み込み）',
  } satisfies Record<SyncProblemCode, string>,
  /** settling a conflict with the other value: why the edit has not reached the hub, so nothing was settled */
  settle: {
    busy: '別のタブで同期中のため、この変更をまだ送信できていません（重なりはまだ解決していません）。少し待ってから、もう一度選んでください。変更はこの端末に保存されています。',
    refused:
      'サーバーがこの変更を受け付けなかったため、重なりはまだ解決していません。「サーバーが受け付けなかった変更」で理由を確認してください。',
    /** a settle that would leave a period's 開始日 after its 終了日 (its other date is still a conflict) */
    periodInverted:
      'この値にすると開始日が終了日より後になるため、変更しませんでした（重なりはまだ解決していません）。もう一方の日付の重なりを先に同じ方法で解決してから、もう一度選んでください。',
    /** the other value is one this app cannot read (a newer app wrote it) */
    unreadable:
      'もう一方の値は、このアプリでは読めない内容のため、変更しませんでした（重なりはまだ解決していません）。アプリを最新にしてから、もう一度選んでください。',
    heldFor: (name: string) =>
      `${name ? `${name}さん` : 'この端末でサインインしていない人'}の変更が先に送信を待っているため、この変更もまだ送信されていません（重なりはまだ解決していません）。${name ? `${name}さん` : 'その人'}がこの端末で拠点にサインインしてから、もう一度選んでください。変更はこの端末に保存されています。`,
  },
  /** [A6] enrolment refused while this device holds no link to the hub: its secret is gone from here */
  enrolForbidden:
    'この端末は拠点サーバーに登録済みですが、登録の情報（端末の鍵）がこの端末に残っていないため、参加できません。拠点の管理者に「この端末を移す操作（npm run admin -- move-device）」を依頼してから、もう一度サインインしてください。',
  /** a join refused because it would put a facility's liaison and other roles on one phone (engine.ts mixedRoles) */
  join: {
    /** a liaison signing in on a phone its coordinators or case workers use */
    liaisonRefused:
      'この端末は、世帯や緊急対応の記録（要配慮個人情報）を扱う職員が使っているため、連携担当者は参加できません。この端末に入っている記録は、端末を開ける人なら誰でも読めてしまいます。連携担当者には、専用の端末（職員と共用しない端末）で参加してください。',
    /** a coordinator, case worker or admin signing in on a phone a facility's liaison uses */
    liaisonHere:
      'この端末は事業所の連携担当者が使っているため、参加できません。参加すると、世帯や緊急対応の記録（要配慮個人情報）がこの端末に入り、連携担当者にも読めてしまいます。連携担当者とは別の端末で参加してください。',
  },
  /** the device's clock is off the hub's past CLOCK_WARNING_MS (clock-offset.ts); `offsetMs`: device minus hub */
  clock: {
    warning: (offsetMs: number) =>
      `この端末の時計がサーバーより${howFar(offsetMs)}${aheadOrBehind(offsetMs)}。記録の時刻が正しく残るよう、端末の日付と時刻を「自動設定」にしてください。`,
    /** when the hub's clock was read, in Japan time */
    measured: (at: string) => `拠点サーバーの時刻 ${formatJapanShortDateTime(at)}（日本時間）に確認しました。`,
    /** the app bar's one line (narrow: it leads the line) */
    short: (offsetMs: number) => `時計が${howFar(offsetMs)}${aheadOrBehind(offsetMs)}`,
  },
} as const;
