/**
 * The vault's one error type. A user can meet every code, so each carries a Japanese message
 * they can act on; the developer detail (which table, which record, the original error) rides
 * along in `detail` and `cause`, never in the message shown on screen.
 */
import type { VaultErrorCode } from './types';

const MESSAGES: Readonly<Record<VaultErrorCode, string>> = {
  'wrong-passphrase': 'パスフレーズが違います。',
  throttled: '続けて間違えたため、しばらく入力できません。表示された時刻を過ぎてから、もう一度お試しください。',
  locked: 'ロックされました。パスフレーズを入力して、もう一度開いてください。',
  'quota-exceeded': '端末の保存容量が足りません。写真やほかのアプリなど、端末の不要なデータを削除してから、もう一度お試しください。',
  'connection-lost': '端末内の保存データとの接続が途切れました（アプリが裏に回っている間に、端末が閉じることがあります）。',
  retiring:
    'この端末は拠点で使用停止になりました。記録を拠点へ送ってからデータを消去するため、新しい記録は保存できません。別の端末で記録してください。',
  'storage-unavailable':
    'このブラウザーが、端末へのデータの保存を許可していません（プライベートブラウズのウィンドウか、サイトのデータの保存がブロックされています）。通常のウィンドウで開くか、ブラウザーの設定でこのサイトのデータの保存を許可してから、再読み込みしてください。',
  'not-set-up': 'この端末はまだ設定されていません。最初の職員を登録してください。',
  'already-set-up': 'この端末はすでに設定されています。登録済みの職員で解錠してください。',
  'weak-passphrase': 'パスフレーズは8文字以上で、推測されにくいものにしてください（同じ文字の繰り返し・連続した数字や文字・よく使われるパスワード・12桁未満の数字だけのものは使えません）。',
  'same-passphrase': 'あなたのパスフレーズと同じです。新しい職員には別の仮のパスフレーズを決めてください（その人は最初の解錠で、自分だけが知るパスフレーズに変えます）。',
  'backup-same-passphrase': 'あなたの解錠用のパスフレーズと同じです。バックアップには別のパスフレーズを決めてください（ファイルを復元する人が、あなたの解錠用のパスフレーズを知ることになります）。',
  'unchanged-passphrase': '今のパスフレーズと同じです。ほかの人が知らない、新しいパスフレーズを決めてください。',
  'unknown-user': 'この職員はこの端末に登録されていません。',
  'remove-self': '自分自身はこの端末から削除できません。ほかの職員に解錠してもらい、その人が削除してください。',
  'last-user': 'この端末の最後の職員は削除できません。解錠できる人がいなくなります。',
  'remove-unsent':
    'この人の未送信の変更が残っていて、この人はこの端末で拠点にサインインしていません（またはサインインが無効になっています）。削除すると、この変更もその後のみんなの変更も送れなくなります。先にこの人が解錠して「設定」の「拠点サーバーと同期」でサインインし、送信が終わってから削除してください。',
  corrupt: '保存データを読み取れませんでした。データが壊れている可能性があります。管理者に連絡してください。',
  duplicate: 'この記録はすでに保存されています。記録は上書きできません。訂正は新しい記録として追加してください。',
  'created-elsewhere': '同じ登録が、別のタブや画面ですでに保存されています。一覧から開き直して、保存された内容を確かめてください。',
  'backup-passphrase': 'バックアップのパスフレーズが違います。バックアップを作成したときに決めたパスフレーズを入力してください。',
  'backup-damaged': 'バックアップファイルが壊れているため、復元できません。別のコピーがあれば、そちらをお試しください。',
  'backup-invalid': 'このファイルは拠点ナビのバックアップではありません。ファイルを確認してください。',
  'backup-record': 'バックアップの中に、このアプリで読み込めない記録があるため、何も復元していません。元の端末でその記録を確認するか、管理者に連絡してください。',
  'backup-export-record': 'この端末に、このアプリで読み込めない形の記録があるため、バックアップを作成していません（作成しても復元できません）。管理者に連絡して、その記録を確かめてください。',
  'backup-version': 'このバックアップは新しい版のアプリで作成されたため、読み込めません。アプリを更新してから、もう一度お試しください。',
  'restore-not-empty': 'この端末にはすでに記録があります。復元は新しい端末で行ってください。',
  outdated:
    '別のタブで新しい版のアプリが開かれ、保存データの形が新しくなりました。このタブの古い版では、もう読み書きしません。入力中の内容があれば書き写してから、このタブを再読み込みしてください。',
  wiped: 'この端末のデータは、拠点の管理者による停止で消去されました。引き続き使う場合は、管理者に連絡してください。',
  erased:
    'この端末のデータが消去されました（ブラウザーのサイトデータの削除など）。これ以上は保存できません。再読み込みして職員を登録し直し、「設定」の「拠点サーバーと同期」で拠点にもう一度参加すると、拠点へ送信済みの記録が戻ります。まだ送信していなかった変更は戻らないため、拠点の管理者に伝えてください。',
  'open-failed':
    '端末内の保存データを開けませんでした。端末の空き容量が足りないと、こうなることがあります。写真やほかのアプリなど、端末の不要なデータを削除して空きを作ってから、「再試行」を押してください。',
  unexpected: '予期しないエラーが発生しました。アプリを再起動しても直らない場合は、管理者に連絡してください。',
};

/**
 * The longest display name a person may have on a phone (key-slots.ts refuses longer): here, beside
 * the vault's words the forms already read, so that they say so before the vault refuses.
 */
