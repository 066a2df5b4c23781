/**
 * The one-page A4 sheet handed to a short-stay facility: only what the staff need tonight.
 * Opening it writes a 'print-household' 閲覧記録 entry, since a printed sheet leaves the device.
 * Without a standing 同意書 (none recorded, or the registration 登録廃止) the sheet goes out only
 * with a reason written to the 閲覧記録 first; until then, and whenever the 閲覧記録 cannot be
 * written, the sheet is held back from printing, from the browser's menu too (styles.css .print-held).
 * A sheet that runs over one page names its persons and counts its pages at the foot of every page.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { usePrintRunningText } from '../../ui/print-running-text';
import { flushSync } from 'react-dom';
import { useApp } from '../../state/store';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import { useHousehold } from '../../state/use-household';
import { useLogOpen } from '../../state/use-log-open';
import { useNewerVersionSetAside } from '../../state/use-set-aside';
import type { Household, Person, Withdrawal } from '../../domain/household';
import { openCaseOfPerson } from '../../domain/open-case';
import { personAgeLabel } from '../../domain/household-schema';
import { formatJapanDateTime } from '../../domain/japan-time';
import { formatJapanesePhone } from '../../domain/night-call';
import { Button } from '../../ui/button';
import { TextArea } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, useHeadingFocus } from '../../ui/layout';
import { lastReview, nextReviewDate } from '../../domain/household-rules';
import { dailyRows, dateText, disabilityText, handbookText, medicalCareText, useRegisteringOffice } from './detail-parts';
import { BackLink } from './household-detail';
import { RT } from './review-text';
import { F, SEX_LABELS, T } from './text';
import { paths } from './use-route';
import { useJapanToday } from '../../state/use-minute-clock';
import './households.css';

/** `blank`: what the row prints when left empty; without it an empty row is left off the sheet. */
function Row({ label, value, blank }: { label: string; value: string; blank?: string }) {
  const shown = value.trim() ? value : blank;
  if (!shown) return null;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="pre">{shown}</td>
    </tr>
  );
}

/** The custom property the sheet's page margin box prints (households.css @page household-sheet). */
const RUNNING_TEXT = '--hh-print-running' as const;

function PersonBlock({ person: p, today }: { person: Person; today: string }) {
  const daily = dailyRows(p)
    .filter(([, v]) => typeof v === 'string' && v.trim())
    .map(([k, v]) => `${k}：${String(v)}`)
    .join('　');
  const age = personAgeLabel(p, today);
  return (
    <>
      <h2>
        {p.name || T.noName}
        {p.furigana ? `（${p.furigana}）` : ''}
      </h2>
      <table>
        <tbody>
          <Row label={F.birthDate} value={[dateText(p.birthDate), age, SEX_LABELS[p.sex]].filter(Boolean).join('　')} />
          {/* the facility's own paperwork for the stay asks for the 受給者証 first */}
          <Row label={F.recipientNumber} value={p.recipientNumber ? `${p.recipientNumber}${p.municipality ? `（${p.municipality}）` : ''}` : ''} />
          <Row label={F.disabilityTypes} value={[disabilityText(p), p.diagnosis, handbookText(p)].filter(Boolean).join('／')} />
          {/* what the staffing of the night depends on: the 区分 and the behaviour score */}
          <Row label={T.printSupportTitle} value={supportText(p)} />
          {/* never left off: on paper a missing row reads as 「なし」, when it may never have been asked */}
          <Row
            label={F.medicalCare}
            value={[medicalCareText(p), p.severeMultiple ? T.severeMultipleYes : '', p.medicalCareDetails].filter(Boolean).join('\n')}
            blank={T.printNotRecorded}
          />
          <Row label={T.doctorsTitle} value={doctorsText(p)} />
          <Row label={T.medications} value={p.medications} blank={T.printNotRecorded} />
          <Row label={T.allergies} value={p.allergies} blank={T.printNotRecorded} />
          <Row label={T.seizures} value={p.seizures} blank={T.printNotRecorded} />
          <Row label={T.crisisPlan} value={p.crisisPlan} />
          <Row label={T.calming} value={p.calming} />
          <Row label={T.triggers} value={p.triggers} />
          <Row label={T.dailyTitle} value={daily} />
        </tbody>
      </table>
    </>
  );
}

