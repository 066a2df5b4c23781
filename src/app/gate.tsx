/** The frame of every screen shown before the data is open: setup, lock, starting, failed. */
import { useEffect, type ReactNode } from 'react';
import { HelpLink } from './help-link';
import { T } from './text';
import { UpdatePrompt } from './update-prompt';

export function Gate({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title}｜${T.appName}`;
  }, [title]);
  // Locking from a scrolled screen must not leave the lock screen's heading off the top.
  useEffect(() => {
    if (window.scrollY > 0) window.scrollTo(0, 0);
  }, []);
  return (
    <div className="gate">
      <header className="gate__header">
        <p className="gate__brand">{T.appFullName}</p>
        <HelpLink page="start" className="help-link" />
      </header>
      <main className="gate__main">
        <UpdatePrompt />
        <h1 className="gate__title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
