/**
 * The calls of a case, made where the facilities are: a tap on a number records the contact; the
 * card then asks for the result right there (four equal buttons: 受入可 ends the search, so it is
 * not the easiest to hit by mistake). Called facilities move to 電話済み (called-group.tsx).
 * A 受入可 or 受入不可 chosen long after the tap asks when it was heard (state/when-heard.tsx).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CaseEntryRejected, useApp } from '../../state/store';
import { useCaseAppend as useSharedCaseAppend } from '../../state/use-case-append';
import { foldOnce } from '../../state/folded-cases';
import {
  CONTACT_RESULTS,
  asksWhenHeard,
  heardOnCallBack,
  type ContactBody,
  type ContactResult,
  type Current,
  type EmergencyCase,
  type EntryBody,
} from '../../domain/emergency-case';
import type { Facility } from '../../domain/facility';
import type { IsoInstant } from '../../domain/household';
import { formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { bringIntoView } from '../../ui/scroll';
import { announce } from '../../ui/announce';
import { refocusWhenLost } from '../../ui/focus-lost';
import { noteCallStarted } from '../../state/phone-call';
import { DraftRestored, useCancelAsking, useDraftedForm } from '../../state/use-drafted-form';
import { WhenHeard, useHalfWrittenCallBack } from '../../state/when-heard';
import { T } from './text';

/** The case the match records in, folded from the store's chain; null while unknown or unreadable. */
export function useRecordingCase(caseId: string | null): EmergencyCase | null {
  const entries = useApp((s) => (caseId ? s.caseEntries.get(caseId) : undefined));
  // null for a chain that is not a case this screen can record in; the case screen says why
  return !entries || entries.length === 0 ? null : foldOnce(entries);
}

/**
 * Each facility's calls in the case, in the order they were made (the case's contacts are sorted by
 * contactedAt): a facility called three times is one card with three calls, each with its own time
 * and result. Places typed in by hand on the case screen (no facility id) are not on the match.
 */
export function callsByFacility(kase: EmergencyCase | null): Map<string, Current<ContactBody>[]> {
  const calls = new Map<string, Current<ContactBody>[]>();
  if (!kase) return calls;
  for (const c of kase.contacts) {
    if (c.body.facilityId === null) continue;
    const list = calls.get(c.body.facilityId);
    if (list) list.push(c);
    else calls.set(c.body.facilityId, [c]);
  }
  return calls;
}

const failed = () => T.saveFailed;

/** Appending one entry from the match (useCaseAppend), its failure in this screen's words. */
export function useCaseAppend(caseId: string) {
  return useSharedCaseAppend(caseId, failed);
}

export function Errors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="match-errors" role="alert">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/**
 * After a result or a correction the buttons pressed are gone: the focus goes to the card's
 * 「入所を記録」 (a 受入可, the next step) or else its name, not to the top of the page.
 */
export function refocusCard(card: Element | null): void {
  refocusWhenLost(() => (card?.isConnected ? (card.querySelector('.match-called__admit') ?? card.querySelector('.match-called__name')) : null));
}

/**
 * The four results of a call, one tap each, all alike. A 受入可 or 受入不可 chosen over ten minutes
 * after the tap asks when it was heard: on the call (its result, as always), or now, on the
 * facility's call back: then the call back is recorded at this minute with the result, and the
 * call, whose result was never chosen, is 折り返し待ち (it was answered by the call back).
 */
