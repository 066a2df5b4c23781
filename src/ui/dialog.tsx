/** A confirmation before anything destructive. Uses the native <dialog> for focus trapping and Esc. */
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { Button } from './button';
import { refocusWhenLost } from './focus-lost';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'キャンセル',
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** null: no cancel button, for a dialog that only tells (Esc still closes it, as onCancel) */
  cancelLabel?: string | null;
  danger?: boolean;
  /** while what the dialog confirms is being written: neither button nor Esc acts */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Its own id: a dialog may open over another (「破棄」 of a draft restored inside a dialog), each named by its own title.
  const titleId = useId();
  const bodyId = useId();
  const body = useRef<HTMLDivElement>(null);
  // A screen reader reads what the dialog asks along with its title (「登録廃止しますか？」 alone does
  // not say whose, nor what follows). A body that is a form is not read out whole as a description:
  // its fields are named one by one as the focus reaches them.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const text = body.current;
    const describes = text !== null && text.textContent?.trim() !== '' && text.querySelector('input, select, textarea') === null;
    if (describes) dialog.setAttribute('aria-describedby', bodyId);
    else dialog.removeAttribute('aria-describedby');
  });
  // Focus goes back to what opened the dialog when it goes. A dialog closed by its own close()
  // does that itself; most are unmounted to close, which leaves the focus on <body> (a screen
  // reader's user lost their place, a keyboard's Tab started from the top).
  // What it confirmed may take the opener away (a call's 「取消」 redraws the call as withdrawn): the
  // focus then goes to the heading of the section the opener was in, not to the top of the page.
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    const heading = opener?.closest('section')?.querySelector<HTMLElement>('h2, h3') ?? null;
    const dialog = ref.current;
    return () => {
      const now = document.activeElement;
      const lost = now === null || now === document.body || (dialog !== null && dialog.contains(now));
      if (!lost) return;
      if (opener?.isConnected) opener.focus({ preventScroll: true });
      else refocusWhenLost(() => (heading?.isConnected ? heading : null));
    };
  }, [open]);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    // Esc answers this dialog only: React passes 'cancel' on to the dialogs around it.
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        e.stopPropagation();
        if (!busy) onCancel();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <div ref={body} id={bodyId} className="dialog__body">
            {children}
          </div>
          <div className="dialog__actions">
            {cancelLabel === null ? null : (
              <Button onClick={onCancel} disabled={busy}>
                {cancelLabel}
              </Button>
            )}
            <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
              {confirmLabel}
            </Button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
