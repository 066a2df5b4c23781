/** Every user-facing string of 「拠点サーバーと同期」 and the sync status line (STYLE.md habit 9). */
import { formatJapanShortDateTime } from '../../domain/japan-time';
import { DEVICE_NAME_MAX, FUNCTION_BONUS_KIND_LABELS, REFUSAL_LABELS } from '../../protocol/constants';
import type { RefusalReason } from '../../protocol/sync';
import type { EntityKind, OutboxEntry, OutboxRefusal, SetAsideCounts } from '../../vault/types';

const DEVICE_NAME_END = 'の端末';

/** `text` cut to at most `units` UTF-16 units, by whole characters (a 𠮷 is never split in two). */
function cutToUnits(text: string, units: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > units) break;
    out += char;
  }
  return out;
}

/** 「11/23 02:14」 in Japan time, whatever the device's zone. */
export const syncTimeText = (instant: string): string => formatJapanShortDateTime(instant);

export const ST = {
  title: '拠点サーバーと同期',
  aloneIntro:
    'このアプリは、拠点サーバーに参加しなくても、この端末だけで使えます。参加すると、この端末で作った世帯・事業所・対応記録・閲覧記録がサーバーに送られ、同じ拠点の端末と共有されます。',
  aloneSignedOut: 'サインアウトしています。変更はこの端末に保存されており、次にサインインしたときに送信されます。',
  /** signed out by the hub, not by the person: a session ended, a password changed, a sign-in stopped by the admin */
  hubSignedOut: '拠点へのサインインが切れました（時間切れ、パスワードの変更、管理者による停止など）。変更はこの端末に保存されており、もう一度サインインすると送信されます。',
  hub: '拠点ID',
  hubHint: '管理者から伝えられた拠点のIDです。',
  loginName: 'ログインID',
  password: 'パスワード',
  totp: '確認コード（6桁）',
  totpHint: '認証アプリに表示されている6桁の数字です。',
  required: (label: string) => `${label}を入力してください。`,
  totpInvalid: '確認コードは6桁の数字で入力してください。',
  join: 'サインインして参加',
  joinOffline: '拠点サーバーに接続できませんでした。電波のある所で、新しい確認コードを入れてもう一度押してください（サインインは自動ではやり直しません）。',
  /** a sign-in the hub turned away as busy (503): nothing tries it again by itself */
  joinBusy: '拠点サーバーが混み合っていて、サインインできませんでした。少し待ってから、新しい確認コードを入れてもう一度押してください（サインインは自動ではやり直しません）。',
  signInAgain: 'サインイン',
  signInHere: 'この端末で拠点にサインイン',
  needsSignIn: (name: string, hub: string) =>
    `この端末は拠点 ${hub} と同期しています。${name}さんはまだこの端末で拠点にサインインしていません。一度サインインすると、次からはこの端末を開くだけで${name}さんとして同期します（ほかの人の名前では送信しません）。`,
  heldFor: (name: string) =>
    `${name ? `${name}さん` : 'この端末でサインインしていない人'}の変更があるため、それ以降の変更は送信を待っています。${name ? `${name}さん` : 'その人'}がこの端末を開いて拠点にサインインすると送信されます。`,
  /** [A10] taken off this phone by a sync: the hub stopped them */
  stoppedRemoved: (names: readonly string[]) =>
    `${names.map((n) => `${n}さん`).join('、')}は拠点で利用停止になったため、この端末から削除しました（この端末を解錠できません）。送信前の対応記録と閲覧記録は、その人の名前で拠点へ送ります（世帯などの変更は拠点が受け付けません）。`,
  joining: 'サインインしています…',
  /** 「山田 花子の端末」; a long display name is cut, so that the hub takes it (a refusal stopped the join) */
  deviceName: (name: string) => `${cutToUnits(name, DEVICE_NAME_MAX - DEVICE_NAME_END.length)}${DEVICE_NAME_END}`,
  progress: (sent: number, received: number) => `同期中… 送信 ${sent}件・受信 ${received}件`,
  joined: '参加しました。',

  signedInAs: (name: string, role: string) => `${name}（${role}）として同期中`,
  hubLine: (hub: string) => `拠点ID：${hub}`,
  lastSync: (at: string | null) => (at === null ? '最終同期：まだ同期していません' : `最終同期：${syncTimeText(at)}`),
  pending: (n: number) => (n === 0 ? '未送信の変更はありません。' : `未送信の変更が${n}件あります。`),
  conflicts: (n: number) => `別の人の変更と重なった項目が${n}件あります。下の一覧で、どちらを残すか選んでください。`,
  evidenceMismatch: (n: number) =>
    `サーバーにある対応記録${n}件が、この端末の記録と内容が違います。この端末の記録はそのまま残しています。管理者に連絡してください（次の記録です）。`,
  evidenceMismatchItem: (name: string, kind: string, at: string, caseId: string) => `${name || '（氏名なし）'}・${kind}（${at} 記録）・記録ID ${caseId}`,
  evidenceMismatchUnknown: (entryId: string) => `この端末にない事例の記録（エントリID ${entryId}）`,
  setAside: (n: number) =>
    `サーバーから受信した記録のうち${n}件は、このアプリで読み込めないため保留しました（この端末には入れていません）。ほかの記録は通常どおり同期しています。管理者に連絡してください。`,
  setAsideReasons: {
    id: (n: number) => `IDの形式が正しくない記録 ${n}件`,
    json: (n: number) => `内容が壊れている記録 ${n}件`,
    shape: (n: number) => `必要な項目が欠けている・形式が違う記録 ${n}件`,
  } satisfies Record<keyof SetAsideCounts['byReason'], (n: number) => string>,
  setAsideItem: (kind: string, version: number, reason: string, field: string) =>
    `${kind}（サーバーの版 ${version}）：${reason}${field === '' ? '' : `（項目 ${field}）`}`,
  setAsideReasonWords: { id: 'IDの形式が正しくない', json: '内容が壊れている', shape: '必要な項目が欠けている・形式が違う' },
  setAsideDetails: '保留した記録（管理者に伝えてください）',
  setAsideRetry: 'アプリを更新すると、次の解錠のときに読み込み直します。管理者がサーバーの記録を直したときは、「最初から受信し直す」で読み込み直せます。',
  syncNow: '今すぐ同期',
  syncing: '同期しています…',
  signOut: 'サインアウト',
  signOutFailed: (why: string) => `サインアウトできませんでした（サインインしたままです）。${why}`,
  signOutTitle: 'サインアウトしますか？',
  signOutBody: (n: number) =>
    n === 0
      ? 'サインアウトすると、再びサインインするまで同期しません。この端末のデータはそのまま残ります。'
      : `未送信の変更${n}件はこの端末に残り、次にサインインしたときに送信されます。サインアウトすると、それまで同期しません。`,
  pullAgain: '最初から受信し直す',
  pullAgainTitle: 'サーバーの記録を最初から受信し直しますか？',
  pullAgainBody:
    'いつもの同期をしてから、サーバーが保持している記録をすべて受信し直します。受信保留になった記録を管理者がサーバーで直したあとなどに使います。未送信の変更は消えず、いつもどおり送信されます。件数が多いと数十秒かかります。',
  iosNote: 'iPhone・iPadでは、アプリを開いている間だけ同期します。こまめにアプリを開いてください。',

  refusedTitle: 'サーバーが受け付けなかった変更',
  refusedIntro: 'これらの変更は送信されていませんが、この端末の記録は残っています。',
  refusedWhen: (at: string) => `変更 ${syncTimeText(at)}`,
  refusedBy: (name: string) => `${name}さん`,
  /** a refused change as the list names it: 「世帯（変更 11/23 02:14・山田 花子さん）」 */
  refusedChange: (kind: string, when: string, by: string) => `${kind}（${when}・${by}）`,
  unknownAuthor: 'この端末に登録のない職員',
  dismissOthers: (who: string) => `あなたではなく、${who}の変更です。できれば本人に確かめてもらってください。外したことは閲覧記録に残ります。`,
  dismissedLog: (kind: string, id: string, at: string, reason: string) => `${kind} ${id}（変更 ${syncTimeText(at)}、理由 ${reason}）`,
  refusedAdvice: {
    gap: '自動で再送します。何もする必要はありません。',
    'seq-conflict': '管理者に連絡してください。',
    'mutation-conflict': '管理者に連絡してください。',
    'evidence-conflict': '管理者に連絡してください。この端末の対応記録は変更されていません。',
    'hash-mismatch': '管理者に連絡してください。記録が改変された可能性があります。',
    'append-only': '管理者に連絡してください。',
    invalid: '内容を見直して、もう一度保存し直してください。解決しないときは管理者に連絡してください。',
    scope: '担当の事業所・コーディネーターに依頼してください。この端末の記録は残ります。',
    chain:
      'この対応記録の前の記録が拠点に受け付けられると、自動で送り直します。前の記録も受け付けられないときは、その理由を確かめて管理者に連絡してください。この端末の記録は残ります。',
    writer: '管理者に連絡してください。この端末の記録は残ります。',
    clock:
      '端末の時計が進んでいたときは、拠点サーバーの時刻が記録の時刻に追いつくと（ふつうは数分で）1回だけ自動で送り直します。端末の日付と時刻を「自動設定」にしてください。この端末の記録は残ります。',
    author: '書いた人がこの端末を開いて「この端末で拠点にサインイン」を行うと送信されます。',
  } satisfies Record<RefusalReason, string>,
  /** [R4] an edit of a record the hub's admin withdrew: refused 'invalid', and again whenever it is saved again */
  /** a clock refusal of an entry already sent again once (clockRetried): final */
  refusedClockFinal: '送り直しても、記録の時刻が拠点サーバーの時刻と合わず受け付けられませんでした。管理者に連絡してください。この端末の記録は残ります。',
  /** a refused bed report (or another record's change) is never sent again by itself: only case entries are */
  refusedClockRecord: '端末の時計が進んでいたため、拠点サーバーが受け付けませんでした（自動では送り直しません）。端末の日付と時刻を「自動設定」にしてから、もう一度報告・保存してください。',
  refusedWithdrawn: '拠点の管理者がこの記録をサーバーから取り下げたため、受け付けられませんでした',
  refusedWithdrawnAdvice:
    '保存し直しても受け付けられません。この記録をどうするか、拠点の管理者に確認してください。この端末の記録は残っています。',
  /** the hub's own detail, for the admin: it is in English */
  refusedDetail: '管理者向けの詳細（英語）',
  dismiss: '一覧から外す',
  /** a refused case entry: evidence, never set aside (it stays queued, and goes to the hub's safekeeping if the phone is retired) */
  evidenceStays:
    '対応記録は証跡のため、一覧から外せません。この端末に残り、端末を停止するときは拠点サーバーに預けられます。管理者に連絡してください。',
  dismissTitle: 'この変更を一覧から外しますか？',
  dismissWhich: (change: string) => `外す変更：${change}`,
  dismissBody:
    'この変更はサーバーに送られません。この変更のあとにサーバーで更新された内容を受信していれば、この端末の記録はその内容に置き換わります（サーバーで削除された記録は、この端末からも消えます）。そうでなければ、この端末の記録はそのまま残ります。',
  kind: {
    household: '世帯',
    facility: '短期入所事業所',
    office: '相談支援事業所',
    'case-entry': '対応記録',
    'month-close': '請求済みの記録',
    'trial-stay': '体験利用',
    access: '閲覧記録',
    ...FUNCTION_BONUS_KIND_LABELS,
  } satisfies Record<OutboxEntry['kind'], string>,

  // the status line in the app bar
  lineAlone: 'この端末のみ',
  linePending: (n: number) => `未送信 ${n}件`,
  lineSynced: (at: string) => `最終同期 ${syncTimeText(at)}`,
  lineNever: '未同期',
  lineNeedsSignIn: 'この端末でサインインが必要',
  dismissFailed: (why: string) => `一覧から外せませんでした。もう一度お試しください（${why}）`,
  engineLoading: '同期の準備中です',
  lineHeld: (name: string) => (name ? `${name}さんのサインイン待ち` : 'サインインしていない人の変更が送信待ち'),
  lineRunning: '同期中…',
  lineRefused: (n: number) => `送信不可 ${n}件`,
  lineSetAside: (n: number) => `受信保留 ${n}件`,
  lineEvidenceMismatch: (n: number) => `記録の食い違い ${n}件`,
  lineUnknownKinds: 'アプリの更新が必要',
  unknownKinds:
    'サーバーに、このアプリの版では読めない種類の記録があり、この端末には受信していません（ほかの記録は通常どおり同期しています）。アプリを最新にしてください（「新しいバージョンがあります」と出ていれば「更新する」）。更新のあとの同期で、最初から受信し直します。',
  lineConflicts: (n: number) => `重なり ${n}件`,
  /** 重なった変更 (sync-conflicts.tsx): asked before the other value is dropped for good, then said */
  settleKeepTitle: 'いまの値のままにしますか？',
  settleRestoreTitle: 'もう一方の値に戻しますか？',
  settleChosen: (record: string, field: string) => `${record}の「${field}」を、次の値にします。`,
  settleDropped: '選ばなかった次の値は消え、あとから選び直せません。',
  settled: (field: string, value: string) => `「${field}」を「${value}」にしました。`,
  lineLabel: '同期の状態（タップで同期の設定を開く）',

  retiredTitle: 'この端末は拠点サーバーから外されました',
  retiredBody:
    'この端末の職員または端末が、拠点の管理者によって無効にされました。未送信の対応記録と閲覧記録をサーバーに送ったうえで、この端末のデータはすべて削除しました。',
  retiredReason: (message: string) => `サーバーからの理由：${message}`,
  retiredNext: '引き続き使う場合は、管理者に連絡してください。',
  /** the hub's signing key (hub-key-line.tsx) */
  hubKeyLine: (fingerprint: string) => `拠点の署名鍵: ${fingerprint}`,
  hubKeyNone: '拠点の署名鍵: まだ受け取っていません（次の同期で受け取ります）',
  hubKeyUnusable: '拠点の署名鍵: このブラウザーでは使えません（下の注意を見てください）',
  noEd25519:
    'このブラウザーは古いため、拠点サーバーの署名を確かめられません。記録の送受信はできますが、この端末では記録がいつまでも「未署名（拠点の受付待ち）」と表示され、この端末で書き出した明細CSVでは署名を確かめられません（請求の書き出しは、新しいブラウザーの端末で行ってください）。iPhone・iPad は iOS／iPadOS 17 以降に、Android とパソコンは Chrome・Edge・Firefox を最新版に更新してください。',
  receiptsRejected: (n: number) =>
    `拠点から届いた署名のうち${n}件を、参加時に受け取った拠点の鍵で確かめられませんでした。該当する記録は「未署名」のまま端末に残っています。拠点の管理者に連絡してください。`,
} as const;

