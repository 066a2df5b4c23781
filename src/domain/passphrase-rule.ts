/**
 * What makes a passphrase too easy to guess on a lost phone, beyond its length: a thief tries these
 * first, and the unlock throttle only slows each guess. Pure, shared by the forms (to say so before
 * trying) and the vault (which refuses them as 'weak-passphrase'). Deliberately short: a rule that
 * refused ordinary Japanese sentences would push people to write the passphrase down.
 */

/** Passwords people choose first, 8 characters or more, as compared (lower case, no spaces). */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'iloveyou',
  'qwertyuiop',
  'qwerty123',
  'asdfghjkl',
  'zxcvbnm1',
  '1qaz2wsx',
  'abc12345',
  'abcd1234',
  '12345678a',
  'a12345678',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'letmein1',
  'admin123',
  'administrator',
]);

/** Keyboard rows, and the kana in 五十音 order (a phone's kana keyboard). */
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん'];

/** Each character one step from the last, all the same way (12345678, abcdefgh, 87654321, あいうえお is not). */
function isRun(chars: readonly string[]): boolean {
  const step = chars[1]!.codePointAt(0)! - chars[0]!.codePointAt(0)!;
  if (step !== 1 && step !== -1) return false;
  return chars.every((c, i) => i === 0 || c.codePointAt(0)! - chars[i - 1]!.codePointAt(0)! === step);
}

/** The same one to three characters over and over (aaaaaaaa, 12121212, abcabcab). */
function isRepeat(chars: readonly string[]): boolean {
  for (let unit = 1; unit <= 3; unit += 1) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/**
 * Digits alone, or digits with the separators of a date or a phone number (19850412, 1985/04/12,
 * 090-1234-5678), fewer than 12: a birthday, a phone number or a PIN. Every date of a century is
 * 36,500 guesses, a few hours of one PC against a backup file, whose header holds all a guesser needs.
 */
const DIGITS_AND_SEPARATORS = /^[\d\-/.:]+$/;
const MIN_DIGITS_ALONE = 12;

/**
 * True for a passphrase a thief would try early: one character repeated, a run, a keyboard row, a
 * common password, or a date, phone number or PIN.
 */
export function isGuessablePassphrase(passphrase: string): boolean {
  const chars = [...passphrase.normalize('NFKC').toLowerCase().replace(/\s+/g, '')];
  if (chars.length < 2) return true;
  const text = chars.join('');
  if (DIGITS_AND_SEPARATORS.test(text) && text.replace(/\D/g, '').length < MIN_DIGITS_ALONE) return true;
  if (COMMON.has(text) || isRepeat(chars) || isRun(chars)) return true;
  return KEYBOARD_ROWS.some((row) => row.includes(text) || [...row].reverse().join('').includes(text));
}
