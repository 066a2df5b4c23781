/** A saved form's draft stays gone, even when an autosave was still being written as the form was saved. */
import { StrictMode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { installFakeLocks } from '../../test/factories/fake-locks';
import { useApp } from './store';
import { isNewRecordDraftKey, useFormDraft, useNewRecordDraftKey } from './use-form-draft';

afterEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});

describe('useFormDraft', () => {
  it('deletes the draft after an autosave that was under way when the form was saved, not before it lands', async () => {
    const session = createFakeSession();
    const save = session.saveDraft.bind(session);
    let release: () => void = () => undefined;
    // The autosave's write is slow (encryption, a busy disk): it lands after finish() began.
    session.saveDraft = async (key, value) => {
      await new Promise<void>((done) => (release = done));
      await save(key, value);
    };
    useApp.setState({ session, phase: 'unlocked' });
    const { result } = renderHook(() => useFormDraft('case-contact:c-1', { note: '折り返し待ち' }, true));

    let autosave!: Promise<void>;
    act(() => {
      autosave = result.current.flush();
    });
    let finished = false;
    const finish = result.current.finish().then(() => (finished = true));
    await Promise.resolve();
    expect(finished).toBe(false); // waits for the write under way
    release();
    await act(() => Promise.all([autosave, finish]));
    expect(session.drafts.has('case-contact:c-1')).toBe(false);
    expect(useApp.getState().unsaved.has('case-contact:c-1')).toBe(false);
  });

  it('writes what was typed at once when the page is hidden (the dialer, the home button), not 500 ms later', async () => {
    vi.useFakeTimers();
    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    try {
      const session = createFakeSession();
      useApp.setState({ session, phase: 'unlocked' });
      const { rerender } = renderHook(({ note }) => useFormDraft('case-contact:c-1', { note }, true), {
        initialProps: { note: '空床なし' },
      });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(600);
      });
      expect(session.drafts.get('case-contact:c-1')).toEqual({ note: '空床なし' });
      rerender({ note: '空床なし、明朝折り返し' });
      visibility.mockReturnValue('hidden');
      await act(async () => {
        document.dispatchEvent(new Event('visibilitychange'));
        // no time passes: a hidden page may be killed before any timer runs
        await Promise.resolve();
        await Promise.resolve();
      });
      expect(session.drafts.get('case-contact:c-1')).toEqual({ note: '空床なし、明朝折り返し' });
    } finally {
      visibility.mockRestore();
      vi.useRealTimers();
    }
  });

  it('marks the form while its autosave fails (a full phone), clears it once one lands, and a lock that loses the text says so', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const { result } = renderHook(() => useFormDraft('household:hh-1', { name: '佐藤 陽太' }, true));
    session.failNext('quota-exceeded');
    await act(() => result.current.flush().catch(() => undefined));
    expect(useApp.getState().draftFailing.has('household:hh-1')).toBe(true);
    await act(() => result.current.flush());
    expect(useApp.getState().draftFailing.size).toBe(0);

    session.failNext('quota-exceeded');
    await act(() => useApp.getState().lock('idle'));
    expect(useApp.getState().phase).toBe('locked');
    expect(useApp.getState().lockLostDrafts).toBe(true);
    expect(useApp.getState().draftFailing.size).toBe(0);
  });

  it('does not say a lock lost anything when every draft was saved', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    renderHook(() => useFormDraft('household:hh-1', { name: '佐藤 陽太' }, true));
    await act(() => useApp.getState().lock('idle'));
    expect(useApp.getState().lockLostDrafts).toBe(false);
    expect(session.drafts.get('household:hh-1')).toEqual({ name: '佐藤 陽太' });
  });

  it('leaves no warning behind once the form is gone, though its last write failed', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const { unmount } = renderHook(() => useFormDraft('household:hh-1', { name: '佐藤 陽太' }, true));
    session.failNext('quota-exceeded');
    await act(async () => {
      unmount();
      await Promise.resolve();
    });
    await act(() => new Promise<void>((done) => queueMicrotask(done)));
    expect(useApp.getState().draftFailing.size).toBe(0);
  });

  it('does not say a lock lost text when the form had nothing unsaved (a draft deleted late)', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    renderHook(() => useFormDraft('household:hh-1', { name: '佐藤 陽太' }, false));
    session.failNext('quota-exceeded');
    await act(() => useApp.getState().lock('idle'));
    expect(useApp.getState().lockLostDrafts).toBe(false);
  });
});

