/**
 * Where the unlocked user was (the route, the forms with unsaved text, and how far down the screen),
 * kept in this tab's
 * sessionStorage, so that a reload or an unlock by the same person returns to the same place with
 * the form's draft open again. Someone else unlocking the shared phone starts from the list.
 *
 * Only ids are kept here (a route names a household or case by id; a form by its draft key; the
 * screen's place by a field's label, 「服薬」, and a scroll offset), never what a record says: the drafts themselves are encrypted in the vault. Closing the tab forgets it;
 * blocked storage only costs the convenience.
 */
import { useApp } from '../state/store';

const PLACE_KEY = 'kyoten:place';

export interface Place {
  readonly userId: string;
  readonly hash: string;
  /** draft keys of the forms that had unsaved text (use-form-draft) */
  readonly forms: readonly string[];
  /** how far down the route's screen they were when the phone locked or the page went away */
  readonly scroll?: ScrollPlace;
  /** when the phone locked (epoch ms): a place left long ago is not where the next call starts */
  readonly lockedAt?: number;
}

/**
 * Past this, an unlock by the same person starts from the list (its search) rather than the screen
 * they left: at 02:10 the phone opens on the night's search, not on the facility read at 19:00.
 * Forms with unsaved text, a case and its match (a call back may take long), and a link tapped
 * while locked still bring them where they were.
 */
export const PLACE_STALE_MS = 30 * 60_000;

/**
 * A place on a long screen: the topmost form field in view, named by its label and which of the
 * fields with that label it is (a household lists 電話番号 for each contact), and how far below
 * the screen's top it was; the scroll offset too, for a screen with no field in view.
 */
export interface ScrollPlace {
  readonly y: number;
  readonly field?: { readonly label: string; readonly nth: number; readonly top: number };
}

const isScrollPlace = (s: unknown): s is ScrollPlace => {
  if (typeof s !== 'object' || s === null) return false;
  const { y, field } = s as { y?: unknown; field?: { label?: unknown; nth?: unknown; top?: unknown } };
  if (typeof y !== 'number' || !Number.isFinite(y)) return false;
  return field === undefined || (typeof field.label === 'string' && Number.isInteger(field.nth) && typeof field.top === 'number' && Number.isFinite(field.top));
};

