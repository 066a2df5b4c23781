/**
 * Service-worker registration (production builds only). A new version never applies itself:
 * the app learns that one is waiting and the user chooses when to switch (update-prompt.tsx),
 * because reloading mid-call would throw away whatever is typed but not yet saved.
 *
 * The waiting worker is read from the registration itself, after every update check, on every
 * return to the app and whenever an install finishes. workbox-window's own `waiting` event is not
 * enough: it stops watching after the first update it counts as "external", so after one install
 * that failed (the line dropped during the download) no later version was ever offered, and it
 * took over unasked at the next cold start.
 *
 * Every open tab follows the new version once it controls the tab (another tab said go): a tab
 * with nothing unsaved reloads at once; a tab with typed text keeps it and asks to save first.
 * Tabs tell each other about unsaved input, so the one asked to update waits for the others.
 *
 * The first install can fail (a phone's first visit on a weak line: one file of the download
 * breaks off). The browser then drops the registration, and nothing tries again until the next
 * page load: until a worker is active the app is registered again at each chance (back online,
 * back to the app, the hourly check), and the page says it is not yet ready offline.
 */
import { create } from 'zustand';
import { useApp } from '../state/store';

export interface UpdateState {
  /** a new version is installed and waiting for the user's go-ahead */
  readonly waiting: boolean;
  /** the user said go; the page reloads once the new worker controls it */
  readonly applying: boolean;
  /**
   * The new version already controls this tab (another tab applied it) while this tab still runs
   * the old code, kept because it holds unsaved input: save, then reload.
   */
  readonly takenOver: boolean;
  /** another open tab of the app holds unsaved input (it said so over the tabs' channel) */
  readonly unsavedElsewhere: boolean;
  /** tells the waiting worker to take over, or reloads once the new version has; null until then */
  readonly apply: (() => void) | null;
  /**
   * Whether the app opens here with no connection: a worker is active, or controls this page.
   * false while the first download of the offline copy runs or after it failed; null where no
   * worker is used (development, a browser without service workers, a page that is not https).
   */
  readonly offlineReady: boolean | null;
  /**
   * The first download of the offline copy failed (or register() did) and waits for the next
   * chance: the page says so (UpdatePrompt). Not while a download runs, which usually ends well.
   */
  readonly offlineFailed: boolean;
}

export const useUpdate = create<UpdateState>()(() => ({
  waiting: false,
  applying: false,
  takenOver: false,
  unsavedElsewhere: false,
  apply: null,
  offlineReady: null,
  offlineFailed: false,
}));

const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/**
 * A failed first download is tried again this long after, with nothing else happening: the page
 * asks to be kept open where there is a line, and no `online` event comes on a line that stayed up.
 */
const RETRY_FAILED_INSTALL_MS = 60 * 1000;
/** the crash screen's reload goes ahead in the old version if the waiting one has not taken over by then */
const RESTART_GIVE_UP_MS = 5000;
const CHANNEL_NAME = 'kyoten-update';

/** What one tab tells the others: whether it holds unsaved input, or a request to say so. */
type TabMessage = { readonly type: 'unsaved'; readonly tab: string; readonly unsaved: boolean } | { readonly type: 'ask' };

/** The parts of a BroadcastChannel used here (a fake in the tests). */
export type TabChannel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>;

export interface UpdateEnv {
  /** navigator.serviceWorker */
  readonly container: Pick<ServiceWorkerContainer, 'controller' | 'addEventListener'>;
  readonly reload: () => void;
  /** to the app's other tabs; null where BroadcastChannel is missing (the guard is then per tab) */
  readonly channel: TabChannel | null;
}

/** navigator.serviceWorker.register through workbox-window (a fake in the tests) */
export type Register = () => Promise<ServiceWorkerRegistration | undefined>;

export interface UpdateWatch {
  /**
   * Registers the app's worker now, and again at each chance (back online, back to the app, the
   * hourly check) while there is none that is active or installing.
   */
  register(register: Register, options?: { readonly intervalMs?: number }): void;
  /** Starts watching the app's registration for a new version (once it is registered). */
  watch(registration: ServiceWorkerRegistration, options?: { readonly intervalMs?: number }): void;
}

