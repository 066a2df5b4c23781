/** The error summary at the top of the form, and moving focus to the field a schema path points at. */
import { aliasPath, type FieldError } from './form-model';
import { T } from './text';

/** The form control for a dotted path, or for the nearest enclosing path that has one. */
function fieldFor(path: string): HTMLElement | null {
  let p = aliasPath(path);
  while (p) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el.matches('input, select, textarea') ? el : el.querySelector<HTMLElement>('input, select, textarea');
    p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
  }
  return null;
}

/** Unfolds any closed section around the field, then focuses it (which also scrolls it into view). */
export function focusField(path: string | undefined): void {
  if (path === undefined) return;
  const el = fieldFor(path);
  if (!el) return;
  for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  el.focus();
}

export function ErrorSummary({ errors }: { errors: readonly FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="hh-summary" role="alert">
      <strong>{T.errorSummary(errors.length)}</strong>
      <ul>
        {errors.map((e) => (
          <li key={`${e.path}:${e.message}`}>
            {/* a button, not a hash link: the hash is the app's route */}
            <button type="button" className="hh-summary__link" onClick={() => focusField(e.path)}>
              {e.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
