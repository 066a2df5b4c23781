import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Component, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { lazyScreen } from './screens';

function Counter() {
  const [n, setN] = useState(0);
  return <button onClick={() => setN(n + 1)}>押した回数 {n}</button>;
}

function Shell({ Screen }: { Screen: ComponentType }) {
  const [tick, setTick] = useState(0);
  return (
    <>
      <button onClick={() => setTick(tick + 1)}>親を再描画 {tick}</button>
      <Suspense fallback={<p>読み込み中</p>}>
        <Screen />
      </Suspense>
    </>
  );
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? <p>この画面を表示できませんでした</p> : this.props.children;
  }
}

describe('lazyScreen', () => {
  it('tries a screen whose module failed to load again at its next visit', async () => {
    let online = false;
    const flaky = lazyScreen(() => (online ? Promise.resolve({ default: Counter }) : Promise.reject(new TypeError('Failed to fetch dynamically imported module'))));
    const first = render(
      <Boundary>
        <Shell Screen={flaky.Screen} />
      </Boundary>,
    );
    expect(await screen.findByText('この画面を表示できませんでした')).toBeInTheDocument();
    first.unmount();
    // another screen, then back: the line is back, and so is the screen
    online = true;
    render(
      <Boundary>
        <Shell Screen={flaky.Screen} />
      </Boundary>,
    );
    expect(await screen.findByRole('button', { name: /押した回数 0/ })).toBeInTheDocument();
  });


  it('renders at once when the module has arrived, and never remounts a screen that was shown while loading', async () => {
    let arrive!: () => void;
    const module = new Promise<{ default: typeof Counter }>((resolve) => (arrive = () => resolve({ default: Counter })));
    const loading = lazyScreen(() => module);
    const user = userEvent.setup();
    render(<Shell Screen={loading.Screen} />);
    expect(screen.getByText('読み込み中')).toBeInTheDocument();
    await act(async () => arrive());
    await user.click(await screen.findByRole('button', { name: /押した回数 0/ }));
    // The parent renders again after the module arrived: the screen keeps its state.
    await user.click(screen.getByRole('button', { name: /親を再描画/ }));
    expect(screen.getByRole('button', { name: /押した回数 1/ })).toBeInTheDocument();

    // A screen whose module is already here shows with no fallback at all.
    const ready = lazyScreen(() => Promise.resolve({ default: Counter }));
    await ready.preload();
    const { container } = render(<Shell Screen={ready.Screen} />);
    expect(container).not.toHaveTextContent('読み込み中');
    expect(container).toHaveTextContent('押した回数 0');
  });
});
