/**
 * Where the unlocked user was (the route, and the forms with unsaved text), kept in this tab's
 * sessionStorage, so that a reload or an unlock by the same person returns to the same place with
 * the form's draft open again. Someone else unlocking the shared phone starts from the list.
 *
 * Only ids are kept here (a route names a household or case by id; a form by its draft key), never
 * what a record says: the drafts themselves are encrypted in the vault. Closing the tab forgets it;
 * blocked storage only costs the convenience.
 */
import { useApp } from '../state/store';

const PLACE_KEY = 'kyoten:place';

export interface Place {
  readonly userId: string;
  readonly hash: string;
  /** draft keys of the forms that had unsaved text (use-form-draft) */
  readonly forms: readonly string[];
}

export function readPlace(): Place | null {
  try {
    const raw = sessionStorage.getItem(PLACE_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<Place>;
    if (typeof p.userId !== 'string' || typeof p.hash !== 'string' || !Array.isArray(p.forms)) return null;
    return { userId: p.userId, hash: p.hash, forms: p.forms.filter((k): k is string => typeof k === 'string') };
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
 */
export function restorePlace(userId: string): void {
  const place = readPlace();
  const current = window.location.hash;
  if (place === null) return; // the first unlock in this tab: whatever the URL says
  if (place.userId !== userId) {
    if (current && current !== LIST && current !== '#') window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${LIST}`);
    return;
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
}

/** Keeps the place up to date while unlocked: the route as it changes, the forms as they are typed in. */
export function trackPlace(): () => void {
  const save = () => {
    const { session, unsaved } = useApp.getState();
    // Locked (or locking): the place of the one who just left stays as it was.
    if (!session) return;
    writePlace({ userId: session.user.id, hash: window.location.hash || LIST, forms: [...unsaved] });
  };
  save();
  window.addEventListener('hashchange', save);
  const unsubscribe = useApp.subscribe((s, prev) => {
    if (s.unsaved !== prev.unsaved) save();
  });
  return () => {
    window.removeEventListener('hashchange', save);
    unsubscribe();
  };
}
