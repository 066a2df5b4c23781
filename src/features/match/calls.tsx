/**
 * The calls of a case, made where the facilities are: a tap on a number records the contact; the
 * card then asks for the result right there (four equal buttons: 受入可 ends the search, so it is
 * not the easiest to hit by mistake); called facilities move to a group with their result and
 * time, where a result can be corrected (a new entry: nothing is changed in place) and a 受入可
 * offers 「入所を記録」, with the closing in the same step.
 */
import { useMemo, useState } from 'react';
import { CaseEntryRejected, useApp } from '../../state/store';
import { foldCase } from '../../domain/case-fold';
import { CONTACT_RESULTS, type ContactBody, type ContactResult, type Current, type EmergencyCase, type EntryBody } from '../../domain/emergency-case';
import type { Facility } from '../../domain/facility';
import { formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { navigate } from '../../state/router';
import { matchPaths } from './match-route';
import { T } from './text';

/** The case the match records in, folded from the store's chain; null while unknown or unreadable. */
export function useRecordingCase(caseId: string | null): EmergencyCase | null {
  const entries = useApp((s) => (caseId ? s.caseEntries.get(caseId) : undefined));
  return useMemo(() => {
    if (!entries || entries.length === 0) return null;
    try {
      return foldCase(entries);
    } catch {
      return null; // not a case this screen can record in; the case screen says why
    }
  }, [entries]);
}

/** Each facility's latest call in the case (by the time it was made). */
export function callsByFacility(kase: EmergencyCase | null): Map<string, Current<ContactBody>> {
  const calls = new Map<string, Current<ContactBody>>();
  if (!kase) return calls;
  for (const c of kase.contacts) {
    if (c.body.facilityId === null) continue;
    const before = calls.get(c.body.facilityId);
    if (!before || before.body.contactedAt <= c.body.contactedAt) calls.set(c.body.facilityId, c);
  }
  return calls;
}

function useCaseAppend(caseId: string) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  async function append(body: EntryBody): Promise<boolean> {
    setBusy(true);
    setErrors([]);
    try {
      await appendCaseEntry(caseId, body);
      return true;
    } catch (err) {
      setErrors(err instanceof CaseEntryRejected ? err.messages : [T.saveFailed]);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { append, errors, busy };
}

function Errors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="match-errors" role="alert">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** The four results of a call, one tap each, all alike. */
export function ResultButtons({ caseId, call, onDone }: { caseId: string; call: Current<ContactBody>; onDone?: () => void }) {
  const { append, errors, busy } = useCaseAppend(caseId);
  const name = call.body.facilityName;
  return (
    <>
      <div className="match-results" role="group" aria-label={T.resultAsk(name)}>
        {CONTACT_RESULTS.map((r) => (
          <Button
            key={r}
            variant="secondary"
            className="match-results__btn"
            disabled={busy}
            onClick={() =>
              void append({ type: 'result', contact: call.entryId, result: r, note: '' }).then((ok) => {
                if (ok) onDone?.();
              })
            }
          >
            {r}
          </Button>
        ))}
      </div>
      <Errors errors={errors} />
    </>
  );
}

/** On a card just dialled: when the call was recorded, and its result to choose. */
export function PendingCall({ caseId, call }: { caseId: string; call: Current<ContactBody> }) {
  return (
    <div className="match-pending">
      <p className="match-pending__line" role="status">
        {T.calledAt(formatJapanDateTime(call.body.contactedAt).slice(-5))}
      </p>
      <ResultButtons caseId={caseId} call={call} />
    </div>
  );
}

/** 電話済み: each facility called in this case with its result and time. */
export function CalledGroup({ kase, calls, facilities }: { kase: EmergencyCase; calls: readonly Current<ContactBody>[]; facilities: ReadonlyMap<string, Facility> }) {
  if (calls.length === 0) return null;
  return (
    <section className="match-called" aria-labelledby="match-called">
      <h2 className="section__title" id="match-called">
        {T.calledTitle(calls.length)}
      </h2>
      <ul className="match-list">
        {calls.map((c) => (
          <li key={c.entryId}>
            <CalledCard kase={kase} call={c} facility={c.body.facilityId ? facilities.get(c.body.facilityId) : undefined} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function CalledCard({ kase, call, facility }: { kase: EmergencyCase; call: Current<ContactBody>; facility: Facility | undefined }) {
  if (call.body.result === null) {
    return (
      <article className="match-called__card match-called__card--pending" aria-label={call.body.facilityName}>
        <p className="match-called__name">{call.body.facilityName}</p>
        {kase.closedAt === null ? <PendingCall caseId={kase.id} call={call} /> : <p>{T.resultPendingClosed}</p>}
      </article>
    );
  }
  return <AnsweredCard kase={kase} call={call} facility={facility} />;
}

function AnsweredCard({ kase, call, facility }: { kase: EmergencyCase; call: Current<ContactBody>; facility: Facility | undefined }) {
  const [correcting, setCorrecting] = useState(false);
  const [admitting, setAdmitting] = useState(false);
  const result = call.body.result as ContactResult;
  const closed = kase.closedAt !== null;
  const admitted = kase.outcome?.body.facilityId === call.body.facilityId && kase.outcome?.body.outcome === '短期入所';
  return (
    <article className={`match-called__card match-called__card--${result === '受入可' ? 'yes' : 'other'}`} aria-label={call.body.facilityName}>
      <div className="match-called__line">
        <p className="match-called__what">
          <span className="match-called__name">{call.body.facilityName}</span>
          <span className="match-called__result">{T.calledResult(result, formatJapanDateTime(call.body.contactedAt).slice(-5))}</span>
          {admitted ? <span className="match-called__admitted">{T.admittedHere}</span> : null}
        </p>
        {!closed && !correcting && !admitting ? (
          <Button variant="ghost" className="match-called__fix" onClick={() => setCorrecting(true)}>
            {T.correctResult}
          </Button>
        ) : null}
      </div>
      {!closed && !correcting && !admitting && result === '受入可' && !admitted ? (
        <Button variant="primary" className="match-called__admit" onClick={() => setAdmitting(true)}>
          {T.recordAdmission}
        </Button>
      ) : null}
      {correcting ? (
        <>
          <p className="match-called__hint">{T.correctHint}</p>
          <ResultButtons caseId={kase.id} call={call} onDone={() => setCorrecting(false)} />
          <Button variant="ghost" onClick={() => setCorrecting(false)}>
            {T.cancel}
          </Button>
        </>
      ) : null}
      {admitting ? <AdmissionPanel kase={kase} call={call} facility={facility} onCancel={() => setAdmitting(false)} /> : null}
    </article>
  );
}

/**
 * 「入所を記録」: the admission to the facility that said yes, at this minute; with the closing of
 * the case in the same tap (the usual end of the call), or the admission alone.
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
  const [now] = useState(() => new Date());
  const pending = kase.contacts.filter((c) => c.body.result === null).map((c) => c.body.facilityName);

  async function record(close: boolean) {
    const at = new Date().toISOString();
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
    <div className="match-admit" role="group" aria-label={T.recordAdmission}>
      <p>{T.admissionLine(call.body.facilityName, formatJapanDateTime(now))}</p>
      {pending.length > 0 ? <p className="match-admit__warn">{T.pendingBeforeClose(pending.join('、'))}</p> : null}
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

/** Tapping a number with a case open records the contact at once; the tel: link still opens the dialer. */
export function useCallRecorder(caseId: string | null) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [message, setMessage] = useState<string | null>(null);
  const record = useMemo(
    () =>
      caseId === null
        ? null
        : (facility: Facility) => {
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
            }).then(
              () => setMessage(null),
              (err: unknown) => setMessage(err instanceof CaseEntryRejected ? err.messages.join(' ') : T.callNotRecorded),
            );
          },
    [caseId, appendCaseEntry],
  );
  return { record, message };
}
