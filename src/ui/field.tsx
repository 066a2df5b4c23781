/**
 * Labelled form controls that show their validation message beside the field (Japanese, from the domain schema).
 * autoComplete="off" by default: Chromium otherwise keeps typed values in its autofill history and in
 * the session's saved form state on disk, in clear, outside the encrypted vault (see docs/security.md).
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldShellProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean | undefined;
  readonly children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function FieldShell({ label, error, hint, required, children }: FieldShellProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
        {required ? <span className="field__required">必須</span> : null}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/**
 * The hint and the validation message under a field, linked to it through aria-describedby ids.
 * The message is no alert: one that comes back while typing would be said again over the form's
 * summary. A failed submit moves focus to the first invalid field instead (focus-invalid.ts).
 */
export function FieldMessages({ hint, hintId, error, errorId }: { hint?: string | undefined; hintId: string | undefined; error?: string | undefined; errorId: string | undefined }) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </>
  );
}

type Common = { label: string; error?: string | undefined; hint?: string | undefined; required?: boolean | undefined };

export function TextField({ label, error, hint, required, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy, invalid }) => (
        <input id={id} className="input" autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </FieldShell>
  );
}

export function TextArea({ label, error, hint, required, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} className="input input--area" rows={3} autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </FieldShell>
  );
}

export function SelectField({
  label,
  error,
  hint,
  required,
  options,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] }) {
  return (
    <FieldShell label={label} error={error} hint={hint} required={required}>
      {/* autocomplete off: the browser keeps no choice of a record (a 障害支援区分, a 手帳 grade) in its session files */}
      {({ id, describedBy, invalid }) => (
        <select id={id} className="input" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A group of checkboxes (e.g. disability types) with one legend and one error line. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset
      className={error ? 'field field--invalid checks' : 'field checks'}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={Boolean(error) || undefined}
    >
      <legend className="field__label">{legend}</legend>
      <div className="checks__grid">
        {options.map((o) => (
          <label key={o.value} className="check">
            <input
              type="checkbox"
              autoComplete="off"
              checked={value.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Beside a date field typed halfway: the browser gives it no value. */
export const DATE_PARTLY_TYPED = '日付が途中までしか入力されていません（年・月・日をすべて入れるか、消してください）';

/**
 * The date fields under `root` left half typed, named by their `data-<key>` attribute: the browser
 * gives them no value (''), so they would be saved as empty without a word (a birth date as 年齢不明,
 * a 休止's last day as 再開日未定). Read from the inputs themselves.
 */
export function halfTypedDates(root: ParentNode | null, key: string): string[] {
  if (!root) return [];
  return [...root.querySelectorAll<HTMLInputElement>('input[type="date"]')].flatMap((input) => {
    const name = input.dataset[key];
    return input.validity.badInput && name ? [name] : [];
  });
}
