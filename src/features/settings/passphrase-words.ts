/**
 * What a re-entered passphrase's refusal says in 設定 (adding a person, changing a passphrase,
 * making a backup): with the time the wait ends, in Japan time, when there is one. The vault's own
 * words for 'throttled' point to a time 「表示された」, which the lock screen shows and these forms did not.
 */
import { formatJapanDateTimeOrText } from '../../domain/japan-time';
import { vaultErrorMessage, type VaultError } from '../../vault/errors';

export function currentPassphraseRejection(e: VaultError): string {
  if (e.retryAt === undefined) return vaultErrorMessage(e.code);
  const until = formatJapanDateTimeOrText(e.retryAt).slice(-5);
  return e.code === 'throttled'
    ? `続けて間違えたため、${until}まで入力できません。${until}を過ぎてから、もう一度お試しください。`
    : `${vaultErrorMessage(e.code)}続けて間違えたため、${until}まで次の入力はできません。`;
}
