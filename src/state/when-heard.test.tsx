/**
 * 「いま（折り返しの電話・…）」 says the minute it saves: read again when the page is shown again (an
 * incoming call, the screen locked) and at each minute's turn, and the save is never a minute the
 * button did not say.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactBody } from '../../test/factories/emergency-case';
import { WhenHeard } from './when-heard';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const at2340 = '2026-11-30T14:40:00.000Z'; // 23:40 on 30 November, Japan time: the call, never answered

function ask() {
  const onNow = vi.fn<(at: string) => void>();
  render(
    <WhenHeard call={contactBody({ contactedAt: at2340, result: null })} result="受入可" stays="折り返し待ち" busy={false} onNow={onNow} onThen={() => {}} onBack={() => {}} />,
  );
  return { onNow, now: () => screen.getByRole('button', { name: /^いま（折り返しの電話・/ }) };
}

/** The page goes to the background (the phone rings, the screen locks) until `at`, then is shown again. */
function awayUntil(at: string, shown: 'visibilitychange' | 'pageshow' = 'visibilitychange') {
  const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
  act(() => void document.dispatchEvent(new Event('visibilitychange')));
  vi.setSystemTime(new Date(at));
  visibility.mockReturnValue('visible');
  // a page back from the back/forward cache is shown with a pageshow, and no visibilitychange
  act(() => void (shown === 'pageshow' ? window.dispatchEvent(new Event('pageshow')) : document.dispatchEvent(new Event('visibilitychange'))));
}

describe('「いま」 on the when-heard question', () => {
  it('says the new time when the page is shown again after a long absence, and saves that time (23:55 asked, 00:10 tapped: 1 December)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T14:55:00.000Z'));
    const { onNow, now } = ask();
    expect(now()).toHaveTextContent('いま（折り返しの電話・23:55）');
    awayUntil('2026-11-30T15:10:00.000Z');
    expect(now()).toHaveTextContent('いま（折り返しの電話・00:10）');
    fireEvent.click(now());
    expect(onNow).toHaveBeenCalledExactlyOnceWith('2026-11-30T15:10:00.000Z');
  });

  it('says it again on a page back from the back/forward cache (pageshow)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T14:55:00.000Z'));
    const { onNow, now } = ask();
    awayUntil('2026-11-30T15:10:00.000Z', 'pageshow');
    expect(now()).toHaveTextContent('いま（折り返しの電話・00:10）');
    fireEvent.click(now());
    expect(onNow).toHaveBeenCalledExactlyOnceWith('2026-11-30T15:10:00.000Z');
  });

  it('saves the tap itself within the minute shown, and the time shown when the label is a minute old (its redraw late)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T14:59:05.000Z')); // 23:59:05
    const { onNow, now } = ask();
    vi.setSystemTime(new Date('2026-11-30T14:59:40.000Z'));
    fireEvent.click(now());
    expect(onNow).toHaveBeenLastCalledWith('2026-11-30T14:59:40.000Z');
    // 00:00:02 and the label not yet redrawn: it said 23:59 on 30 November, and that is what is saved
    vi.setSystemTime(new Date('2026-11-30T15:00:02.000Z'));
    expect(now()).toHaveTextContent('いま（折り返しの電話・23:59）');
    fireEvent.click(now());
    expect(onNow).toHaveBeenLastCalledWith('2026-11-30T14:59:05.000Z');
  });

  it('moves to the next minute at its turn while the page stays shown, not up to a minute later', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T14:59:50.000Z')); // 23:59:50
    const { onNow, now } = ask();
    expect(now()).toHaveTextContent('いま（折り返しの電話・23:59）');
    act(() => void vi.advanceTimersByTime(10_000));
    expect(now()).toHaveTextContent('いま（折り返しの電話・00:00）');
    act(() => void vi.advanceTimersByTime(15_000));
    fireEvent.click(now());
    expect(onNow).toHaveBeenCalledExactlyOnceWith('2026-11-30T15:00:15.000Z');
  });
});
