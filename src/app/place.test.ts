import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { PLACE_STALE_MS, readPlace, restorePlace, restoreScroll, trackPlace, writePlace } from './place';
import { useApp } from '../state/store';

beforeEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterEach(() => useApp.setState(useApp.getInitialState(), true));

/** What a reload does to the page: the store starts empty and the URL loses its record (app.tsx startApp). */
function reload() {
  useApp.setState(useApp.getInitialState(), true);
  window.history.replaceState(null, '', '/');
}

describe('the place of the unlocked user (route and open forms)', () => {
  it('returns the same person, after a reload, to the case they had open with its typed form reopening', () => {
    const session = createFakeSession({ id: 'night' });
    useApp.setState({ session, phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/cases/case-1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    useApp.getState().markUnsaved('case-outcome:case-1', true);
    stop();
    expect(readPlace()).toEqual({ userId: 'night', hash: '#/cases/case-1', forms: ['case-outcome:case-1'] });

    reload();
    expect(window.location.hash).toBe('');
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    restorePlace('night');
    expect(window.location.hash).toBe('#/cases/case-1');
    expect(useApp.getState().takeResumedForm('case-outcome:case-1')).toBe(true);
    // once only
    expect(useApp.getState().takeResumedForm('case-outcome:case-1')).toBe(false);
  });

  it('starts someone else who unlocks the shared phone from the list, with nothing reopened', () => {
    const session = createFakeSession({ id: 'evening' });
    useApp.setState({ session, phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/households/hh-1/edit';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    useApp.getState().markUnsaved('household:hh-1', true);
    stop();
    // an idle lock keeps the route in the URL
    useApp.setState({ session: createFakeSession({ id: 'night' }) });
    restorePlace('night');
    expect(window.location.hash).toBe('#/');
    expect(useApp.getState().takeResumedForm('household:hh-1')).toBe(false);
  });

  it('keeps the place of the one who locked: the lock itself writes nothing over it', async () => {
    const session = createFakeSession({ id: 'night' });
    useApp.setState({ session, phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/facilities/f-1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    useApp.getState().markUnsaved('facility:f-1', true);
    await useApp.getState().lock('manual');
    window.location.hash = '#/';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    stop();
    expect(readPlace()).toEqual({ userId: 'night', hash: '#/facilities/f-1', forms: ['facility:f-1'], lockedAt: expect.any(Number) });
  });

  it('opens on the list, not the screen left, when the same person unlocks after more than 30 minutes; a form with unsaved text still brings them back', async () => {
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/facilities/f-1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await useApp.getState().lock('manual');
    stop();
    const lockedAt = readPlace()!.lockedAt!;
    // back within 30 minutes (an idle lock during a call): the same screen
    expect(restorePlace('night', lockedAt + PLACE_STALE_MS)).toBeNull();
    expect(window.location.hash).toBe('#/facilities/f-1');
    // 02:10, the facility read at 19:00: the list and its search
    restorePlace('night', lockedAt + PLACE_STALE_MS + 1);
    expect(window.location.hash).toBe('#/');
    // a link tapped while locked is kept, however long after
    window.location.hash = '#/claims';
    restorePlace('night', lockedAt + PLACE_STALE_MS + 1);
    expect(window.location.hash).toBe('#/claims');
    // an open case waiting for a call back is where they come back to
    writePlace({ userId: 'night', hash: '#/cases/case-1', forms: [], lockedAt });
    window.location.hash = '#/cases/case-1';
    restorePlace('night', lockedAt + 2 * PLACE_STALE_MS);
    expect(window.location.hash).toBe('#/cases/case-1');

    // a household half typed at 19:00 is still where they come back to
    window.location.hash = '#/households/hh-1/edit';
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    const again = trackPlace();
    useApp.getState().markUnsaved('household:hh-1', true);
    await useApp.getState().lock('manual');
    again();
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    restorePlace('night', readPlace()!.lockedAt! + 7 * 3_600_000);
    expect(window.location.hash).toBe('#/households/hh-1/edit');
    expect(useApp.getState().takeResumedForm('household:hh-1')).toBe(true);
  });

  it('keeps a route asked for while locked (a link), instead of the place', () => {
    const session = createFakeSession({ id: 'night' });
    useApp.setState({ session, phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/settings';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    stop();
    window.location.hash = '#/claims';
    restorePlace('night');
    expect(window.location.hash).toBe('#/claims');
  });

  it('remembers how far down the screen the one who locked was, and gives it back to them only, on the same screen', () => {
    const session = createFakeSession({ id: 'night' });
    useApp.setState({ session, phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/households/hh-1/edit';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    Object.defineProperty(window, 'scrollY', { value: 2400, configurable: true });
    try {
      useApp.setState({ session: null, phase: 'locked' });
    } finally {
      Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
    }
    stop();
    expect(readPlace()?.scroll).toEqual({ y: 2400 });
    expect(restorePlace('evening')).toBeNull();
    window.location.hash = '#/households/hh-1/edit';
    expect(restorePlace('night')).toEqual({ y: 2400 });
    // a route asked for while locked is another screen: it opens at its top
    window.location.hash = '#/settings';
    expect(restorePlace('night')).toBeNull();
  });

  it('remembers it when the page goes away unlocked (a reload), and forgets it on the next route', () => {
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/cases/case-1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    Object.defineProperty(window, 'scrollY', { value: 800, configurable: true });
    try {
      window.dispatchEvent(new Event('pagehide'));
    } finally {
      Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
    }
    expect(readPlace()?.scroll).toEqual({ y: 800 });
    window.location.hash = '#/settings';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(readPlace()?.scroll).toBeUndefined();
    stop();
  });

  it('keeps a form\'s own label as the place, never a choice\'s, which can be a person\'s name (the print sheet\'s 「印刷する方」)', () => {
    const main = document.createElement('main');
    main.innerHTML = '<label><input type="checkbox"> <span>山田 花子</span></label><label>服薬 <textarea></textarea></label>';
    document.body.append(main);
    const box = (top: number) => () => ({ top, height: 24, bottom: top + 24, left: 0, right: 100, width: 100, x: 0, y: top, toJSON: () => ({}) }) as DOMRect;
    main.querySelector('input')!.getBoundingClientRect = box(10);
    main.querySelector('textarea')!.getBoundingClientRect = box(60);
    useApp.setState({ session: createFakeSession({ id: 'night' }), phase: 'unlocked' });
    const stop = trackPlace();
    window.location.hash = '#/households/hh-1/print';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    Object.defineProperty(window, 'scrollY', { value: 300, configurable: true });
    try {
      useApp.setState({ session: null, phase: 'locked' });
    } finally {
      Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
      stop();
      main.remove();
    }
    expect(readPlace()?.scroll).toEqual({ y: 300, field: { label: '服薬', nth: 0, top: 60 } });
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('山田');
  });

  it('reads a stored place whose scroll is not one as having none', () => {
    sessionStorage.setItem('kyoten:place', JSON.stringify({ userId: 'night', hash: '#/', forms: [], scroll: { y: 'far', field: null } }));
    expect(readPlace()).toEqual({ userId: 'night', hash: '#/', forms: [] });
  });
});

describe('the scroll given back after a reload', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('stops at text put in without a key (an IME, a paste): the list that grew under it is not scrolled back', () => {
    let resized: () => void = () => undefined;
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          resized = callback;
        }
        observe() {}
        disconnect() {}
      },
    );
    const scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    const stop = restoreScroll({ y: 28 });
    expect(scrollTo).toHaveBeenCalledTimes(1);
    // the screen grows while it loads: the place is set again
    resized();
    expect(scrollTo).toHaveBeenCalledTimes(2);
    // 「さとう」 put in the search by the IME: the person acts, the screen is theirs
    document.body.dispatchEvent(new Event('input', { bubbles: true }));
    resized();
    expect(scrollTo).toHaveBeenCalledTimes(2);
    stop();
  });
});