const hasUnsaved = () => useApp.getState().unsaved.size > 0;

/** A worker that is there and not dropped (a failed install's worker stays `installing` a moment). */
const alive = (worker: ServiceWorker | null | undefined): boolean => worker != null && worker.state !== 'redundant';

/** The crash screen's way to reload into the newest version; set by the running watch. */
let restartHere: (() => void) | null = null;

/**
 * 再読み込み on the screen of a render error: if a new version waits, it takes over first, since
 * the version that failed may be the very one it fixes; otherwise a plain reload.
 */
export function reloadIntoNewest(): void {
  if (restartHere) restartHere();
  else window.location.reload();
}

/**
 * Follows controller changes and the other tabs' unsaved input from now on; `register` registers
 * the app (again while that fails) and watches the registration, `watch` watches one registered
 * already. Started before the registration so that no controller change is missed while
 * workbox-window loads.
 */
export function startUpdateWatch(env: UpdateEnv): UpdateWatch {
  const { container, reload } = env;
  let controller = container.controller;
  /** the new version took over this tab: reloading is all that is left to do */
  let replaced = false;
  let registration: ServiceWorkerRegistration | null = null;
  /** the crash screen asked for the newest version: reloads (once) as soon as it takes over */
  let restarted: (() => void) | null = null;
  let registerApp: Register | null = null;
  let registering = false;
  let listening = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  container.addEventListener('controllerchange', () => {
    const previous = controller;
    controller = container.controller;
    publishOffline();
    if (restarted) {
      restarted();
      return;
    }
    // The first worker claiming a page that had none (clientsClaim) serves the page's own version,
    // unless the user asked for the update: a page no worker controlled (a hard reload) sent the
    // waiting one SKIP_WAITING, and its claim is the new version, to reload into (or the button
    // stayed on 更新しています… for good).
    if ((previous === null || controller === null) && !(controller !== null && useUpdate.getState().applying)) return;
    replaced = true;
    if (!hasUnsaved()) {
      reload();
      return;
    }
    // This tab runs the old code under the new worker (whose cache no longer holds the old
    // screens): it must reload, but not over typed text. The prompt says so and waits.
    useUpdate.setState({ waiting: false, applying: false, takenOver: true, apply });
  });

  const apply = () => {
    // Controller compared too, in case the change came before anyone listened.
    if (replaced || container.controller !== controller) {
      reload();
      return;
    }
    const next = registration?.waiting ?? null;
    if (next === null) {
      // The worker that was waiting is gone (a newer one replaced it, or it failed): look again.
      useUpdate.setState({ waiting: false, applying: false });
      refresh();
      return;
    }
    useUpdate.setState({ applying: true });
    next.addEventListener('statechange', () => {
      // Dropped instead of activating: the button must not stay on 更新しています… for good.
      if (next.state === 'redundant') {
        useUpdate.setState({ applying: false });
        refresh();
      }
    });
    // The generated worker (registerType 'prompt') skips waiting on this message; its activation
    // claims every tab, and the controllerchange above reloads this one.
    next.postMessage({ type: 'SKIP_WAITING' });
  };

  const restart = () => {
    const next = registration?.waiting ?? null;
    // Only a version waiting behind a running one: a first install activates by itself.
    if (replaced || next === null || !alive(registration?.active) || next === registration?.active) {
      reload();
      return;
    }
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      reload();
    };
    restarted = once;
    next.addEventListener('statechange', () => {
      if (next.state === 'redundant') once();
    });
    // A worker that never takes over must not leave the button doing nothing.
    setTimeout(once, RESTART_GIVE_UP_MS);
    next.postMessage({ type: 'SKIP_WAITING' });
  };
  restartHere = restart;

  const publishOffline = () => {
    const ready = container.controller !== null || alive(registration?.active);
    const failed = !ready && registerApp !== null && !registering && unregistered();
    const state = useUpdate.getState();
    if (state.offlineReady !== ready || state.offlineFailed !== failed) useUpdate.setState({ offlineReady: ready, offlineFailed: failed });
    if (failed && retry === null) {
      retry = setTimeout(() => {
        retry = null;
        registerAgain();
      }, RETRY_FAILED_INSTALL_MS);
    }
  };

  /** No worker is active, installing or waiting: the first install failed, or never began. */
  const unregistered = () => registration === null || ![registration.installing, registration.waiting, registration.active].some(alive);

  const registerAgain = () => {
    if (registerApp === null || registering || !unregistered()) return;
    registering = true;
    publishOffline();
    registerApp().then(
      (reg) => {
        registering = false;
        if (reg) follow(reg);
        else publishOffline();
      },
      (e: unknown) => {
        registering = false;
        publishOffline();
        // Expected on a weak line: the next chance (online, back to the app, the hour) tries again.
        console.warn('Service worker registration failed; trying again later', e);
      },
    );
  };

  const refresh = () => {
    publishOffline();
    if (replaced || registration === null) return;
    const { waiting, active } = registration;
    // An update waits behind the running version; the first install passes through `installed`
    // straight to active, and must not be offered.
    if (waiting !== null && active !== null && waiting !== active) {
      useUpdate.setState({ waiting: true, apply });
    } else if (!useUpdate.getState().applying) {
      useUpdate.setState({ waiting: false });
    }
  };

  const followInstall = (worker: ServiceWorker | null) => {
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' || worker.state === 'redundant') refresh();
      else publishOffline();
    });
  };

  const check = () => {
    if (unregistered()) {
      // update() on a registration the browser dropped only rejects (InvalidStateError).
      registerAgain();
      return;
    }
    // Offline is the normal case at night: a failed check is not an error.
    registration?.update().then(refresh, refresh);
  };

  const tabs = env.channel ? tellOtherTabs(env.channel) : null;

  /** The chances to look for a new version, or to register again: once per page. */
  const listen = (intervalMs: number) => {
    if (listening) return;
    listening = true;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      refresh();
      tabs?.ask();
      check();
    });
    window.addEventListener('online', registerAgain);
    setInterval(check, intervalMs);
  };

  const follow = (reg: ServiceWorkerRegistration) => {
    registration = reg;
    // Our own listener, never removed: every install, however many failed before, is seen.
    reg.addEventListener('updatefound', () => followInstall(reg.installing));
    followInstall(reg.installing);
    refresh();
  };

  return {
    register(register, options = {}) {
      registerApp = register;
      listen(options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
      registerAgain();
    },
    watch(reg, options = {}) {
      listen(options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
      follow(reg);
    },
  };
}

/**
 * Each tab says whether it holds unsaved input, when that changes and when asked; the others keep
 * the answers. A tab that closes says it has nothing; one that died silently is forgotten at the
 * next ask (each return to the app).
 */
function tellOtherTabs(channel: TabChannel): { ask(): void } {
  const tab = crypto.randomUUID();
  const others = new Map<string, boolean>();
  const publish = () => useUpdate.setState({ unsavedElsewhere: [...others.values()].some(Boolean) });
  const say = (unsaved: boolean) => channel.postMessage({ type: 'unsaved', tab, unsaved } satisfies TabMessage);

  channel.addEventListener('message', (e: MessageEvent<TabMessage>) => {
    const m = e.data;
    if (m.type === 'ask') {
      say(hasUnsaved());
    } else if (m.type === 'unsaved' && m.tab !== tab) {
      others.set(m.tab, m.unsaved);
      publish();
    }
  });
  useApp.subscribe((s, prev) => {
    if (s.unsaved.size > 0 !== prev.unsaved.size > 0) say(s.unsaved.size > 0);
  });
  window.addEventListener('pagehide', () => say(false));
  window.addEventListener('pageshow', () => say(hasUnsaved()));

  const ask = () => {
    others.clear();
    publish();
    channel.postMessage({ type: 'ask' } satisfies TabMessage);
  };
  say(hasUnsaved());
  ask();
  return { ask };
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const updates = startUpdateWatch({
    container: navigator.serviceWorker,
    reload: () => window.location.reload(),
    channel: typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null,
  });
  // workbox-window is a chunk of its own, fetched when boot.tsx calls this (once the first screen
  // is shown): the worker's install downloads the whole app for offline use, which must not compete
  // with the first screen on a slow line. A Workbox instance registers once: a new one each try.
  updates.register(async () => {
    const { Workbox } = await import('workbox-window');
    return new Workbox('/sw.js').register();
  });
}
