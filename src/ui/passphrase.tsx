/**
 * Passphrase inputs shared by first-run setup and 「職員を追加」/「パスフレーズを変更」: the same rule
 * (at least 8 characters, typed twice) and the same plain warning everywhere a passphrase is chosen.
 */
import { useId, useState, type InputHTMLAttributes, type Ref } from 'react';
import { isGuessablePassphrase } from '../domain/passphrase-rule';
import { FieldMessages } from './field';

/** The vault rejects shorter passphrases with 'weak-passphrase'; the form says so before it tries. */
export const MIN_PASSPHRASE_LENGTH = 8;

export const PASSPHRASE_TEXT = {
  warning:
    'パスフレーズを忘れると、この端末のデータは誰にも読めなくなります。（拠点サーバーに参加した端末は、再登録してデータを取り戻せます。）',
  acknowledge: '上記を理解しました',
  tooShort: `パスフレーズは${MIN_PASSPHRASE_LENGTH}文字以上にしてください。`,
  guessable: '推測されやすいパスフレーズです。同じ文字の繰り返し、連続した数字や文字、よく使われるパスワード、数字だけのもの（誕生日・電話番号など、12桁未満）は使えません。短い文がおすすめです。',
  mismatch: '確認用のパスフレーズが一致しません。',
  empty: 'パスフレーズを入力してください。',
  hint: `${MIN_PASSPHRASE_LENGTH}文字以上。覚えやすい短い文（例：「夜勤の日はカレー」）がおすすめです。`,
  show: '表示',
  hide: '隠す',
} as const;

export interface NewPassphraseErrors {
  readonly passphrase?: string;
  readonly confirmation?: string;
}

/** Pure check of a new passphrase and its confirmation. Empty object = valid. */
export function newPassphraseErrors(passphrase: string, confirmation: string): NewPassphraseErrors {
  if (passphrase.length === 0) return { passphrase: PASSPHRASE_TEXT.empty };
  // Count code points, not UTF-16 units: 8 kanji are 8 characters to the person typing them.
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return { passphrase: PASSPHRASE_TEXT.tooShort };
  if (isGuessablePassphrase(passphrase)) return { passphrase: PASSPHRASE_TEXT.guessable };
  if (passphrase !== confirmation) return { confirmation: PASSPHRASE_TEXT.mismatch };
  return {};
}

/**
 * A password input with a 「表示」 toggle (typing a long passphrase on a phone in the dark is hard).
 * The toggle's name is 「表示」/「隠す」 so that the field stays the only thing labelled 「パスフレーズ」.
 * autocomplete="off" unless told otherwise: a passphrase the browser keeps and fills in opens the
 * vault for whoever holds the phone (the idle lock then guards nothing), and on a shared PC for the
 * next person, under the name of the one who saved it. A new passphrase is "new-password" (what
 * keeps a saved one from being filled in there; browsers read "off" on a password as nothing); the
 * hub's sign-in passes its own.
 */
export function SecretField({
  label,
  error,
  hint,
  ref,
  ...input
}: { label: string; error?: string | undefined; hint?: string | undefined; ref?: Ref<HTMLInputElement> } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'type'
>) {
  const [shown, setShown] = useState(false);
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="secret">
        <input
          ref={ref}
          id={id}
          className="input"
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          aria-invalid={error ? true : undefined}
          {...input}
        />
        <button type="button" className="btn btn--secondary" aria-pressed={shown} aria-controls={id} onClick={() => setShown((s) => !s)}>
          {shown ? PASSPHRASE_TEXT.hide : PASSPHRASE_TEXT.show}
        </button>
      </div>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** The forgotten-passphrase warning with the checkbox that must be ticked before the button enables. */
export function PassphraseWarning({ acknowledged, onChange }: { acknowledged: boolean; onChange: (acknowledged: boolean) => void }) {
  const id = useId();
  return (
    <div className="warning-box">
      <p id={`${id}-text`}>{PASSPHRASE_TEXT.warning}</p>
      <label className="ack">
        <input type="checkbox" checked={acknowledged} aria-describedby={`${id}-text`} onChange={(e) => onChange(e.target.checked)} />
        <span>{PASSPHRASE_TEXT.acknowledge}</span>
      </label>
    </div>
  );
}

/** New passphrase + confirmation, showing their errors once the user has tried to submit. */
export function NewPassphraseFields({
  passphrase,
  confirmation,
  onPassphrase,
  onConfirmation,
  errors,
  label = 'パスフレーズ',
  confirmationLabel = 'パスフレーズ（確認）',
}: {
  passphrase: string;
  confirmation: string;
  onPassphrase: (v: string) => void;
  onConfirmation: (v: string) => void;
  errors: NewPassphraseErrors;
  label?: string;
  confirmationLabel?: string;
}) {
  return (
    <>
      <SecretField
        label={label}
        autoComplete="new-password"
        value={passphrase}
        hint={PASSPHRASE_TEXT.hint}
        error={errors.passphrase}
        onChange={(e) => onPassphrase(e.target.value)}
      />
      <SecretField
        label={confirmationLabel}
        autoComplete="new-password"
        value={confirmation}
        error={errors.confirmation}
        onChange={(e) => onConfirmation(e.target.value)}
      />
    </>
  );
}

