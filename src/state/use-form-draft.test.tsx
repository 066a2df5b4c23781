/** A saved form's draft stays gone, even when an autosave was still being written as the form was saved. */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
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
});