export const MAX_DISPLAY_NAME = 100;

export function vaultErrorMessage(code: VaultErrorCode): string {
  return MESSAGES[code];
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: VaultErrorCode;
  /**
   * ISO instant before which no unlock attempt is accepted: always with 'throttled', and with
   * 'wrong-passphrase' when that failure starts a wait.
   */
  readonly retryAt?: string;
  /** What a developer needs to find the cause; never shown to the user. */
  readonly detail?: string;

  /**
   * `subject`: which record, in words the user can pass on (kind, opaque id, field; never a value),
   * added to the message in brackets.
   */
  constructor(code: VaultErrorCode, options: { retryAt?: string; detail?: string; cause?: unknown; subject?: string } = {}) {
    super(
      options.subject === undefined ? vaultErrorMessage(code) : `${vaultErrorMessage(code)}（${options.subject}）`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    if (options.retryAt !== undefined) this.retryAt = options.retryAt;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

export function isVaultError(e: unknown, code?: VaultErrorCode): e is VaultError {
  return e instanceof VaultError && (code === undefined || e.code === code);
}

// Firefox has reported a full disk under its own name in older releases.
const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);
// DatabaseClosedError: Dexie's own, after close() or a failed open.
// InvalidStateError: the connection closed under a transaction (iOS when backgrounded).
// UnknownError: Safari's "Connection to Indexed Database server lost. Refresh the page to try again".
const CONNECTION_NAMES = new Set(['DatabaseClosedError', 'InvalidStateError', 'UnknownError']);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly inner?: unknown;
  readonly cause?: unknown;
  readonly failures?: unknown;
}

/**
 * An error and every error it wraps: Dexie puts the browser's error in `inner` (a transaction
 * aborted by a full disk is an AbortError whose inner is a QuotaExceededError), a BulkError lists
 * its `failures`, and our own code may use `cause`.
 */
function errorChain(e: unknown, seen = new Set<unknown>()): ErrorLike[] {
  if (typeof e !== 'object' || e === null || seen.has(e)) return [];
  seen.add(e);
  const err = e as ErrorLike;
  const chain = [err, ...errorChain(err.inner, seen), ...errorChain(err.cause, seen)];
  const failures = Array.isArray(err.failures)
    ? err.failures
    : err.failures && typeof err.failures === 'object'
      ? Object.values(err.failures)
      : [];
  for (const f of failures) chain.push(...errorChain(f, seen));
  return chain;
}

function errorNames(e: unknown): string[] {
  return errorChain(e).flatMap((err) => (typeof err.name === 'string' ? [err.name] : []));
}

/**
 * An UnknownError that is no lost connection: Chrome's "Internal error opening backing store for
 * indexedDB.open." when the disk is full (or the profile damaged). Safari words its lost connection
 * ("Connection to Indexed Database server lost"), which a 再試行 mends.
 */
function isUnknownOpenFailure(e: unknown): boolean {
  const unknown = errorChain(e).filter((err) => err.name === 'UnknownError');
  return unknown.length > 0 && !unknown.some((err) => typeof err.message === 'string' && /connection .*lost/i.test(err.message));
}

function isVaultErrorCode(code: unknown): code is VaultErrorCode {
  return typeof code === 'string' && Object.hasOwn(MESSAGES, code);
}

// MissingAPIError: Dexie finds no IndexedDB at all; SecurityError: the browser refuses it (site
// data blocked); InvalidStateError at the first open: Firefox's private windows ("A mutation
// operation was attempted on a database that did not allow mutations"). Safari's UnknownError
// (its connection lost) stays one: a 再試行 opens it again. Any other UnknownError there is
// 'open-failed' (isUnknownOpenFailure).
const REFUSED_NAMES = new Set(['MissingAPIError', 'SecurityError', 'InvalidStateError']);

/**
 * An error met opening the database for the first time in this page, as a VaultError: storage the
 * browser refuses is said so, with what to change, not as a lost connection that 再試行 mends; a
 * database that will not open at all (a full disk, most often) says to free space before 再試行.
 */
export function toOpenError(e: unknown): VaultError {
  const error = toVaultError(e);
  if (error.code === 'quota-exceeded') return error;
  if (errorNames(e).some((n) => REFUSED_NAMES.has(n))) {
    return new VaultError('storage-unavailable', { detail: error.detail ?? error.code, cause: e });
  }
  if (error.code === 'connection-lost' && isUnknownOpenFailure(e)) {
    return new VaultError('open-failed', { detail: error.detail ?? error.code, cause: e });
  }
  return error;
}

/**
 * Maps anything thrown by IndexedDB, Dexie or WebCrypto to a VaultError; VaultErrors pass through.
 * An error-like object carrying a known `code` (a VaultError from another bundle or a worker, where
 * `instanceof` fails) keeps that code.
 */
export function toVaultError(e: unknown): VaultError {
  if (e instanceof VaultError) return e;
  if (typeof e === 'object' && e !== null && isVaultErrorCode((e as { code?: unknown }).code)) {
    const { code, retryAt } = e as { code: VaultErrorCode; retryAt?: unknown };
    return new VaultError(code, { cause: e, ...(typeof retryAt === 'string' ? { retryAt } : {}) });
  }
  const names = errorNames(e);
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (names.some((n) => QUOTA_NAMES.has(n))) return new VaultError('quota-exceeded', { detail, cause: e });
  if (names.some((n) => CONNECTION_NAMES.has(n))) return new VaultError('connection-lost', { detail, cause: e });
  return new VaultError('unexpected', { detail, cause: e });
}