export function ResultButtons({ caseId, call, officeNumber, onDone }: { caseId: string; call: Current<ContactBody>; officeNumber?: string; onDone?: () => void }) {
  const { append, errors, busy } = useCaseAppend(caseId);
  const [asking, setAsking] = useState<ContactResult | null>(null);
  const box = useRef<HTMLDivElement>(null);
  // the call back written (with this result), the call's 折り返し待ち not: only what is missing is
  // offered, and written, again. Read from the case, so a lock or a reload in between forgets nothing.
  const { calledBack, writing } = useHalfWrittenCallBack(caseId, call);
  const name = call.body.facilityName;
  const written = (r: ContactResult, card: Element | null) => {
    // the buttons go with the written result: said, for whoever cannot see the card move
    announce(T.resultRecorded(name, r));
    refocusCard(card);
    onDone?.();
  };
  const card = () => box.current?.closest('article') ?? null;
  async function onCall(r: ContactResult) {
    // the card, found now: once the result is written the button is out of the page
    const at = card();
    if (await append({ type: 'result', contact: call.entryId, result: r, note: '' })) written(r, at);
  }
  /** `at`: the minute 「いま」 showed (WhenHeard) */
  function onCallBack(r: ContactResult, at: IsoInstant) {
    const el = card();
    return writing(async () => {
      const [callBack, answered] = heardOnCallBack(call, r, at, officeNumber);
      if (calledBack === null && !(await append(callBack))) return;
      if (answered !== undefined && !(await append(answered))) return;
      written(r, el);
    });
  }
  const asked = calledBack ?? asking;
  return (
    <div ref={box}>
      {asked === null ? (
        <div className="match-results" role="group" aria-label={T.resultAsk(name)}>
          {CONTACT_RESULTS.map((r) => (
            <Button
              key={r}
              variant="secondary"
              className="match-results__btn"
              disabled={busy}
              onClick={() => {
                if (asksWhenHeard(call.body, r, new Date())) setAsking(r);
                else void onCall(r);
              }}
            >
              {r}
            </Button>
          ))}
        </div>
      ) : (
        <WhenHeard
          call={call.body}
          result={asked}
          stays="折り返し待ち"
          busy={busy}
          retryOnly={calledBack !== null}
          onNow={(at) => void onCallBack(asked, at)}
          onThen={() => void onCall(asked)}
          onBack={() => {
            setAsking(null);
            refocusWhenLost(() => box.current?.querySelector('.match-results__btn'));
          }}
        />
      )}
      <Errors errors={errors} />
    </div>
  );
}

/**
 * 「結果を訂正」: the call's result chosen again with the reason, recorded as a correction of the
 * call (the first result stays in the evidence, shown with 訂正あり and why, as on the case screen).
 * The result it has now is not offered: choosing it again would correct nothing. A 不在 or
 * 折り返し待ち made 受入可 or 受入不可 over ten minutes after the call asks when it was heard: then
 * (the correction) or now, on the facility's call back, which is a new contact at this minute, not
 * a correction: the call's 不在 was right, and no reason is asked for.
 */