/**
 * The hub refuses an edit of a record its admin withdrew [R4] as 'invalid', saying so in its detail
 * (src/server/db/push.ts): "<kind> <id> was withdrawn by the hub's admin".
 */
const WITHDRAWN_BY_ADMIN = / was withdrawn by the hub's admin$/;

/**
 * A refused change's reason and what to do about it, in words. `kind`: what was refused; a `clock`
 * refusal is sent again by itself only for a case entry (vault/chain-retry.ts): a liaison's bed
 * report from a fast phone waited, as the words promised, and never reached tonight's coordinator.
 */
export function refusalWords(refusal: OutboxRefusal, kind: EntityKind | 'access' = 'case-entry'): { readonly label: string; readonly advice: string } {
  if (refusal.reason === 'invalid' && WITHDRAWN_BY_ADMIN.test(refusal.detail)) return { label: ST.refusedWithdrawn, advice: ST.refusedWithdrawnAdvice };
  if (refusal.reason === 'clock' && kind !== 'case-entry') return { label: REFUSAL_LABELS.clock, advice: ST.refusedClockRecord };
  if (refusal.reason === 'clock' && refusal.final === true) return { label: REFUSAL_LABELS.clock, advice: ST.refusedClockFinal };
  return { label: REFUSAL_LABELS[refusal.reason], advice: ST.refusedAdvice[refusal.reason] };
}
