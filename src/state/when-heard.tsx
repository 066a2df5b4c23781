/**
 * 「…と聞いたのはいつですか？」, asked on the match's cards and on the case screen's calls when a
 * 受入可 or 受入不可 is chosen long after the call (emergency-case.ts asksWhenHeard): heard on the
 * call, or now, on the facility's call back. The time the facility was reached is the claim's
 * 連絡・調整を行った時刻 and decides its month, so both screens ask it the same way, in the same words.
 * Here too the clock such a button shows and saves (useShownNow, also the match's 「…に入所（…）」),
 * and the answer written halfway, read from the case (useHalfWrittenCallBack).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CALL_BACK_NOTE,
  halfWrittenCallBack,
  type ContactBody,
  type ContactResult,
  type Current,
} from '../domain/emergency-case';
import type { IsoInstant } from '../domain/household';
import { formatJapanDateTime } from '../domain/japan-time';
import { Button } from '../ui/button';
import { refocusWhenLost } from '../ui/focus-lost';
import { foldOnce } from './folded-cases';
import { useApp } from './store';
import { T } from './text';

/** 「23:50」 in Japan time */
const hhmm = (at: Date | string) => formatJapanDateTime(at).slice(-5);

/** Japan time has no summer time and a whole-hour offset: its minutes turn with the epoch's. */
const MINUTE_MS = 60_000;
const sameMinute = (a: Date, b: Date) => Math.floor(a.getTime() / MINUTE_MS) === Math.floor(b.getTime() / MINUTE_MS);

/**
 * The time a button says it saves (「いま（折り返しの電話・00:30）」, 「あおば荘 に入所（…）」), and the
 * instant its tap saves. Read again when the page is shown again (visibilitychange, and pageshow for
 * a page back from the back/forward cache: the question drawn at 23:55, the phone in a pocket until
 * 00:10) and at each minute's turn while it stays shown, so the label is the minute of the tap.
 * `at()` is the tap itself when it falls in the minute shown, else the instant the label was read
 * (a timer late, the tap in the second before the label moved): a minute the label did not say is
 * never saved, and the stay's first day or the claim's month never differ from what was read.
 */
export function useShownNow(): { shown: Date; at: () => Date } {
  const [shown, setShown] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      clearTimeout(timer);
      const now = new Date();
      setShown(now);
      timer = setTimeout(read, MINUTE_MS - (now.getTime() % MINUTE_MS));
    };
    const onShow = () => {
      if (document.visibilityState === 'visible') read();
    };
    timer = setTimeout(read, MINUTE_MS - (Date.now() % MINUTE_MS));
    document.addEventListener('visibilitychange', onShow);
    window.addEventListener('pageshow', onShow);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('pageshow', onShow);
    };
  }, []);
  const at = () => {
    const now = new Date();
    return sameMinute(now, shown) ? now : shown;
  };
  return { shown, at };
}

/**
 * The result of the call back a 「いま」 wrote for `call` when the call's 折り返し待ち was not written
 * (emergency-case.ts halfWrittenCallBack), read from the case as stored: after a lock, a reload or
 * another screen, only 「記録を続ける」 is offered for it. Null for any other call, and while
 * `writing` runs the two entries of a 「いま」: between the first write and the second the stored case
 * is halfway by design, and 「記録を続ける」 with its failure line flashed up on every success.
 */
export function useHalfWrittenCallBack(
  caseId: string,
  call: Current<ContactBody>,
): { readonly calledBack: ContactResult | null; readonly writing: (write: () => Promise<void>) => Promise<void> } {
  const entries = useApp((s) => s.caseEntries.get(caseId));
  const [underWay, setUnderWay] = useState(false);
  const writing = useCallback(async (write: () => Promise<void>) => {
    setUnderWay(true);
    try {
      await write();
    } finally {
      setUnderWay(false);
    }
  }, []);
  if (underWay || call.body.result !== null || entries === undefined || entries.length === 0) return { calledBack: null, writing };
  const kase = foldOnce(entries);
  return { calledBack: kase === null ? null : halfWrittenCallBack(kase.contacts, call), writing };
}

/**
 * Two large buttons, 「いま（折り返しの電話）」 first and filled (over ten minutes on, the answer
 * most often came on a call back: ASK_WHEN_HEARD_AFTER_MS), and the time of the call (or of the
 * earlier call back it was); 「結果を選び直す」 goes back. The focus comes to the question: the
 * result button tapped is gone.
 */
export function WhenHeard({
  call,
  result,
  stays,
  busy,
  onNow,
  onThen,
  onBack,
  retryOnly = false,
}: {
  call: ContactBody;
  result: ContactResult;
  /** the result the call keeps when 「いま」 is chosen */
  stays: ContactResult;
  busy: boolean;
  /** heard now, on the facility's call back: at the instant the button showed (useShownNow) */
  onNow: (at: IsoInstant) => void;
  /** heard on the call */
  onThen: () => void;
  onBack: () => void;
  /**
   * The call back is written with `result`, the call's 折り返し待ち is not: only 「記録を続ける」
   * (onNow again, which writes what is missing). Another result, or 「電話をかけたとき」, would
   * leave the call back saying one thing and the call another.
   */
  retryOnly?: boolean;
}) {
  const ask = useRef<HTMLParagraphElement>(null);
  const clock = useShownNow();
  useEffect(() => {
    refocusWhenLost(() => ask.current);
  }, []);
  const then = hhmm(call.contactedAt);
  const isCallBack = call.note.startsWith(CALL_BACK_NOTE);
  if (retryOnly) {
    return (
      <div role="group" aria-label={T.whenAsk(result)}>
        <p ref={ask}>
          <strong>{T.whenRetryLine}</strong>
        </p>
        <div className="form-actions">
          <Button variant="primary" className="btn--block" disabled={busy} onClick={() => onNow(clock.at().toISOString())}>
            {T.whenRetry}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div role="group" aria-label={T.whenAsk(result)}>
      <p ref={ask}>
        <strong>{T.whenAsk(result)}</strong>
      </p>
      <div className="form-actions">
        <Button variant="primary" className="btn--block" disabled={busy} onClick={() => onNow(clock.at().toISOString())}>
          {T.whenNow(hhmm(clock.shown))}
        </Button>
        <Button variant="secondary" className="btn--block" disabled={busy} onClick={onThen}>
          {isCallBack ? T.whenCalledBack(then) : T.whenCalled(then)}
        </Button>
      </div>
      <p className="muted">{T.whenStays(then, stays, result)}</p>
      <Button variant="ghost" disabled={busy} onClick={onBack}>
        {T.whenBack}
      </Button>
    </div>
  );
}
