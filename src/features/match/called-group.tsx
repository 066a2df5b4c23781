/**
 * 電話済み: each facility called in this case, once, with every call made to it (its own time and
 * result: a 23:50 不在 stays 不在 when the facility says 受入可 at 00:20). Under 「電話・訂正」 a
 * facility is called again (a tap on its number records a new call, as the first one did) or its
 * call back is recorded (「折り返しがあった」: a new contact at this minute, its result asked for like
 * a call made); a result is corrected with a new entry, nothing is changed in place; a 受入可
 * offers 「入所を記録」, with the closing in the same step.
 */
import { useRef, useState } from 'react';
import { facilitiesAwaitingCallBack } from '../../domain/call-backs';
import { standingOutcomes } from '../../domain/case-fold';
import { callBackOf, type ContactBody, type ContactResult, type Current, type EmergencyCase } from '../../domain/emergency-case';
import type { Facility } from '../../domain/facility';
import { formatJapanDateTime } from '../../domain/japan-time';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { refocusWhenLost } from '../../ui/focus-lost';
import { navigate } from '../../state/router';
import { useShownNow } from '../../state/when-heard';
import { Button } from '../../ui/button';
import { CallLinks, type OnCall } from './call-links';
import { CorrectResult, Errors, PendingCall, useCaseAppend } from './calls';
import { matchPaths } from './match-route';
import { T } from './text';

/** One facility's calls in the case, oldest first. */
export interface FacilityCalls {
  readonly facilityId: string;
  readonly calls: readonly Current<ContactBody>[];
}

const timeOf = (c: Current<ContactBody>) => formatJapanDateTime(c.body.contactedAt).slice(-5);

