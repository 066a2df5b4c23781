/** A saved form's draft stays gone, even when an autosave was still being written as the form was saved. */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { useApp } from './store';
import { useFormDraft } from './use-form-draft';

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
