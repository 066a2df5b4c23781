import { describe, expect, it } from 'vitest';
import { VaultError } from '../../vault/errors';
import { currentPassphraseRejection } from './passphrase-words';

describe("設定's words for a re-entered passphrase refused", () => {
  it('say until when the wait runs, in Japan time, whatever the device zone', () => {
    const retryAt = '2026-12-05T17:25:00.000Z'; // 02:25 in Japan
    expect(currentPassphraseRejection(new VaultError('throttled', { retryAt }))).toBe('続けて間違えたため、02:25まで入力できません。02:25を過ぎてから、もう一度お試しください。');
    expect(currentPassphraseRejection(new VaultError('wrong-passphrase', { retryAt }))).toBe('パスフレーズが違います。続けて間違えたため、02:25まで次の入力はできません。');
    expect(currentPassphraseRejection(new VaultError('wrong-passphrase'))).toBe('パスフレーズが違います。');
  });
});