export function CalledGroup({
  kase,
  groups,
  facilities,
  onCall,
  now,
}: {
  kase: EmergencyCase;
  /** in the order of each facility's last call: the one just dialled last, its result buttons in reach */
  groups: readonly FacilityCalls[];
  facilities: ReadonlyMap<string, Facility>;
  onCall: OnCall;
  now: Date;
}) {
  if (groups.length === 0) return null;
  return (
    <section className="match-called" aria-labelledby="match-called">
      <h2 className="section__title" id="match-called">
        {T.calledTitle(groups.length)}
      </h2>
      <ul className="match-list">
        {groups.map((g) => (
          <li key={g.facilityId}>
            <CalledCard kase={kase} calls={g.calls} facility={facilities.get(g.facilityId)} onCall={onCall} now={now} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One facility's card. Folded, it is one line (name, each call's result and time, 「電話・訂正」), so
 * the facilities not yet called stay on the first screen at 360 px; unfolded, each call has its
 * 「結果を訂正」 and the facility can be called again or its call back recorded. A call waiting for
 * its result, and 「入所を記録」 after a 受入可, are never folded away.
 */
function CalledCard({
  kase,
  calls,
  facility,
  onCall,
  now,
}: {
  kase: EmergencyCase;
  calls: readonly Current<ContactBody>[];
  facility: Facility | undefined;
  onCall: OnCall;
  now: Date;
}) {
  // Unfolded for the calls there were when it was opened: a new call folds it again.
  const [openedWith, setOpenedWith] = useState<number | null>(null);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const latest = calls.at(-1)!;
  const name = latest.body.facilityName;
  const closed = kase.closedAt !== null;
  const pending = calls.some((c) => c.body.result === null);
  const yes = [...calls].reverse().find((c) => c.body.result === '受入可');
  // Two phones' outcomes not settled (在宅で対応 on one, this admission on the other): marked 入所 in
  // neither read order, and 「入所を記録」 stays offered, recording it again settles it.
  const standing = standingOutcomes(kase);
  const admitted = !standing.unsettled && standing.outcomes.some((o) => o.outcome.body.facilityId === latest.body.facilityId && o.outcome.body.outcome === '短期入所');
  const idle = !closed && !pending && correcting === null && !admitting;
  const unfolded = !closed && !pending && openedWith === calls.length;
  const answered = calls.filter((c) => c.body.result !== null);
  const kind = pending ? 'pending' : yes ? 'yes' : 'other';
  const card = useRef<HTMLElement>(null);
  // 「入所を記録」 is replaced by its panel, and the panel by it again on 取消: the focus follows
  const admit = (on: boolean) => {
    setAdmitting(on);
    refocusWhenLost(() => card.current?.querySelector(on ? '.match-admit p, .match-admit input' : '.match-called__admit'));
  };
  return (
    <article ref={card} className={`match-called__card match-called__card--${kind}`} aria-label={name}>
      <div className="match-called__line">
        <p className="match-called__what">
          <span className="match-called__name">{name}</span>
          {unfolded || pending ? null : answered.map((c) => <CallSummary key={c.entryId} call={c} />)}
          {admitted ? <span className="match-called__admitted">{T.admittedHere}</span> : null}
        </p>
        {idle ? (
          <Button variant="ghost" className="match-called__fix" aria-expanded={unfolded} onClick={() => setOpenedWith(unfolded ? null : calls.length)}>
            {unfolded ? T.fold : T.unfold}
          </Button>
        ) : null}
      </div>
      {unfolded || pending ? (
        <ul className="match-called__calls" aria-label={T.callsOf(name)}>
          {calls.map((c) => (
            <li key={c.entryId}>
              {c.body.result === null ? (
                closed ? (
                  <p className="match-called__result">{T.calledResult(T.resultPendingClosed, timeOf(c))}</p>
                ) : (
                  <PendingCall caseId={kase.id} call={c} officeNumber={facility?.officeNumber} />
                )
              ) : unfolded ? (
                <AnsweredCall
                  kase={kase}
                  call={c}
                  officeNumber={facility?.officeNumber}
                  result={c.body.result}
                  correcting={correcting === c.entryId}
                  canCorrect={correcting === null && !admitting}
                  onCorrect={(on) => setCorrecting(on ? c.entryId : null)}
                />
              ) : (
                <CallSummary call={c} />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {idle && yes && !admitted ? (
        <Button variant="primary" className="match-called__admit" onClick={() => admit(true)}>
          {T.recordAdmission}
        </Button>
      ) : null}
      {admitting && yes ? <AdmissionPanel kase={kase} call={yes} facility={facility} onCancel={() => admit(false)} /> : null}
      {unfolded && idle ? <CallAgain kase={kase} latest={latest} facility={facility} onCall={onCall} now={now} /> : null}
    </article>
  );
}

/** A call's result and time on the folded card (its note, e.g. 「事業所からの折り返し」, shows unfolded). */
function CallSummary({ call }: { call: Current<ContactBody> }) {
  return <span className="match-called__result">{T.calledResult(call.body.result ?? T.resultPendingClosed, timeOf(call))}</span>;
}

function AnsweredCall({
  kase,
  call,
  officeNumber,
  result,
  correcting,
  canCorrect,
  onCorrect,
}: {
  kase: EmergencyCase;
  call: Current<ContactBody>;
  /** the facility's 事業所番号 as held now, for a call back recorded from 「結果を訂正」 */
  officeNumber: string | undefined;
  result: ContactResult;
  correcting: boolean;
  canCorrect: boolean;
  onCorrect: (on: boolean) => void;
}) {
  const note = call.body.note.trim();
  return (
    <>
      <div className="match-called__line">
        <p className="match-called__what">
          <span className="match-called__result">{T.calledResult(result, timeOf(call))}</span>
          {note !== '' ? <span className="match-called__note">{note}</span> : null}
        </p>
        {canCorrect ? (
          <Button variant="ghost" className="match-called__fix" onClick={() => onCorrect(true)}>
            {T.correctResult}
          </Button>
        ) : null}
      </div>
      {correcting ? (
        <>
          <p className="match-called__hint">{T.correctHint}</p>
          <CorrectResult caseId={kase.id} call={call} officeNumber={officeNumber} onDone={() => onCorrect(false)} />
        </>
      ) : null}
    </>
  );
}

/**
 * The numbers again (a tap records a new call with its own time) and 「折り返しがあった」: the
 * facility calls back, a new contact at this minute whose result is then chosen like a call made.
 */
function CallAgain({
  kase,
  latest,
  facility,
  onCall,
  now,
}: {
  kase: EmergencyCase;
  latest: Current<ContactBody>;
  facility: Facility | undefined;
  onCall: OnCall;
  now: Date;
}) {
  const { append, errors, busy } = useCaseAppend(kase.id);
  function recordCallback() {
    void append(callBackOf(latest.body, new Date().toISOString(), facility?.officeNumber));
  }
  return (
    <div className="match-called__again">
      {facility ? <CallLinks facility={facility} onCall={onCall} now={now} /> : null}
      <Button variant="secondary" className="match-called__callback" disabled={busy} onClick={recordCallback}>
        {T.callback}
      </Button>
      <Errors errors={errors} />
    </div>
  );
}

/**
 * 「入所を記録」: the admission to the facility that said yes, at the minute its line shows (the tap's:
 * useShownNow) unless 「日時を変える」 gives another (the son arrives at 03:40, or the next morning: the
 * record and the stay's days follow the admission, not the tap); with the closing of the case in the
 * same tap (the usual end of the call), or the admission alone.
 */
function AdmissionPanel({
  kase,
  call,
  facility,
  onCancel,
}: {
  kase: EmergencyCase;
  call: Current<ContactBody>;
  facility: Facility | undefined;
  onCancel: () => void;
}) {
  const { append, errors, busy } = useCaseAppend(kase.id);
  /** null: now, at the tap; else the datetime-local value (Japan time) the coordinator set */
  const [from, setFrom] = useState<string | null>(null);
  const [fromError, setFromError] = useState<string | undefined>();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  // the minute the line shows is the minute saved: 23:58 on 30 November read, the page then in the
  // background until a tap at 00:12, began the stay on 1 December
  const clock = useShownNow();
  const pending = kase.contacts.filter((c) => c.body.result === null).map((c) => c.body.facilityName);
  const awaiting = facilitiesAwaitingCallBack(kase.contacts);

  async function record(close: boolean) {
    const at = from === null ? clock.at().toISOString() : fromJapanInputValue(from);
    if (at === null) {
      setFromError(T.admissionFromMissing);
      failed();
      return;
    }
    const ok = await append({
      type: 'outcome',
      outcome: '短期入所',
      facilityId: facility?.id ?? call.body.facilityId,
      facilityName: facility?.name ?? call.body.facilityName,
      from: at,
      note: '',
    });
    if (!ok) return;
    if (close && !(await append({ type: 'close', closedAt: new Date().toISOString() }))) return;
    navigate(matchPaths.case(kase.id));
  }

  return (
    <div ref={ref} className="match-admit" role="group" aria-label={T.recordAdmission}>
      {from === null ? (
        <p>
          {T.admissionLine(call.body.facilityName, formatJapanDateTime(clock.shown))}{' '}
          <Button variant="ghost" className="match-admit__when" disabled={busy} onClick={() => setFrom(toJapanInputValue(clock.at()))}>
            {T.admissionChangeFrom}
          </Button>
        </p>
      ) : (
        <TextField
          label={T.admissionFrom(call.body.facilityName)}
          type="datetime-local"
          required
          // it replaces the button pressed: focus goes to it, not back to the page's top
          autoFocus
          value={from}
          error={fromError}
          onChange={(e) => {
            setFrom(e.target.value);
            setFromError(undefined);
          }}
        />
      )}
      {pending.length > 0 ? <p className="match-admit__warn">{T.pendingBeforeClose(pending.join('、'))}</p> : null}
      {awaiting.length > 0 ? <p className="match-admit__warn">{T.awaitingOnAdmit(awaiting.join('、'))}</p> : null}
      <div className="match-admit__actions">
        <Button variant="primary" disabled={busy || pending.length > 0} onClick={() => void record(true)}>
          {T.admitAndClose}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => void record(false)}>
          {T.admitOnly}
        </Button>
        <Button variant="ghost" disabled={busy} onClick={onCancel}>
          {T.cancel}
        </Button>
      </div>
      <Errors errors={errors} />
    </div>
  );
}
