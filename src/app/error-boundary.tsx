/** Never a blank screen: a render error shows a Japanese message and a reload button. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useApp } from '../state/store';
import { Button } from '../ui/button';
import { Page } from '../ui/layout';
import { reloadIntoNewest } from './service-worker';
import { T } from './text';

/**
 * What failed and the way out: the message, and a reload. The reload lets a version that waits
 * take over first: reloading into the version that failed would fail again.
 */
function CrashNotice({ body, variant }: { body: string; variant: 'primary' | 'secondary' }) {
  return (
    <>
      <div className="notice notice--error" role="alert">
        <div className="notice__text">{body}</div>
      </div>
      <Button variant={variant} className="btn--block" onClick={reloadIntoNewest}>
        {T.reload}
      </Button>
    </>
  );
}

/**
 * One screen's render error, inside the unlocked app: the app bar, the bottom nav and sync stay
 * (a record the screen cannot show may be withdrawn by the hub, and only a sync brings that), and
 * another route (the nav, the back button) is tried afresh.
 */
export class ScreenBoundary extends Component<{ children: ReactNode; route: string }, { error: unknown; route: string }> {
  override state: { error: unknown; route: string } = { error: null, route: this.props.route };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: { route: string }, state: { error: unknown; route: string }) {
    return props.route === state.route ? null : { error: null, route: props.route };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Render error in a screen', error, info.componentStack);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <Page title={T.screenCrashTitle}>
        <CrashNotice body={T.screenCrashBody} variant="secondary" />
      </Page>
    );
  }
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Render error', error, info.componentStack);
    // The app shell is gone, and its idle lock with it; the only way on is a reload, which starts
    // locked. So the key and the decrypted records are dropped now (and the lock logged), not left
    // in memory behind the crash screen of an unattended phone. This tab only, as an idle lock.
    void Promise.resolve()
      .then(() => useApp.getState().lock('crash'))
      .catch(() => undefined);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    // Kept free of the store and of other components that might be what failed.
    return (
      <div className="gate">
        <header className="gate__header">
          <p className="gate__brand">{T.appFullName}</p>
        </header>
        <main className="gate__main">
          <h1 className="gate__title">{T.crashTitle}</h1>
          <CrashNotice body={T.crashBody} variant="primary" />
        </main>
      </div>
    );
  }
}