export function readPlace(): Place | null {
  try {
    const raw = sessionStorage.getItem(PLACE_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<Place>;
    if (typeof p.userId !== 'string' || typeof p.hash !== 'string' || !Array.isArray(p.forms)) return null;
    const forms = p.forms.filter((k): k is string => typeof k === 'string');
    return {
      userId: p.userId,
      hash: p.hash,
      forms,
      ...(isScrollPlace(p.scroll) ? { scroll: p.scroll } : {}),
      ...(typeof p.lockedAt === 'number' && Number.isFinite(p.lockedAt) ? { lockedAt: p.lockedAt } : {}),
    };
  } catch {
    return null;
  }
}

export function writePlace(place: Place): void {
  try {
    sessionStorage.setItem(PLACE_KEY, JSON.stringify(place));
  } catch {
    // Storage blocked or full: a reload starts from the list, as before.
  }
}

/** '#/' for the list; anything the hash router reads otherwise. */
const LIST = '#/';

/**
 * Called as the unlocked shell mounts, before its first render reads the route: the same user
 * returns to their place (and their unsaved forms reopen once); anyone else starts from the list.
 * Returns how far down the screen they were, when they return to the same screen.
 */
export function restorePlace(userId: string, now = Date.now()): ScrollPlace | null {
  const place = readPlace();
  const current = window.location.hash;
  if (place === null) return null; // the first unlock in this tab: whatever the URL says
  // Long locked, on a screen left as it was (not a link asked for while locked), not a case or its
  // match (a 折り返し may keep the coordinator waiting past it), with nothing typed: the list.
  const stale =
    place.lockedAt !== undefined &&
    now - place.lockedAt > PLACE_STALE_MS &&
    place.forms.length === 0 &&
    (current === '' || current === '#' || current === place.hash) &&
    !/^#\/(cases|match)\//.test(place.hash);
  if (place.userId !== userId || stale) {
    if (current && current !== LIST && current !== '#') window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${LIST}`);
    return null;
  }
  // A fresh page has no route (startApp drops it): the place is restored. A route that differs from
  // the place was asked for while locked (a link, a typed URL): it is kept.
  const fresh = current === '' || current === '#';
  if (fresh && place.hash) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${place.hash}`);
  // After an idle lock the store already knows the forms; after a reload only this tab does.
  const state = useApp.getState();
  if (state.resumeForms === null && place.forms.length > 0) {
    useApp.setState({ resumeForms: { userId, keys: new Set(place.forms) } });
  }
  return place.scroll && window.location.hash === place.hash ? place.scroll : null;
}

/**
 * Keeps the place up to date while unlocked: the route as it changes, the forms as they are typed
 * in; and, as the phone locks or the page goes away, how far down the screen the person was.
 */
export function trackPlace(): () => void {
  const save = (scroll?: ScrollPlace) => {
    const { session, unsaved } = useApp.getState();
    // Locked (or locking): the place of the one who just left stays as it was.
    if (!session) return;
    writePlace({ userId: session.user.id, hash: window.location.hash || LIST, forms: [...unsaved], ...(scroll ? { scroll } : {}) });
  };
  const onRoute = () => save();
  // A reload, or the phone closing the tab: the app opens locked and comes back here.
  const onLeave = () => save(scrollPlaceNow() ?? undefined);
  save();
  window.addEventListener('hashchange', onRoute);
  window.addEventListener('pagehide', onLeave);
  const unsubscribe = useApp.subscribe((s, prev) => {
    if (prev.session && !s.session) {
      // Locking: the screen is still drawn (React draws the lock screen after this), so where it
      // stands is read now, into the place the last save wrote for the one who locked.
      const place = readPlace();
      const scroll = scrollPlaceNow();
      if (place && place.userId === prev.session.user.id) {
        const here = place.hash === (window.location.hash || LIST);
        writePlace({ ...place, ...(scroll && here ? { scroll } : {}), lockedAt: Date.now() });
      }
      return;
    }
    if (s.unsaved !== prev.unsaved) save();
  });
  return () => {
    window.removeEventListener('hashchange', onRoute);
    window.removeEventListener('pagehide', onLeave);
    unsubscribe();
  };
}

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A field's label as the person reads it (its <label>, else aria-label), or null. */
function labelOf(field: Field): string | null {
  const text = field.labels?.[0]?.textContent ?? field.getAttribute('aria-label') ?? '';
  const label = text.replace(/\s+/g, ' ').trim();
  return label || null;
}

/**
 * The labelled fields on the screen, each with which of its label it is, in page order. Not
 * checkboxes nor radio buttons: their labels are the choices, and a choice can be a person (the
 * print sheet's 「印刷する方」, a caller picked from the contacts), whose name would then be kept
 * in clear in the session's storage. A form's own labels (氏名, 服薬) say nothing of anyone.
 */
function labelledFields(): { field: Field; label: string; nth: number }[] {
  const seen = new Map<string, number>();
  const out: { field: Field; label: string; nth: number }[] = [];
  for (const field of document.querySelectorAll<Field>('main input:not([type=checkbox]):not([type=radio]), main select, main textarea')) {
    const label = labelOf(field);
    if (label === null) continue;
    const nth = seen.get(label) ?? 0;
    seen.set(label, nth + 1);
    out.push({ field, label, nth });
  }
  return out;
}

/** Where the screen stands now (see ScrollPlace); null at its top. */
function scrollPlaceNow(): ScrollPlace | null {
  const y = Math.round(window.scrollY);
  if (y <= 0) return null;
  for (const { field, label, nth } of labelledFields()) {
    const box = field.getBoundingClientRect();
    // the first field whose top is on the screen (a field in a closed fold has no box)
    if (box.height > 0 && box.top >= 0 && box.top < window.innerHeight) return { y, field: { label, nth, top: Math.round(box.top) } };
  }
  return { y };
}

/** Long enough for a large vault to open and the screen to load its record; a person's touch ends it sooner. */
const RESTORE_WAIT_MS = 10_000;

/**
 * Brings the screen back to `place` as it is drawn: the same field at the same height, else the
 * same offset. Ends when the person touches, scrolls or types, when the route changes, or after a
 * while; the returned function ends it too.
 */
export function restoreScroll(place: ScrollPlace | null): () => void {
  if (place === null || place.y <= 0) return () => undefined;
  const hash = window.location.hash;
  let done = false;
  // Each time the screen's size changes (the record loads, a fold opens, the restored-draft notice
  // appears above) the place is set again: until the person touches, scrolls or types, or a while.
  const attempt = () => {
    if (done) return;
    if (window.location.hash !== hash) return stop();
    if (place.field) {
      const { label, nth, top } = place.field;
      const found = labelledFields().find((f) => f.label === label && f.nth === nth)?.field;
      const box = found?.getBoundingClientRect();
      if (box && box.height > 0) {
        if (Math.abs(box.top - top) > 1) window.scrollBy(0, box.top - top);
        return;
      }
      // the field is not drawn (yet, or its fold stays closed): the offset meanwhile
    }
    if (Math.abs(window.scrollY - place.y) > 1) window.scrollTo(0, place.y);
  };
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(attempt);
  observer?.observe(document.body);
  // `input` too: text put in without a key (an IME's, a paste, a dictation) is the person acting,
  // and a list that grew under it was scrolled back to the old place
  const inputs = ['wheel', 'touchstart', 'pointerdown', 'keydown', 'input'] as const;
  for (const type of inputs) window.addEventListener(type, stop, { capture: true, passive: true });
  window.addEventListener('hashchange', stop);
  const timer = setTimeout(stop, RESTORE_WAIT_MS);
  function stop() {
    if (done) return;
    done = true;
    observer?.disconnect();
    for (const type of inputs) window.removeEventListener(type, stop, { capture: true });
    window.removeEventListener('hashchange', stop);
    clearTimeout(timer);
  }
  attempt();
  return stop;
}
