/**
 * The update watch against a fake registration, worker container and tabs' channel: a new version
 * is offered whenever one waits (however many installs failed before it, however it was found),
 * and a tab taken over by the new version reloads at once or, holding typed text, keeps it and asks.
 * A first download of the offline copy that failed is tried again at the next chance, and the
 * crash screen's 再読み込み lets a waiting version take over first.
 */
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

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
let boundary: typeof import('./error-boundary');

beforeEach(async () => {
  vi.resetModules();
  sw = await import('./service-worker');
  store = await import('../state/store');
  prompt = await import('./update-prompt');
  boundary = await import('./error-boundary');
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A page under an active worker (`controlled: false`: one the worker does not control, after a hard reload). */
function setUp(options: { channel?: FakeChannel; controlled?: boolean } = {}) {
  const running = new FakeWorker();
  running.state = 'activated';
  const registration = new FakeRegistration();
  registration.active = running;
  const container = new FakeContainer(options.controlled === false ? null : running);
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

  it('reloads into it on a page no worker controlled (a hard reload), instead of staying on 更新しています…', () => {
    const { registration, container, reload } = setUp({ controlled: false });
    const next = registration.found();
    registration.installed(next, true);
    expect(sw.useUpdate.getState().waiting).toBe(true);
    sw.useUpdate.getState().apply?.();
    expect(next.postMessage).toHaveBeenCalledWith({ type: 'SKIP_WAITING' });
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

/**
 * A page no worker controls yet: each register() begins a first install, as on a new phone; the
 * first `failures` calls reject instead (sw.js itself did not download).
 */
function firstVisit({ failures = 0 } = {}) {
  const container = new FakeContainer(null);
  let calls = 0;
  const register = vi.fn(() => {
    calls += 1;
    if (calls <= failures) return Promise.reject(new TypeError('Failed to register a ServiceWorker: a network error'));
    const registration = new FakeRegistration();
    registration.installing = new FakeWorker();
    return Promise.resolve(registration as unknown as ServiceWorkerRegistration);
  });
  sw.startUpdateWatch({ container: container as unknown as ServiceWorkerContainer, reload: vi.fn(), channel: null }).register(register);
  /** The registration of register()'s call `n`, once the watch has taken it up. */
  const registered = async (n: number) => {
    expect(register).toHaveBeenCalledTimes(n);
    return (await register.mock.results[n - 1]?.value) as unknown as FakeRegistration;
  };
  return { container, register, registered };
}

/** The first install broke off: its worker is dropped, and with it the browser's registration. */
function downloadBreaksOff(registration: FakeRegistration): void {
  const worker = registration.installing!;
  // The worker is redundant before the registration lets go of it.
  worker.to('redundant');
  registration.installing = null;
}

/** The first install succeeded: its worker activates and claims the page. */
function downloadCompletes(registration: FakeRegistration, container: FakeContainer): void {
  const worker = registration.installing!;
  registration.installing = null;
  worker.to('installed');
  registration.active = worker;
  worker.to('activating');
  worker.to('activated');
  container.claim(worker);
}

const goOnline = () => window.dispatchEvent(new Event('online'));

describe('the first download of the offline copy', () => {
  it('is not ready offline while the first download runs, and is once its worker is active', async () => {
    const { container, registered } = firstVisit();
    expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: false, offlineFailed: false });
    const registration = await registered(1);
    // a download under way is not a failure: nothing is said yet
    expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: false, offlineFailed: false });
    downloadCompletes(registration, container);
    expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: true, offlineFailed: false });
  });

  it('registers again once back online after the download broke off, until the app is ready offline', async () => {
    const { container, register, registered } = firstVisit();
    downloadBreaksOff(await registered(1));
    expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: false, offlineFailed: true });
    // Not at once: at the next chance (or a minute later, below).
    expect(register).toHaveBeenCalledTimes(1);

    goOnline();
    const second = await registered(2);
    expect(sw.useUpdate.getState().offlineFailed).toBe(false);
    // While that download runs, another chance starts no second one.
    goOnline();
    returnToApp();
    expect(register).toHaveBeenCalledTimes(2);
    downloadCompletes(second, container);
    expect(sw.useUpdate.getState().offlineReady).toBe(true);

    goOnline();
    returnToApp();
    expect(register).toHaveBeenCalledTimes(2);
  });

  it('registers again a minute after the download broke off, on a page kept open where the line stayed up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const { container, register, registered } = firstVisit();
      downloadBreaksOff(await registered(1));
      vi.advanceTimersByTime(59_000);
      expect(register).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1_000);
      downloadCompletes(await registered(2), container);
      expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: true, offlineFailed: false });
      // ready: nothing more is tried
      vi.advanceTimersByTime(120_000);
      expect(register).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('registers again on a return to the app after register() itself failed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { container, register, registered } = firstVisit({ failures: 1 });
    await expect(register.mock.results[0]?.value).rejects.toThrow(TypeError);
    expect(warn).toHaveBeenCalled();
    expect(sw.useUpdate.getState()).toMatchObject({ offlineReady: false, offlineFailed: true });

    returnToApp();
    downloadCompletes(await registered(2), container);
    expect(sw.useUpdate.getState().offlineReady).toBe(true);
  });

  it('registers again at the hourly check instead of updating a registration the browser dropped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval'] });
    const { container, register, registered } = firstVisit();
    const first = await registered(1);
    first.update.mockRejectedValue(new DOMException('Failed to update a ServiceWorker: the registration is gone', 'InvalidStateError'));
    downloadBreaksOff(first);

    vi.advanceTimersByTime(60 * 60 * 1000);
    expect(first.update).not.toHaveBeenCalled();
    downloadCompletes(await registered(2), container);
    expect(sw.useUpdate.getState().offlineReady).toBe(true);
  });

  it('is ready offline at once on a page a worker controls already', () => {
    setUp();
    expect(sw.useUpdate.getState().offlineReady).toBe(true);
  });

  it('says nothing where no service worker is used (development, this test browser)', () => {
    sw.registerServiceWorker();
    expect(sw.useUpdate.getState().offlineReady).toBeNull();
  });
});

describe('再読み込み on the crash screen', () => {
  const Boom = () => {
    throw new Error('boom');
  };

  it('lets the waiting version take over first, then reloads into it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    const { registration, container, reload } = setUp();
    const next = registration.found();
    registration.installed(next, true);
    render(
      <boundary.ErrorBoundary>
        <Boom />
      </boundary.ErrorBoundary>,
    );

    await user.click(screen.getByRole('button', { name: '再読み込み' }));
    expect(next.postMessage).toHaveBeenCalledWith({ type: 'SKIP_WAITING' });
    expect(reload).not.toHaveBeenCalled();
    // Typed text the crash left in the store does not hold the reload back: the user asked for it.
    store.useApp.getState().markUnsaved('household:new', true);
    container.claim(next);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('just reloads when no version waits', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    const { reload, running } = setUp();
    render(
      <boundary.ErrorBoundary>
        <Boom />
      </boundary.ErrorBoundary>,
    );

    await user.click(screen.getByRole('button', { name: '再読み込み' }));
    expect(reload).toHaveBeenCalledTimes(1);
    expect(running.postMessage).not.toHaveBeenCalled();
  });
});
