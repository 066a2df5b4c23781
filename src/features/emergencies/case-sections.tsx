/**
 * The later parts of a case: the outcome and closing, the facts the claim depends on, linking an
 * unknown caller to a registered person, and the full history of entries with their hashes.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import {
  ENTRY_TYPE_LABELS,
  OUTCOME_KINDS,
  PLANNING_LABELS,
  PLANNING_VALUES,
  type CaseSubject,
  type EmergencyCase,
  type OutcomeBody,
  type OutcomeKind,
  type Planning,
} from '../../domain/emergency-case';
import { concurrentOutcomes, earlierOutcomes, standingClosesOf } from '../../domain/case-fold';
import { facilitiesAwaitingCallBack } from '../../domain/call-backs';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { ageIfKnown, formatJapanDate, formatJapanDateTime, japanDateOf } from '../../domain/japan-time';
import { searchHouseholds } from '../../domain/search';
import { isDemoCase, isDemoId } from '../../domain/demo-id';
import { normalizeDigits } from '../../domain/normalize';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { announce } from '../../ui/announce';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { refocusWhenLost, type useFormInPlace } from '../../ui/focus-lost';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { Notice, Section } from '../../ui/layout';
import { DraftRestored, useCancelAsking, useDraftedForm, useReopenForDraft } from '../../state/use-drafted-form';
import type { Countersigns } from '../../state/use-countersigns';
import { COUNTERSIGN_LABELS, type EntryCountersign } from '../../domain/countersign-status';
import { useCaseFacilities } from './case-facilities';
import { CorrectionNotes } from './corrections';
import { EntryErrors, SubformFoot } from './errors-list';
import { T } from './text';
import { useAppend } from './use-append';

/** A form opened in its button's place (useFormInPlace), held by the case screen when its draft line opens it too. */
export type FormInPlace = ReturnType<typeof useFormInPlace>;

/** The case's 対応中 / 終了 line (case-view.tsx), where the focus goes once the case is closed. */
export const CASE_STATUS_ID = 'case-status';

