/**
 * A tap on a facility's number tells the idle lock a call is starting (src/app/idle-lock.ts keeps
 * the app unlocked for that call's time in the dialer), whether or not the contact could be recorded.
 */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { takeCallStartedAt } from '../../state/phone-call';
import { useApp } from '../../state/store';
import { useCallRecorder } from './calls';

const initial = useApp.getState();

afterEach(() => {
  useApp.setState(initial, true);
  takeCallStartedAt();
});

describe('a call dialled from the match', () => {
  it('notes the call for the idle lock, with the tap', async () => {
    const appendCaseEntry = vi.fn(() => Promise.reject(new Error('no vault in this test')));
    useApp.setState({ appendCaseEntry });
    const { result } = renderHook(() => useCallRecorder('case-1'));
    expect(takeCallStartedAt()).toBeNull();

    const before = Date.now();
    await act(async () => result.current.record!(createFacility()));
    expect(appendCaseEntry).toHaveBeenCalledTimes(1);
    expect(takeCallStartedAt()).toBeGreaterThanOrEqual(before);
  });
});
