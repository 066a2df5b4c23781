import { Notice } from '../../ui/layout';

/** The rules' messages for a refused entry, beside the form that sent it. */
export function EntryErrors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <Notice kind="error">
      <ul className="case-errors">
        {errors.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </Notice>
  );
}