export function OutcomeSection({
  kase,
  form: outcomeForm,
  onWithdraw,
  onReopen,
}: {
  kase: EmergencyCase;
  /** the form's open state, held by the case screen: its 「入力途中の記録があります」 line opens it too (CaseDrafts) */
  form: FormInPlace;
  onWithdraw: (entryId: string, label: string) => void;
  /** 対応を再開: asks the reason, then writes the 取消 of each close entry that stands */
  onReopen: (closeEntryIds: readonly string[]) => void;
}) {
  const editing = outcomeForm.shown;
  const [confirmClose, setConfirmClose] = useState(false);
  const { append, errors, busy } = useAppend(kase.id);
  const closed = kase.closedAt !== null;
  const o = kase.outcome;
  const earlier = useMemo(() => earlierOutcomes(kase), [kase]);
  // recorded on another phone at the same time, unseen by the standing one's writer: both are shown as in doubt
  const rivals = useMemo(() => new Set(concurrentOutcomes(kase).map((r) => r.entryId)), [kase]);
  const closeEntryIds = useMemo(() => standingClosesOf(kase), [kase]);
  const awaiting = useMemo(() => facilitiesAwaitingCallBack(kase.contacts), [kase]);
  const lineOf = outcomeLabel;
  const label = o ? lineOf(o.body) : '';
  // A lock closed the form mid-sentence: it opens again by itself, since nothing else says a draft waits.
  useReopenForDraft(closed ? null : outcomeDraftKey(kase.id), () => outcomeForm.setShown(true));

  async function close() {
    setConfirmClose(false);
    if (!(await append({ type: 'close', closedAt: new Date().toISOString() }))) return;
    // 「対応を終了」 goes (「対応を再開」 comes): the case's status line says what happened, and takes the focus
    announce(T.closedAnnounce);
    refocusWhenLost(() => document.getElementById(CASE_STATUS_ID));
  }

  return (
    <Section title={T.outcomeTitle} id="case-outcome">
      {rivals.size > 0 ? <Notice kind="warn">{T.outcomesDiffer}</Notice> : null}
      {o ? (
        <div className="case-outcome">
          <p className="case-outcome__line">
            {/* read order chose which stands, nobody did: tagged as the other is */}
            {rivals.size > 0 ? <span className="case-tag case-tag--warn">{T.concurrentOutcome}</span> : null}
            {rivals.size > 0 ? ' ' : null}
            {label}
          </p>
          {o.body.note ? <p>{o.body.note}</p> : null}
          {rivals.size > 0 ? <p className="case-meta">{T.recordedLine(formatJapanDateTime(o.recordedAt), o.recordedBy.name)}</p> : null}
          <CorrectionNotes corrections={o.corrections} />
          {!closed ? (
            <Button variant="ghost" aria-label={T.withdrawOutcome(label)} onClick={() => onWithdraw(o.entryId, label)}>
              {T.withdraw}
            </Button>
          ) : null}
        </div>
      ) : (
        <p>{T.noOutcome}</p>
      )}
      {/* An outcome recorded again replaces the one before; that one stays readable, with who recorded it and when. */}
      {earlier.map((e) => (
        <div key={e.entryId} className={rivals.has(e.entryId) ? 'case-outcome' : 'case-outcome case-outcome--earlier'}>
          <p className="case-outcome__line">
            <span className={rivals.has(e.entryId) ? 'case-tag case-tag--warn' : 'case-tag'}>{rivals.has(e.entryId) ? T.concurrentOutcome : T.earlierOutcome}</span> {lineOf(e.body)}
          </p>
          {e.body.note ? <p>{e.body.note}</p> : null}
          <p className="case-meta">{T.recordedLine(formatJapanDateTime(e.recordedAt), e.recordedBy.name)}</p>
          <CorrectionNotes corrections={e.corrections} />
          {/* a rival is withdrawn on a closed case too: the outcome that stands remains */}
          {rivals.has(e.entryId) ? (
            <Button variant="ghost" aria-label={T.withdrawOutcome(lineOf(e.body))} onClick={() => onWithdraw(e.entryId, lineOf(e.body))}>
              {T.withdraw}
            </Button>
          ) : null}
        </div>
      ))}
      {/* A withdrawn outcome stays readable, marked 取消 with the reason, who and when. */}
      {kase.withdrawnOutcomes.map((w) => (
        <div key={w.entryId} className="case-outcome case-outcome--withdrawn">
          <p className="case-outcome__line">
            <span className="case-tag case-tag--warn">{T.withdrawn}</span> {lineOf(w.body)}
          </p>
          {w.body.note ? <p>{w.body.note}</p> : null}
          <CorrectionNotes corrections={w.corrections} />
        </div>
      ))}
      {!closed && !editing ? (
        <Button variant={o ? 'secondary' : 'primary'} className="case-wide" {...outcomeForm.opener} onClick={outcomeForm.show}>
          {T.recordOutcome}
        </Button>
      ) : null}
      {!closed && editing ? <OutcomeForm kase={kase} onDone={outcomeForm.hide} /> : null}
      {!closed && o ? (
        <Button variant="primary" className="case-wide" disabled={busy} onClick={() => setConfirmClose(true)}>
          {T.close}
        </Button>
      ) : null}
      {closeEntryIds.length > 0 ? (
        <Button className="case-wide" onClick={() => onReopen(closeEntryIds)}>
          {T.reopen}
        </Button>
      ) : null}
      <EntryErrors errors={errors} />
      <ConfirmDialog
        open={confirmClose}
        title={T.closeConfirmTitle}
        confirmLabel={T.close}
        onConfirm={() => void close()}
        onCancel={() => setConfirmClose(false)}
      >
        <p>{T.closeConfirmBody}</p>
        {awaiting.length > 0 ? <p className="warning-box">{T.awaitingBeforeClose(awaiting.join('、'))}</p> : null}
      </ConfirmDialog>
    </Section>
  );
}

/** An outcome in one line (「短期入所（あおぞら短期入所・…から）」), as its 取消 names it. */
export const outcomeLabel = (b: OutcomeBody) => T.outcomeLine(b.outcome, b.facilityName, b.from ? formatJapanDateTime(b.from) : '');

export const outcomeDraftKey = (caseId: string) => `case-outcome:${caseId}`;

interface OutcomeFormValue {
  readonly kind: OutcomeKind;
  readonly facilityKey: string;
  /** datetime-local value, Japan time */
  readonly from: string;
  readonly note: string;
}

