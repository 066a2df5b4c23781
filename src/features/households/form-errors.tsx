/** The error summary at the top of the form, and moving focus to the field a schema path points at. */
import { revealAndFocus } from '../../ui/focus-invalid';
import { aliasPath, type FieldError } from './form-model';
import { F, T } from './text';

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
  revealAndFocus(el);
}

/** Whose field it is, for a form with several persons or contacts: 「本人 2」「緊急連絡先 1」; '' otherwise. */
export function whoseField(path: string | undefined): string {
  const person = /^persons\.(\d+)\./.exec(path ?? '');
  if (person) return F.person(Number(person[1]));
  const contact = /^emergencyContacts\.(\d+)\./.exec(path ?? '');
  if (contact) return F.contactN(Number(contact[1]));
  return '';
}

/**
 * The errors in the order their fields stand on the page, as a reader goes down the form and as
 * the focus after a failed 保存 goes (to the first field in error): the rules find them in the
 * record's order, which puts the home phone before the persons' fields above it. An error whose
 * field is not drawn keeps its place after those that are.
 */
function inPageOrder(errors: readonly FieldError[]): readonly FieldError[] {
  const placed = errors.map((e, i) => ({ e, i, el: fieldFor(e.path) }));
  return placed
    .sort((a, b) => {
      if (a.el && b.el && a.el !== b.el) return a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      if (a.el && !b.el) return -1;
      if (!a.el && b.el) return 1;
      return a.i - b.i;
    })
    .map((p) => p.e);
}

export function ErrorSummary({ errors }: { errors: readonly FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="hh-summary" role="alert">
      <strong>{T.errorSummary(errors.length)}</strong>
      <ul>
        {inPageOrder(errors).map((e) => (
          <li key={`${e.path}:${e.message}`}>
            {/* a button, not a hash link: the hash is the app's route */}
            <button type="button" className="hh-summary__link" onClick={() => focusField(e.path)}>
              {whoseField(e.path) ? F.whose(whoseField(e.path), e.message) : e.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
