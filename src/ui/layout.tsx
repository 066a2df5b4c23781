import { useCallback, useRef, type ReactNode } from 'react';

/**
 * The ref of a page's <h1 tabIndex={-1}>, which takes the focus when the page opens from a link that
 * went with the last screen (the focus left on <body>), and not when the page put it somewhere itself.
 * For the pages that draw their own heading (the print sheet, the evidence report) as Page does.
 */
export function useHeadingFocus(): (heading: HTMLHeadingElement | null) => void {
  const done = useRef(false);
  // a ref callback, not an effect: a heading drawn once the record has loaded takes it too
  return useCallback((heading: HTMLHeadingElement | null) => {
    if (heading === null || done.current) return;
    done.current = true;
    const now = document.activeElement;
    if (now === null || now === document.body) heading.focus({ preventScroll: true });
  }, []);
}

/**
 * A page: a sticky header with the title and optional actions, then content in one column (360 px
 * first). A page opened by a link that went with the last screen (the focus left on <body>) takes
 * the focus on its title, so a screen reader's user hears where they are and Tab starts there.
 */
/**
 * `printable`: the browser's own print (its menu, Ctrl+P) prints this screen; any other prints only
 * where to print from (styles.css), since a print there writes no 閲覧記録.
 */
export function Page({ title, actions, children, back, printable = false }: { title: string; actions?: ReactNode; children: ReactNode; back?: ReactNode; printable?: boolean }) {
  const heading = useHeadingFocus();
  return (
    <section className={printable ? 'page printable' : 'page'}>
      <header className="page__header">
        {back}
        <h1 className="page__title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="page__actions">{actions}</div> : null}
      </header>
      <div className="page__body">{children}</div>
    </section>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="section" aria-labelledby={id}>
      <h2 className="section__title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A message a user can act on: what happened and what to do (with an optional action button). How
 * serious it is shows as a mark before the text (✕ error, ⚠ warn, ✓ ok; styles.css), not by colour alone.
 */
export function Notice({ kind = 'info', children, action }: { kind?: 'info' | 'warn' | 'error' | 'ok'; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="notice__text">{children}</div>
      {action ? <div className="notice__action">{action}</div> : null}
    </div>
  );
}