function OutcomeForm({ kase, onDone }: { kase: EmergencyCase; onDone: () => void }) {
  const facilities = useApp((s) => s.facilities);
  const choices = useCaseFacilities(kase);
  // Offer first the facilities that said yes on this call.
  const accepted = kase.contacts.filter((c) => c.body.result === '受入可');
  // Recorded again (after 対応を再開), the form starts from the outcome that stands: its facility and
  // admission time, not the first 受入可 and now, which would quietly move the stay's days.
  const [blank] = useState<OutcomeFormValue>(() => {
    const standing = kase.outcome?.body;
    if (standing) {
      return {
        kind: standing.outcome,
        facilityKey: standing.facilityId ?? standing.facilityName,
        from: toJapanInputValue(standing.from ?? new Date()),
        note: standing.note,
      };
    }
    return {
      kind: accepted.length > 0 ? '短期入所' : '在宅で対応',
      facilityKey: accepted[0]?.body.facilityId ?? accepted[0]?.body.facilityName ?? '',
      from: toJapanInputValue(new Date()),
      note: '',
    };
  });
  const { form, setForm, dirty, restored, finish, discard, saveWith } = useDraftedForm(outcomeDraftKey(kase.id), blank);
  const { kind, facilityKey, from, note } = form;
  const update = (patch: Partial<OutcomeFormValue>) => setForm({ ...form, ...patch });
  const { append, errors, busy, setErrors } = useAppend(kase.id);
  const { cancel, question } = useCancelAsking(dirty, finish, onDone);

  const options = useMemo(() => {
    const seen = new Set<string>();
    const list: { value: string; label: string }[] = [{ value: '', label: '選んでください' }];
    for (const c of accepted) {
      const key = c.body.facilityId ?? c.body.facilityName;
      if (!seen.has(key)) list.push({ value: key, label: `${c.body.facilityName}（受入可）` });
      seen.add(key);
    }
    for (const f of choices) {
      if (!seen.has(f.id)) list.push({ value: f.id, label: f.name });
      seen.add(f.id);
    }
    return list;
  }, [accepted, choices]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const stay = kind === '短期入所';
    const fromAt = stay ? fromJapanInputValue(from) : null;
    if (stay && fromAt === null) return setErrors(['入所の日時を入力してください。']);
    const facility = facilities.get(facilityKey);
    const facilityName = stay ? (facility?.name ?? accepted.find((c) => c.body.facilityName === facilityKey)?.body.facilityName ?? '') : '';
    const body = { type: 'outcome', outcome: kind, facilityId: stay && facility ? facility.id : null, facilityName, from: fromAt, note: note.trim() } as const;
    if (!(await saveWith((draft) => append(body, draft)))) return;
    onDone();
  }

  return (
    <>
      {/* Return in 入所の日時 goes on to the next field: an outcome saved is evidence */}
      <form autoComplete="off" className="case-form case-subform" data-form="case-outcome" onKeyDown={keepEnterFromSubmitting} onSubmit={(e) => void submit(e)} noValidate>
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        <SelectField
          label={T.outcomeKind}
          value={kind}
          onChange={(e) => update({ kind: e.target.value as OutcomeKind })}
          options={OUTCOME_KINDS.map((k) => ({ value: k, label: k }))}
        />
        {kind === '短期入所' ? (
          <>
            <SelectField label={T.outcomeFacility} value={facilityKey} onChange={(e) => update({ facilityKey: e.target.value })} options={options} />
            <TextField label={T.outcomeFrom} type="datetime-local" value={from} onChange={(e) => update({ from: e.target.value })} />
          </>
        ) : null}
        <TextArea label={T.outcomeNote} value={note} onChange={(e) => update({ note: e.target.value })} required={kind === 'その他'} />
        <SubformFoot errors={errors} busy={busy} cancel={cancel} words={T} />
      </form>
      {question}
    </>
  );
}

interface ClaimFactsForm {
  readonly planning: Planning;
  readonly independent: boolean;
  readonly note: string;
}

const sameClaimFacts = (a: ClaimFactsForm, b: ClaimFactsForm) =>
  a.planning === b.planning && a.independent === b.independent && a.note.trim() === b.note.trim();

/** A planning choice in a child's words: 障害児相談支援 and its 障害児支援利用計画. */
const planningLabelForChild = (label: string) => label.replace('計画相談支援', '障害児相談支援').replace('サービス等利用計画', '障害児支援利用計画');

/**
 * `child`: the person was a 児 on the day of the request, whose plan is the 障害児支援利用計画 of
 * 障害児相談支援 (the claim's reasons say so), not 計画相談支援's.
 */
export function ClaimFactsSection({ kase, child = false }: { kase: EmergencyCase; child?: boolean }) {
  // Each save starts a fresh form (and draft) from the facts just recorded.
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState(false);
  return (
    <Section title={T.claimTitle} id="case-claim">
      <ClaimFactsEditor
        key={generation}
        kase={kase}
        child={child}
        saved={saved}
        onSaving={() => setSaved(false)}
        onSaved={() => {
          setSaved(true);
          setGeneration((g) => g + 1);
        }}
      />
    </Section>
  );
}