/** 障害支援区分 and the behaviour scores, the figures a facility staffs the night by. */
function supportText(p: Person): string {
  return [
    p.supportLevel ? `${F.supportLevel} ${F.level(p.supportLevel)}` : '',
    p.behaviorScore === null ? '' : `${F.behaviorScore} ${p.behaviorScore}点`,
    p.childBehaviorScore === null ? '' : `${F.childBehaviorScore} ${p.childBehaviorScore}点`,
  ]
    .filter(Boolean)
    .join('　');
}

/** The hospital and doctor a facility calls with a medical question tonight. */
function doctorsText(p: Person): string {
  return p.doctors.map((d) => [d.hospital, d.name, d.phone].filter(Boolean).join('　')).join('\n');
}

function contactsText(h: Household): string {
  // numbers as the screens write them (090-1234-5678), not as typed (09012345678)
  return h.emergencyContacts
    .map((c, i) => `${i + 1}. ${c.name}${c.furigana ? `（${c.furigana}）` : ''}${c.relation ? `（${c.relation}）` : ''} ${c.phones.map(formatJapanesePhone).join('／')}${c.note ? ` ${c.note}` : ''}`)
    .join('\n');
}

/** How current the sheet is: the last review (who, when) and 次回見直し日, so staff know its age. */
function reviewedText(h: Household, reviewMonths: number, today: string): string {
  const last = lastReview(h);
  const next = nextReviewDate(h, reviewMonths);
  return [
    `${RT.lastReview} ${last ? `${dateText(last.date)}${last.by ? `（${last.by}）` : ''}` : h.consent?.date ? RT.sheetNoReview : RT.sheetNoReviewNoConsent}`,
    // a date passed says the sheet may be out of date: the facility asks the family what changed
    `${RT.nextReview} ${next ? `${dateText(next)}${next < today ? T.printReviewOverdue : ''}` : '—'}`,
  ].join('　');
}