describe('useNewRecordDraftKey (new forms open in two tabs)', () => {
  const OWN = 'household:new:user-1';
  const ANOTHER_OWN = /^household:new-[0-9a-f-]{36}:user-1$/;
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function unlocked() {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    return session;
  }
  const openNewForm = (options: { wrapper?: typeof StrictMode } = {}) => renderHook(() => useNewRecordDraftKey('household', 'user-1'), options);

  it('gives a second new form open at once a draft of its own, and the first one\'s back once that form is closed', async () => {
    const fake = installFakeLocks();
    uninstall = fake.uninstall;
    unlocked();
    const tabA = openNewForm();
    await waitFor(() => expect(tabA.result.current).toBe(OWN));
    const tabB = openNewForm();
    await waitFor(() => expect(tabB.result.current).toMatch(ANOTHER_OWN));

    tabA.unmount();
    const tabC = openNewForm();
    await waitFor(() => expect(tabC.result.current).toBe(OWN));
    expect(tabB.result.current).toMatch(ANOTHER_OWN);
  });

  it('resumes the unsaved draft a closed second tab left, rather than leaving it behind', async () => {
    const fake = installFakeLocks();
    uninstall = fake.uninstall;
    const session = unlocked();
    await session.saveDraft('household:new-left-behind:user-1', { note: '鈴木 花子さんの聞き取り' });
    const form = openNewForm();
    await waitFor(() => expect(form.result.current).toBe('household:new-left-behind:user-1'));
  });

  it('keeps the form\'s own draft when StrictMode opens it twice in a row', async () => {
    const fake = installFakeLocks();
    uninstall = fake.uninstall;
    unlocked();
    const form = openNewForm({ wrapper: StrictMode });
    await waitFor(() => expect(form.result.current).toBe(OWN));
    expect([...fake.locks.held]).toEqual([`kyoten-draft:${OWN}`]);
  });

  it('shares one draft as before where the browser has no Web Locks', () => {
    unlocked();
    expect(openNewForm().result.current).toBe(OWN);
  });

  it('lets a closed form\'s draft go only once its last autosave has landed', async () => {
    const fake = installFakeLocks();
    uninstall = fake.uninstall;
    const session = unlocked();
    const save = session.saveDraft.bind(session);
    let land: () => void = () => undefined;
    session.saveDraft = async (key, value) => {
      await new Promise<void>((done) => (land = done));
      await save(key, value);
    };
    const tabA = renderHook(() => {
      const key = useNewRecordDraftKey('household', 'user-1');
      useFormDraft(key ?? OWN, key === null ? null : { note: '佐藤 陽太さん、服薬あり' }, true);
      return key;
    });
    await waitFor(() => expect(tabA.result.current).toBe(OWN));
    // closed while its last autosave is still being written
    tabA.unmount();
    const tabB = openNewForm();
    await act(() => new Promise((done) => setTimeout(done, 20)));
    expect(tabB.result.current).toBeNull();
    expect(fake.locks.held.has(`kyoten-draft:${OWN}`)).toBe(true);

    land();
    await waitFor(() => expect(tabB.result.current).toBe(OWN));
    expect(session.drafts.get(OWN)).toEqual({ note: '佐藤 陽太さん、服薬あり' });
  });

  it('knows every new household draft of the person unlocked, and only theirs', () => {
    const isNew = isNewRecordDraftKey('household', 'user-1');
    expect(isNew('household:new:user-1')).toBe(true);
    expect(isNew('household:new-3f1c2a9e-0d4b-4c55-9a51-7c2f5b1e8d20:user-1')).toBe(true);
    expect(isNew('household:new-3f1c2a9e-0d4b-4c55-9a51-7c2f5b1e8d20:user-2')).toBe(false);
    expect(isNew('household:new:user-2')).toBe(false);
    expect(isNew('household:hh-1:user-1')).toBe(false);
    expect(isNew('household-withdraw:new-x:user-1')).toBe(false);
    expect(isNew('facility:new:user-1')).toBe(false);
  });
});