function ClaimFactsEditor({
  kase,
  child,
  saved,
  onSaving,
  onSaved,
}: {
  kase: EmergencyCase;
  child: boolean;
  saved: boolean;
  onSaving: () => void;
  onSaved: () => void;
}) {
  const { planning: recordedPlanning, independentLivingClaimed, note: recordedNote } = kase.claimFacts;
  const recorded = useMemo<ClaimFactsForm>(
    () => ({ planning: recordedPlanning, independent: independentLivingClaimed, note: recordedNote }),
    [recordedPlanning, independentLivingClaimed, recordedNote],
  );
  // Always on the page, so a draft shows again as soon as the case is opened after an unlock.
  const { form, setForm, dirty: changed, restored, discard, saveWith } = useDraftedForm(`case-claim-facts:${kase.id}`, recorded, sameClaimFacts);
  const { planning, independent, note } = form;
  const { append, errors, busy } = useAppend(kase.id);

  async function submit(e: FormEvent) {
    e.preventDefault();
    onSaving();
    const body = { type: 'claim-facts', planning, independentLivingClaimed: independent, note: note.trim() } as const;
    if (!(await saveWith((draft) => append(body, draft)))) return;
    onSaved();
  }

  return (
    <form autoComplete="off" className="case-form" onKeyDown={keepEnterFromSubmitting} onSubmit={(e) => void submit(e)} noValidate>
      {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
      <SelectField
        label={child ? T.planningChild : T.planning}
        value={planning}
        onChange={(e) => setForm({ ...form, planning: e.target.value as Planning })}
        options={PLANNING_VALUES.map((p) => ({ value: p, label: child ? planningLabelForChild(PLANNING_LABELS[p]) : PLANNING_LABELS[p] }))}
      />
      <label className="check">
        <input type="checkbox" autoComplete="off" checked={independent} onChange={(e) => setForm({ ...form, independent: e.target.checked })} />
        <span>{T.independentLiving}</span>
      </label>
      <TextArea label={T.claimNote} value={note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
      <EntryErrors errors={errors} />
      {saved && !changed ? <p role="status">{T.claimFactsSaved}</p> : null}
      <Button type="submit" variant="secondary" disabled={busy || !changed}>
        {T.saveClaimFacts}
      </Button>
    </form>
  );
}

/**
 * 本人未特定 → a registered person: each candidate with what tells two of the same name apart
 * (ふりがな, birth date and age, 受給者証番号), and a confirmation naming them before the link is
 * written, since a link is evidence: the case then shows that person's medication and counts
 * against their cap of 4.
 */
export function LinkPerson({ kase }: { kase: EmergencyCase }) {
  const index = useApp((s) => s.index);
  const households = useApp((s) => s.summaries);
  const demoIds = useApp((s) => s.demoIds);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<{ subject: CaseSubject; label: string } | null>(null);
  const { append, errors, busy } = useAppend(kase.id);
  const hits = useMemo(() => (query.trim() ? searchHouseholds(index, query, 8) : []), [index, query]);
  const today = japanDateOf(new Date().toISOString());

  // A real case is never linked to a demo person (the store refuses it): the demo's households are
  // made up, and the link went to the hub as evidence about someone who does not exist.
  const demoCase = isDemoCase(kase, demoIds);
  const candidates = hits.flatMap((hit) => {
    const h = households.get(hit.householdId);
    if (!h || (!demoCase && (isDemoId(h.id) || demoIds.has(h.id)))) return [];
    const persons = hit.personId ? h.persons.filter((p) => p.id === hit.personId) : h.persons;
    return persons.map((p) => ({ household: h, person: p }));
  });

  async function link() {
    if (chosen === null) return;
    if (await append({ type: 'link', subject: chosen.subject })) setChosen(null);
  }

  return (
    <div className="case-link-person">
      <TextField label={T.linkSearch} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {query.trim() && candidates.length === 0 ? <p>{T.linkNone}</p> : null}
      <ul className="case-candidates">
        {candidates.map(({ household, person }) => {
          const name = person.name || T.linkNoName;
          const details = personDetails(person, today);
          return (
            <li key={`${household.id}:${person.id}`}>
              <Button
                disabled={busy}
                onClick={() =>
                  setChosen({
                    subject: { householdId: household.id, personId: person.id, name: person.name, recipientNumber: person.recipientNumber },
                    label: details === '' ? name : `${name}（${details}）`,
                  })
                }
              >
                {T.linkPick(name)}
                {details !== '' ? <span className="case-candidates__details">{details}</span> : null}
              </Button>
            </li>
          );
        })}
      </ul>
      {chosen !== null ? (
        <ConfirmDialog open title={T.linkConfirmTitle} confirmLabel={busy ? T.saving : T.linkConfirm} busy={busy} onConfirm={() => void link()} onCancel={() => setChosen(null)}>
          <p className="case-subject">{chosen.label}</p>
          <p>{T.linkConfirmWhat}</p>
          <EntryErrors errors={errors} />
        </ConfirmDialog>
      ) : (
        <EntryErrors errors={errors} />
      )}
    </div>
  );
}

/** 'さとう はなこ・2001年4月1日生（25歳）・受給者証 1234567890': what tells two of one name apart. */
function personDetails(person: { furigana: string; birthDate: string | null; recipientNumber: string }, today: string): string {
  const age = ageIfKnown(person.birthDate, today);
  return [
    person.furigana.trim(),
    person.birthDate !== null && age !== null ? `${formatJapanDate(person.birthDate)}生（${age}歳）` : '',
    person.recipientNumber.trim() !== '' ? `受給者証 ${person.recipientNumber.trim()}` : '',
  ]
    .filter((x) => x !== '')
    .join('・');
}

/**
 * A case recorded before its person's 受給者証番号 was entered cannot be billed (the claim is made
 * by the number the evidence names): once the household holds the number, one tap links the case
 * again with it (a 'link' entry: the subject as the household holds it now). A case whose number
 * differs from the household's (a typo corrected there since, or a new 受給者証 after a move) is
 * told so, and keeps its number: the claim is billed by it, and a link would replace it unseen.
 */
export function NumberFromHousehold({ kase }: { kase: EmergencyCase }) {
  const households = useApp((s) => s.summaries);
  const { append, errors, busy } = useAppend(kase.id);
  const { householdId, personId } = kase.subject;
  const person = householdId === null ? undefined : households.get(householdId)?.persons.find((p) => p.id === personId);
  if (person === undefined) return null;
  const own = normalizeDigits(kase.subject.recipientNumber);
  const held = normalizeDigits(person.recipientNumber);
  if (held === '' || own === held) return null;
  // A number recorded is evidence (the claim was billed by it): told, never replaced with one tap.
  if (own !== '') return <p className="case-number-link">{T.numberDiffersFromHousehold(kase.subject.recipientNumber, person.recipientNumber)}</p>;
  return (
    <div className="case-number-link">
      <p>{T.numberFromHousehold(person.recipientNumber)}</p>
      <Button
        disabled={busy}
        onClick={() => void append({ type: 'link', subject: { householdId, personId, name: person.name || kase.subject.name, recipientNumber: person.recipientNumber } })}
      >
        {T.numberFromHouseholdButton}
      </Button>
      <EntryErrors errors={errors} />
    </div>
  );
}

export function History({ kase, countersigns }: { kase: EmergencyCase; countersigns: Countersigns }) {
  return (
    <details className="disclosure case-history">
      <summary>{T.historyTitle}</summary>
      <ol>
        {kase.entries.map((e) => (
          <li key={e.id}>
            <span className="case-history__what">{ENTRY_TYPE_LABELS[e.body.type]}</span>{' '}
            {formatJapanDateTime(e.recordedAt)}・{e.recordedBy.name}
            {e.body.type === 'correction' ? `（理由: ${e.body.reason}）` : ''}
            <br />
            <code className="case-history__hash">{T.historyHash(e.hash)}</code>
            <br />
            <CountersignText done={countersigns.done} status={countersigns.lookup(e.id)} />
          </li>
        ))}
      </ol>
    </details>
  );
}

/** One entry's 拠点の署名: when the hub countersigned it, or that it has not (yet), never left out. */
export function CountersignText({ done, status }: { done: boolean; status: EntryCountersign }) {
  if (!done) return <span className="case-countersign">{T.countersignChecking}</span>;
  switch (status.status) {
    case 'countersigned':
      return (
        <span className="case-countersign case-countersign--ok">
          {T.countersignedAt(COUNTERSIGN_LABELS.countersigned, formatJapanDateTime(status.receivedAt), status.position)}
        </span>
      );
    case 'invalid':
      return <strong className="case-countersign case-countersign--bad">{`${COUNTERSIGN_LABELS.invalid}（${status.problem}）`}</strong>;
    case 'refused':
      return <strong className="case-countersign case-countersign--bad">{T.countersignRefused(COUNTERSIGN_LABELS.refused, status.reason)}</strong>;
    default:
      return <span className="case-countersign case-countersign--none">{COUNTERSIGN_LABELS[status.status]}</span>;
  }
}

export function ChainBanner({ problem }: { problem: string }) {
  return <Notice kind="error">{T.chainBroken(problem)}</Notice>;
}
