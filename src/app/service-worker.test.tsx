/**
 * The update watch against a fake registration, worker container and tabs' channel: a new version
 * is offered whenever one waits (however many installs failed before it, however it was found),
 * and a tab taken over by the new version reloads at once or, holding typed text, keeps it and asks.
 */
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A service worker whose state the test moves on, as the browser would. */
class FakeWorker extends EventTarget {
  state: ServiceWorkerState = 'installing';
  readonly postMessage = vi.fn();
  to(state: ServiceWorkerState): void {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  active: FakeWorker | null = null;
  readonly update = vi.fn(() => Promise.resolve());

  /** A new sw.js found: its install starts. */
  found(): FakeWorker {
    const worker = new FakeWorker();
    this.installing = worker;
    this.dispatchEvent(new Event('updatefound'));
    return worker;
  }

  /** The install of `worker` ended: waiting behind the active worker, or dropped. */
  installed(worker: FakeWorker, ok: boolean): void {
    this.installing = null;
    if (ok) this.waiting = worker;
    worker.to(ok ? 'installed' : 'redundant');
  }
}

class FakeContainer extends EventTarget {
  constructor(public controller: FakeWorker | null) {
    super();
  }
  /** A worker claimed the page (clientsClaim after its activation). */
  claim(worker: FakeWorker): void {
    this.controller = worker;
    this.dispatchEvent(new Event('controllerchange'));
  }
}

class FakeChannel extends EventTarget {
  readonly postMessage = vi.fn();
  /** A message from another tab. */
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

// A fresh module (and store) for every test: the watch adds listeners to document and window
// that are never removed, and one test's watch must not act on the next test's state.
let sw: typeof import('./service-worker');
let store: typeof import('../state/store');
let prompt: typeof import('./update-prompt');

beforeEach(async () => {
  vi.resetModules();
  sw = await import('./service-worker');
  store = await import('../state/store');
  prompt = await import('./update-prompt');
});

function setUp(options: { channel?: FakeChannel } = {}) {
  const running = new FakeWorker();
  running.state = 'activated';
  const registration = new FakeRegistration();
  registration.active = running;
  const container = new FakeContainer(running);
  const reload = vi.fn();
  const watch = sw.startUpdateWatch({
    container: container as unknown as ServiceWorkerContainer,
    reload,
    channel: options.channel ?? null,
  });
  watch.watch(registration as unknown as ServiceWorkerRegistration);
  return { registration, container, reload, running };
}

const returnToApp = () => document.dispatchEvent(new Event('visibilitychange'));

describe('finding a new version', () => {
  it('offers a version that installs after an install that failed', () => {
    const { registration } = setUp();
    // The first update's download broke off: its worker is dropped, nothing is offered.
    registration.installed(registration.found(), false);
    expect(sw.useUpdate.getState().waiting).toBe(false);

    // The next one installs: it is offered. (workbox-window's `waiting` event never came here.)
    registration.installed(registration.found(), true);
    expect(sw.useUpdate.getState().waiting).toBe(true);
  });

  it('offers a waiting worker found on a return to the app, with no install event seen', () => {
    const { registration } = setUp();
    registration.waiting = new FakeWorker();
    registration.waiting.state = 'installed';
    expect(document.visibilityState).toBe('visible');
    returnToApp();
    expect(sw.useUpdate.getState().waiting).toBe(true);
    expect(registration.update).toHaveBeenCalled();
  });

  it('offers one that was already waiting when the app registered', () => {
    const registration = new FakeRegistration();
    registration.active = new FakeWorker();
    registration.waiting = new FakeWorker();
    sw.startUpdateWatch({ container: new FakeContainer(registration.active) as unknown as ServiceWorkerContainer, reload: vi.fn(), channel: null }).watch(
      registration as unknown as ServiceWorkerRegistration,
    );
    expect(sw.useUpdate.getState().waiting).toBe(true);
  });

  it('does not offer the first install, which activates by itself', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer(null);
    const reload = vi.fn();
    sw.startUpdateWatch({ container: container as unknown as ServiceWorkerContainer, reload, channel: null }).watch(
      registration as unknown as ServiceWorkerRegistration,
    );
    const first = registration.found();
    // Seen for a moment as waiting with no active worker before it, then active, then claiming.
    registration.installed(first, true);
    expect(sw.useUpdate.getState().waiting).toBe(false);
    registration.waiting = null;
    registration.active = first;
    first.to('activated');
    container.claim(first);
    expect(reload).not.toHaveBeenCalled();
    expect(sw.useUpdate.getState()).toMatchObject({ waiting: false, takenOver: false });
  });
});

describe('applying it', () => {
  it('tells the waiting worker to take over, and reloads once it controls the tab', () => {
    const { registration, container, reload } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    sw.useUpdate.getState().apply?.();
    expect(next.postMessage).toHaveBeenCalledWith({ type: 'SKIP_WAITING' });
    expect(sw.useUpdate.getState().applying).toBe(true);
    expect(reload).not.toHaveBeenCalled();

    container.claim(next);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('lets go of 更新しています… when the waiting worker is dropped instead', () => {
    const { registration } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    sw.useUpdate.getState().apply?.();
    registration.waiting = null;
    next.to('redundant');
    expect(sw.useUpdate.getState()).toMatchObject({ applying: false, waiting: false });
  });

  it('just reloads when no worker waits because the new version already controls the tab', () => {
    const { registration, container, reload } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    // Another tab applied it before this one heard of the change (no controllerchange seen here).
    registration.waiting = null;
    registration.active = next;
    container.controller = next;
    sw.useUpdate.getState().apply?.();
    expect(next.postMessage).not.toHaveBeenCalled();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('another tab applied it', () => {
  it('reloads this tab at once when nothing is unsaved here', () => {
    const { registration, container, reload } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    container.claim(next);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('keeps typed text: says the new version took over and reloads only once saved, on 再読み込み', async () => {
    const user = userEvent.setup();
    const { registration, container, reload } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    store.useApp.getState().markUnsaved('household:new', true);
    render(<prompt.UpdatePrompt />);
    expect(screen.getByText('新しいバージョンがあります')).toBeVisible();

    act(() => container.claim(next));
    expect(reload).not.toHaveBeenCalled();
    expect(screen.queryByText('新しいバージョンがあります')).toBeNull();
    expect(screen.getByText('新しいバージョンに切り替わりました')).toBeVisible();
    expect(screen.getByText('保存していない入力があります。保存してから再読み込みしてください。')).toBeVisible();
    const button = screen.getByRole('button', { name: '再読み込み' });
    expect(button).toBeDisabled();
    await user.click(button);
    expect(reload).not.toHaveBeenCalled();

    act(() => store.useApp.getState().markUnsaved('household:new', false));
    expect(screen.getByText('再読み込みすると、新しいバージョンで続けられます。')).toBeVisible();
    expect(reload).not.toHaveBeenCalled();
    await user.click(button);
    expect(reload).toHaveBeenCalledTimes(1);
    // The waiting worker is gone: nothing is sent to a worker that is not there.
    expect(next.postMessage).not.toHaveBeenCalled();
  });
});

describe('unsaved input in other tabs', () => {
  it('holds the update back while another tab says it has unsaved input', async () => {
    const user = userEvent.setup();
    const channel = new FakeChannel();
    const { registration } = setUp({ channel });
    const next = registration.found();
    registration.installed(next, true);
    render(<prompt.UpdatePrompt />);
    const button = screen.getByRole('button', { name: '更新する' });
    expect(button).toBeEnabled();

    act(() => channel.receive({ type: 'unsaved', tab: 'other', unsaved: true }));
    expect(screen.getByText('別のタブに保存していない入力があります。そのタブで保存してから更新してください。')).toBeVisible();
    expect(button).toBeDisabled();
    await user.click(button);
    expect(next.postMessage).not.toHaveBeenCalled();

    act(() => channel.receive({ type: 'unsaved', tab: 'other', unsaved: false }));
    expect(screen.queryByText('別のタブに保存していない入力があります。そのタブで保存してから更新してください。')).toBeNull();
    await user.click(button);
    expect(next.postMessage).toHaveBeenCalledWith({ type: 'SKIP_WAITING' });
  });

  it('tells the other tabs when this one has unsaved input, and answers when asked', () => {
    const channel = new FakeChannel();
    setUp({ channel });
    channel.postMessage.mockClear();
    store.useApp.getState().markUnsaved('household:new', true);
    expect(channel.postMessage).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'unsaved', unsaved: true }));
    channel.receive({ type: 'ask' });
    expect(channel.postMessage).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'unsaved', unsaved: true }));
    store.useApp.getState().markUnsaved('household:new', false);
    expect(channel.postMessage).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'unsaved', unsaved: false }));
  });

  it('forgets a tab that went away without a word at the next return to the app', () => {
    const channel = new FakeChannel();
    setUp({ channel });
    channel.receive({ type: 'unsaved', tab: 'gone', unsaved: true });
    expect(sw.useUpdate.getState().unsavedElsewhere).toBe(true);
    returnToApp();
    expect(sw.useUpdate.getState().unsavedElsewhere).toBe(false);
    expect(channel.postMessage).toHaveBeenLastCalledWith({ type: 'ask' });
  });
});
