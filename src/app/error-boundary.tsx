/** Never a blank screen: a render error shows a Japanese message and a reload button. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { T } from './text';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Render error', error, info.componentStack);
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
          <div className="notice notice--error" role="alert">
            <div className="notice__text">{T.crashBody}</div>
          </div>
          <Button variant="primary" className="btn--block" onClick={() => window.location.reload()}>
            {T.reload}
          </Button>
        </main>
      </div>
    );
  }
}
