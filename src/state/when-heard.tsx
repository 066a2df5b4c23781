/**
 * 「…と聞いたのはいつですか？」, asked on the match's cards and on the case screen's calls when a
 * 受入可 or 受入不可 is chosen long after the call (emergency-case.ts asksWhenHeard): heard on the
 * call, or now, on the facility's call back. The time the facility was reached is the claim's
 * 連絡・調整を行った時刻 and decides its month, so both screens ask it the same way, in the same words.
 */
import { useEffect, useRef, useState } from 'react';
import { CALL_BACK_NOTE, type ContactBody, type ContactResult } from '../domain/emergency-case';
import { formatJapanDateTime } from '../domain/japan-time';
import { Button } from '../ui/button';
import { refocusWhenLost } from '../ui/focus-lost';
import { T } from './text';

/** 「23:50」 in Japan time */
const hhmm = (at: Date | string) => formatJapanDateTime(at).slice(-5);

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
  /** heard now, on the facility's call back */
  onNow: () => void;
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
  const [shownAt] = useState(() => new Date());
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
          <Button variant="primary" className="btn--block" disabled={busy} onClick={onNow}>
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
        <Button variant="primary" className="btn--block" disabled={busy} onClick={onNow}>
          {T.whenNow(hhmm(shownAt))}
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
