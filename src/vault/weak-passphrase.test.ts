/** What a thief tries first on a lost phone is refused as a passphrase; ordinary sentences are not. */
import { describe, expect, it } from 'vitest';
import { createVault } from './vault';
import { isGuessablePassphrase } from '../domain/passphrase-rule';

describe('passphrases too easy to guess', () => {
  it('refuses repeats, runs, keyboard rows and common passwords, however they are typed', () => {
    for (const p of ['aaaaaaaa', '12121212', 'abcabcab', '12345678', '87654321', 'abcdefgh', '１２３４５６７８', 'qwertyui', 'asdfghjk', 'Password', 'password1', 'ｐａｓｓｗｏｒｄ', '0987654321', 'あああああああああ', 'あいうえおかきく']) {
      expect(isGuessablePassphrase(p), p).toBe(true);
    }
  });

  it('refuses a birthday, a phone number or a PIN: digits alone, or with a date\'s or a number\'s separators, under 12', () => {
    // a century of dates is 36,500 guesses, hours of one PC against a backup file's clear header
    for (const p of ['19850412', '1985/04/12', '1985-04-12', '２０２４．０４．０１', '090-1234-5678', '09012345678', '13572468', '11223344', '12:30 08:45']) {
      expect(isGuessablePassphrase(p), p).toBe(true);
    }
    for (const p of ['135792468024', '1985-04-12-0930-77']) expect(isGuessablePassphrase(p), p).toBe(false);
  });

  it('takes sentences and mixed passphrases, Japanese included', () => {
    for (const p of ['yoru-no-denwa-2026', '夜勤の日はカレー', 'あおぞら拠点-当番用', 'correct horse battery staple', 'nikkin-no-hanako', 'かきくけこ-2026', 'matsudo-1985.04']) {
      expect(isGuessablePassphrase(p), p).toBe(false);
    }
  });

  it('is refused by the vault too, not only by the forms', async () => {
    await expect(createVault(`rule-${crypto.randomUUID()}`).setUp('夜間 太郎', '11111111')).rejects.toMatchObject({ code: 'weak-passphrase' });
  });

  it('refuses enrolling someone with the enrolling person’s own passphrase', async () => {
    const session = await createVault(`rule-${crypto.randomUUID()}`).setUp('夜間 太郎', 'yoru-no-denwa-2026');
    await expect(session.addUser('yoru-no-denwa-2026', '日勤 花子', 'yoru-no-denwa-2026')).rejects.toMatchObject({ code: 'same-passphrase' });
  }, 20_000);
});