export function CorrectResult({ caseId, call, officeNumber, onDone }: { caseId: string; call: Current<ContactBody>; officeNumber?: string; onDone: () => void }) {
  const { append, errors, busy } = useCaseAppend(caseId);
  // The reason is kept as a draft, as the case screen's correction dialog keeps it: a lock in the
  // middle (the phone left on the desk while the facility is asked) does not lose it, and 「結果を訂正」
  // on the same call after the unlock brings it back.
  const { form: reason, setForm: setReason, dirty, restored, finish, discard } = useDraftedForm(correctionDraftKey(caseId, call.entryId), '');
  const [missing, setMissing] = useState(false);
  const [asking, setAsking] = useState<ContactResult | null>(null);
  const { ref, failed: focusInvalid } = useFocusInvalidOnFail<HTMLDivElement>();
  // a reason typed is asked about before キャンセル throws it away; the focus goes back to the card
  const { cancel, question } = useCancelAsking(dirty, finish, () => {
    refocusCard(ref.current?.closest('article') ?? null);
    onDone();
  });
  const name = call.body.facilityName;
  async function written(said: string, card: Element | null) {
    announce(said);
    refocusCard(card);
    await finish();
    onDone();
  }
  function correct(result: ContactResult) {
    if (reason.trim() === '') {
      setMissing(true);
      focusInvalid();
      return;
    }
    const card = ref.current?.closest('article') ?? null;
    void append({ type: 'correction', corrects: call.entryId, reason: reason.trim(), replacement: { ...call.body, result } }).then(async (ok) => {
      if (ok) await written(T.resultCorrected(name, result), card);
    });
  }
  function calledBack(result: ContactResult, at: IsoInstant) {
    const card = ref.current?.closest('article') ?? null;
    // the call already had its result (不在): the call back alone, nothing corrected
    void append(heardOnCallBack(call, result, at, officeNumber)[0]).then(async (ok) => {
      if (ok) await written(T.resultRecorded(name, result), card);
    });
  }
  function choose(result: ContactResult) {
    if (asksWhenHeard(call.body, result, new Date())) setAsking(result);
    else correct(result);
  }
  return (
    <div ref={ref}>
      {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
      <TextField
        label={T.correctReason}
        required
        autoFocus
        value={reason}
        error={missing && reason.trim() === '' ? T.correctReasonMissing : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {asking === null || call.body.result === null ? (
        <div className="match-results" role="group" aria-label={T.correctAsk(name)}>
          {CONTACT_RESULTS.filter((r) => r !== call.body.result).map((r) => (
            <Button key={r} variant="secondary" className="match-results__btn" disabled={busy} onClick={() => choose(r)}>
              {r}
            </Button>
          ))}
        </div>
      ) : (
        <WhenHeard
          call={call.body}
          result={asking}
          stays={call.body.result}
          busy={busy}
          onNow={(at) => calledBack(asking, at)}
          onThen={() => correct(asking)}
          onBack={() => {
            setAsking(null);
            refocusWhenLost(() => ref.current?.querySelector('.match-results__btn'));
          }}
        />
      )}
      <Errors errors={errors} />
      <Button variant="ghost" onClick={cancel}>
        {T.cancel}
      </Button>
      {question}
    </div>
  );
}

/** One draft per corrected call: 「結果を訂正」 on the same call after an unlock brings the reason back. */
function correctionDraftKey(caseId: string, entryId: string): string {
  return `match-correction:${caseId}:${entryId}`;
}

/** How recent a call's card is brought into view when it appears: the tap that made it, not one found on opening the screen. */
const JUST_CALLED_MS = 60_000;

/** On a card just dialled (or called back): when the call was recorded, and its result to choose. */
export function PendingCall({ caseId, call, officeNumber }: { caseId: string; call: Current<ContactBody>; officeNumber?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const line = useRef<HTMLParagraphElement>(null);
  // A call just made moves its card up to 電話済み: back from the dialer, the coordinator meets its
  // result buttons, not the next facility (a card further down the list left them above the screen).
  useEffect(() => {
    if (Date.now() - Date.parse(call.body.contactedAt) > JUST_CALLED_MS) return;
    // only when it is off the screen: a card already in view stays where the thumb is
    bringIntoView(box.current, 'nearest');
    // The number tapped (or 「折り返しがあった」) left with the card's move: the focus comes here, and a
    // screen reader says the line, the result buttons next (a line drawn with its words is not heard).
    refocusWhenLost(() => line.current);
    // once, when the card appears for this call
  }, [call.entryId]);
  return (
    <div className="match-pending" ref={box}>
      <p className="match-pending__line" role="status" ref={line}>
        {T.calledAt(formatJapanDateTime(call.body.contactedAt).slice(-5))}
      </p>
      {call.body.note.trim() !== '' ? <p className="match-called__note">{call.body.note}</p> : null}
      <ResultButtons caseId={caseId} call={call} officeNumber={officeNumber} />
    </div>
  );
}

/** Tapping a number with a case open records the contact at once; the tel: link still opens the dialer. */
export function useCallRecorder(caseId: string | null) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [message, setMessage] = useState<string | null>(null);
  // A double tap on a number is one call: a second tap on the same facility while the first is
  // being written records nothing more (it was a second empty call to answer or withdraw). Once
  // written, the card has moved to 電話済み, its numbers there until the result is given.
  const writing = useRef(new Set<string>());
  const record = useMemo(
    () =>
      caseId === null
        ? null
        : (facility: Facility) => {
            if (writing.current.has(facility.id)) return;
            writing.current.add(facility.id);
            noteCallStarted();
            const name = facility.name.trim() || facility.id;
            appendCaseEntry(caseId, {
              type: 'contact',
              facilityId: facility.id,
              facilityName: name,
              facilityOfficeNumber: facility.officeNumber,
              shortStay: true,
              contactedAt: new Date().toISOString(),
              method: '電話',
              result: null,
              note: '',
            })
              .then(
                () => setMessage(null),
                (err: unknown) => setMessage(err instanceof CaseEntryRejected ? err.messages.join(' ') : T.callNotRecorded),
              )
              .finally(() => writing.current.delete(facility.id));
          },
    [caseId, appendCaseEntry],
  );
  return { record, message };
}