export function HouseholdPrint({ id }: { id: string }) {
  const { household, loading } = useHousehold(id);
  const session = useApp((s) => s.session);
  const today = useJapanToday();
  const reviewMonths = useApp((s) => s.settings.reviewAfterMonths);
  // The opening's 'print-household' entry; when it cannot be written the sheet is not printed.
  const [logFailure, setLogFailure] = useState<{ readonly householdId: string; readonly message: string } | null>(null);
  // The household whose 'print-household' entry is written: until then its sheet is held back.
  const [loggedFor, setLoggedFor] = useState<string | null>(null);
  // The reason written for a sheet without a standing 同意書, in this opening.
  const [sharedWithReason, setSharedWithReason] = useState<string | null>(null);
  // The people left off the sheet (a sibling who is not going to the facility): only the person
  // admitted is the facility's to know about, the more so without a 同意書. Until the user ticks,
  // the persons with an emergency open are the sheet's (the sheet goes with the one being placed),
  // or everyone when none is.
  const [ticked, setLeftOff] = useState<ReadonlySet<string> | null>(null);
  const caseEntries = useApp((s) => s.caseEntries);
  const demo = useApp((s) => s.demoIds.has(id));
  const newerSetAside = useNewerVersionSetAside(id);
  const inEmergency = useMemo(
    () => new Set((household?.persons ?? []).filter((p) => openCaseOfPerson(caseEntries.values(), id, p.id) !== null).map((p) => p.id)),
    [caseEntries, household, id],
  );
  // The ticks as they are when a finger (or the keyboard) reaches the boxes stay: a case a sync
  // brought or closed just then flipped a box under the finger, and the click unticked what it meant
  // to tick. Until then they follow the cases (read after an unlock, a sync).
  const [reached, setReached] = useState<{ readonly id: string; readonly leftOff: ReadonlySet<string> } | null>(null);
  const leftOff: ReadonlySet<string> =
    ticked ??
    (reached?.id === id ? reached.leftOff : null) ??
    (inEmergency.size > 0 && household ? new Set(household.persons.filter((p) => !inEmergency.has(p.id)).map((p) => p.id)) : new Set());
  const holdTicks = () => {
    if (ticked === null && reached?.id !== id) setReached({ id, leftOff });
  };
  // opened from the household's 「印刷（A4）」, which goes with that screen: the sheet's title takes the focus
  const heading = useHeadingFocus();
  const registeringOffice = useRegisteringOffice(household ?? { registeringOffice: '' });
  const logPrint = useCallback(
    async (hid: string) => {
      if (!session) return;
      try {
        await session.logAccess('print-household', hid);
        setLogFailure(null);
        setLoggedFor(hid);
      } catch (e) {
        setLogFailure({ householdId: hid, message: vaultErrorMessage(toVaultError(e).code) });
        throw e;
      }
    },
    [session],
  );
  useLogOpen(id, logPrint);
  // A 登録廃止 (a withdrawn 同意 is recorded as one) leaves no 同意書 to share under.
  const consent = household && !household.withdrawal ? household.consent : null;
  // Printable once what it is written down: the opening's 閲覧記録 (and without a 同意書, the reason).
  const held = !household || (consent ? loggedFor !== household.id : sharedWithReason !== household.id);
  const printed = household ? household.persons.filter((p) => !leftOff.has(p.id)) : [];
  const printedAt = formatJapanDateTime(new Date());
  // A sheet held back prints only the note saying why: no name at its foot either.
  usePrintRunningText(RUNNING_TEXT, held ? null : T.printRunning(printed.map((p) => p.name || T.noName), printedAt));

  if (!household) return loading ? <p role="status">{T.loading}</p> : <Notice kind="warn">{T.notFound}</Notice>;
  const h = household;
  const logFailed = logFailure?.householdId === h.id;
  return (
    <div className={held ? 'hh-print paper printable print-held' : 'hh-print paper printable'}>
      <div className="hh-print-controls hh-actions no-print">
        <BackLink href={paths.detail(id)} label={T.backToDetail} />
        {held ? null : (
          <Button variant="primary" onClick={() => window.print()}>
            {T.printNow}
          </Button>
        )}
      </div>
      {held ? <p className="print-held__note">{consent ? T.printHeldLog : T.printHeldReason}</p> : null}
      {logFailed ? (
        <div className="no-print">
          <Notice
            kind="error"
            action={
              <Button onClick={() => void logPrint(h.id).catch(() => undefined)}>
                {T.retry}
              </Button>
            }
          >
            {T.printLogFailed(logFailure.message)}
          </Notice>
        </div>
      ) : null}
      {consent ? null : <NoConsentPrint householdId={h.id} withdrawal={h.withdrawal} onShared={() => setSharedWithReason(h.id)} />}
      {consent?.scope ? (
        // What the family agreed to share, read before the sheet goes out (it is printed on it too).
        <div className="no-print">
          <Notice kind="warn">{T.printScopeCheck(consent.scope)}</Notice>
        </div>
      ) : null}
      <div className="hh-print__meta">
        <h1 ref={heading} tabIndex={-1}>
          {/* made-up people on paper say so: a demo sheet read as a real family's */}
          {T.printTitle}
          {demo ? T.demoTitle : ''}
        </h1>
        <span>{T.printedAt(printedAt, session?.user.displayName ?? '')}</span>
      </div>
      {h.withdrawal ? (
        // First on the sheet: the facility must know the record is no longer kept up to date.
        <p className="hh-withdrawn">{T.printWithdrawn(dateText(h.withdrawal.date))}</p>
      ) : null}
      {/* [R3] a newer version set aside: the 服薬 and contacts printed below may be stale */}
      {newerSetAside ? <p className="hh-stale">{T.printSetAsideNewer}</p> : null}
      {h.persons.length > 1 ? (
        <fieldset className="hh-print__who no-print" onPointerDownCapture={holdTicks} onKeyDownCapture={holdTicks}>
          <legend>{T.printWho}</legend>
          <p className="muted">{T.printWhoHint}</p>
          {ticked === null && inEmergency.size > 0 ? <p className="muted">{T.printWhoInEmergency}</p> : null}
          {h.persons.map((p) => (
            <label key={p.id} className="check">
              <input
                type="checkbox" autoComplete="off"
                checked={!leftOff.has(p.id)}
                // one person at least: a sheet of no one is no sheet
                disabled={!leftOff.has(p.id) && leftOff.size === h.persons.length - 1}
                onChange={(e) => {
                  const next = new Set(leftOff);
                  if (e.target.checked) next.delete(p.id);
                  else next.add(p.id);
                  setLeftOff(next);
                }}
              />
              <span>{p.name || T.noName}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {printed.map((p) => (
        <PersonBlock key={p.id} person={p} today={today} />
      ))}
      <h2>{T.contactsTitle}</h2>
      <table>
        <tbody>
          <Row label={T.contactsTitle} value={contactsText(h) || T.noContacts} />
          {/* who may decide for the person (a 成年後見人): a night admission's medical questions */}
          <Row label={T.legalRepresentative} value={h.legalRepresentative} />
          <Row label={T.caseWorkerTitle} value={[h.caseWorker, registeringOffice, h.caseWorkerPhone].filter(Boolean).join('　')} />
          <Row label={F.address} value={[h.address, h.phone].filter(Boolean).join('　')} />
          <Row label={F.mainCaregiver} value={[h.mainCaregiver, h.caregiverHealth].filter(Boolean).join('　')} />
          <Row label={RT.sheetReviewed} value={reviewedText(h, reviewMonths, today)} />
          {consent ? (
            <Row label={F.consentScope} value={consent.scope || T.printScopeNone} />
          ) : (
            // printed only once the reason is on the 閲覧記録: the facility learns on what ground it holds the paper
            <Row label={F.consent} value={T.printNoConsent} />
          )}
        </tbody>
      </table>
      <p className="hh-print__foot">{T.printFooter}</p>
    </div>
  );
}

/**
 * No standing 同意書 (none recorded, or the registration 登録廃止): the sheet may still go to a
 * facility when it protects the person's life or body and consent cannot be had (個人情報保護法
 * 27条1項2号). The reason is asked, prefilled with that exception, and written to the 閲覧記録
 * before the printing; the night call is never blocked, but nothing prints unless the entry is written.
 */
function NoConsentPrint({ householdId, withdrawal, onShared }: { householdId: string; withdrawal: Withdrawal | null; onShared: () => void }) {
  const session = useApp((s) => s.session);
  const [reason, setReason] = useState<string>(T.noConsentDefaultReason);
  const [error, setError] = useState<string | undefined>();
  const [writeError, setWriteError] = useState<string | undefined>();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  async function print() {
    if (reason.trim() === '') {
      setError(T.noConsentReasonRequired);
      failed();
      return;
    }
    setError(undefined);
    setWriteError(undefined);
    if (!session) return;
    try {
      await session.logAccess('share-without-consent', householdId, reason.trim());
    } catch (e) {
      setWriteError(T.printLogFailed(vaultErrorMessage(toVaultError(e).code)));
      return;
    }
    // The sheet must be printable in the DOM before the print dialog takes its picture of it.
    flushSync(onShared);
    window.print();
  }
  return (
    <div ref={ref} className="no-print hh-no-consent">
      <Notice kind="warn">{withdrawal ? T.withdrawnPrint : T.noConsentPrint}</Notice>
      <TextArea label={T.noConsentReason} value={reason} onChange={(e) => setReason(e.target.value)} error={error} required />
      {writeError ? <Notice kind="error">{writeError}</Notice> : null}
      <Button variant="primary" onClick={() => void print()}>
        {T.noConsentPrintNow}
      </Button>
    </div>
  );
}
